import { CreateSecurityGroupCommand, DeleteSecurityGroupCommand } from '@aws-sdk/client-ec2';
import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
  ModifyDBClusterCommand,
  RestoreDBClusterToPointInTimeCommand,
  type RestoreDBClusterToPointInTimeCommandInput,
} from '@aws-sdk/client-rds';
import { CreateScheduleCommand, GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { identifierRefusal, masterPasswordRefusal } from '../../functions/shared/aws/rds-identifiers.js';
import { CLUSTER_LIFECYCLES, INSTANCE_LIFECYCLES } from '../../functions/shared/aws/rds-statuses.js';
import { missingParameter } from '../../functions/shared/aws/refusal.js';
import { SECRET_ARN_SUFFIX } from '../../functions/shared/aws/secrets-manager.js';
import { ACCOUNT, REGION, SOURCE, SUBNETS } from '../support/fake-aws/index.js';
import { answer, bothAnswer, type Side } from '../support/fakes.js';

// The workflow tests run on their own fake of AWS (test/support/fake-aws/), the e2e tests on the
// stand-in (local/); docs/testing.md says why there are two. Both take AWS's rules from
// functions/shared/aws/; these tests send both the same requests and check that they answer
// alike, so that a change to one fake that the other does not follow is caught here.

const restore = (side: Side, id: string, extra: Partial<RestoreDBClusterToPointInTimeCommandInput> = {}) =>
  side.rds.send(
    new RestoreDBClusterToPointInTimeCommand({
      DBClusterIdentifier: id,
      SourceDBClusterIdentifier: SOURCE.id,
      RestoreType: 'copy-on-write',
      UseLatestRestorableTime: true,
      ...extra,
    }),
  );

const createInstance = (side: Side, id: string, clusterId: string) =>
  side.rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: id,
      DBClusterIdentifier: clusterId,
      DBInstanceClass: 'db.r6g.large',
      Engine: 'aurora-postgresql',
    }),
  );

const GONE = 'gone';

/** A cluster's status now, or `gone`. */
async function clusterStatus(side: Side, id: string): Promise<string> {
  try {
    const { DBClusters } = await side.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    return DBClusters?.[0]?.Status ?? 'unknown';
  } catch (error) {
    if (error instanceof DBClusterNotFoundFault) return GONE;
    throw error;
  }
}

/** An instance's status now, or `gone`. */
async function instanceStatus(side: Side, id: string): Promise<string> {
  try {
    const { DBInstances } = await side.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    return DBInstances?.[0]?.DBInstanceStatus ?? 'unknown';
  } catch (error) {
    if (error instanceof DBInstanceNotFoundFault) return GONE;
    throw error;
  }
}

/** The statuses `look` sees, each once, from `first` until `done` says so. */
async function statuses(
  side: Side,
  first: string | undefined,
  look: () => Promise<string>,
  done: (status: string) => boolean,
): Promise<string[]> {
  const seen = first === undefined ? [] : [first];
  for (let polls = 0; polls < 1_000; polls += 1) {
    const status = await look();
    if (seen.at(-1) !== status) seen.push(status);
    if (done(status)) return seen;
    await side.pause();
  }
  return [...seen, 'still waiting after 1,000 polls'];
}

describe('the workflow tests’ fake and the stand-in answer alike', () => {
  it('take a clone through the lifecycles of functions/shared/aws/rds-statuses.ts', async () => {
    const seen = await bothAnswer(async (side) => {
      const made = await restore(side, 'dbaf-life');
      const cluster = () => clusterStatus(side, 'dbaf-life');
      const restored = await statuses(side, made.DBCluster?.Status, cluster, (s) => s !== 'creating');

      const created = await createInstance(side, 'dbaf-life-1', 'dbaf-life');
      const instance = () => instanceStatus(side, 'dbaf-life-1');
      const instanceMade = await statuses(
        side,
        created.DBInstance?.DBInstanceStatus,
        instance,
        (s) => s === 'available',
      );

      await side.rds.send(
        new ModifyDBClusterCommand({
          DBClusterIdentifier: 'dbaf-life',
          MasterUserPassword: 'a-new-Password-1',
          ApplyImmediately: true,
        }),
      );
      const password = await statuses(side, undefined, cluster, (s) => s === 'available');
      const { DBClusters: [afterPassword] = [] } = await side.rds.send(
        new DescribeDBClustersCommand({ DBClusterIdentifier: 'dbaf-life' }),
      );

      await side.rds.send(
        new ModifyDBClusterCommand({
          DBClusterIdentifier: 'dbaf-life',
          NewDBClusterIdentifier: 'dbaf-life-new',
          ApplyImmediately: true,
        }),
      );
      const rename = await statuses(side, undefined, cluster, (s) => s === GONE);
      const renamed = await statuses(
        side,
        undefined,
        () => clusterStatus(side, 'dbaf-life-new'),
        (s) => s === 'available',
      );
      const { DBClusters: [moved] = [] } = await side.rds.send(
        new DescribeDBClustersCommand({ DBClusterIdentifier: 'dbaf-life-new' }),
      );
      const { DBInstances: [follower] = [] } = await side.rds.send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'dbaf-life-1' }),
      );

      const deleting = await side.rds.send(
        new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'dbaf-life-1' }),
      );
      const instanceGone = await statuses(
        side,
        deleting.DBInstance?.DBInstanceStatus,
        instance,
        (s) => s === GONE,
      );
      const removed = await side.rds.send(
        new DeleteDBClusterCommand({ DBClusterIdentifier: 'dbaf-life-new', SkipFinalSnapshot: true }),
      );
      const clusterGone = await statuses(
        side,
        removed.DBCluster?.Status,
        () => clusterStatus(side, 'dbaf-life-new'),
        (s) => s === GONE,
      );
      return {
        restored,
        instanceMade,
        password,
        pendingAfterPassword: afterPassword?.PendingModifiedValues,
        rename,
        renamed,
        moved: {
          arn: moved?.DBClusterArn,
          members: moved?.DBClusterMembers?.map((m) => m.DBInstanceIdentifier),
        },
        follower: follower?.DBClusterIdentifier,
        instanceGone,
        clusterGone,
      };
    });

    expect(seen).toEqual({
      restored: [...CLUSTER_LIFECYCLES.restore],
      instanceMade: [...INSTANCE_LIFECYCLES.create],
      password: [...CLUSTER_LIFECYCLES.masterPassword],
      pendingAfterPassword: undefined,
      rename: [CLUSTER_LIFECYCLES.rename[0], GONE],
      renamed: [CLUSTER_LIFECYCLES.rename[1]],
      moved: {
        arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:dbaf-life-new`,
        members: ['dbaf-life-1'],
      },
      follower: 'dbaf-life-new',
      instanceGone: [...INSTANCE_LIFECYCLES.delete, GONE],
      clusterGone: [...CLUSTER_LIFECYCLES.delete, GONE],
    });
  });

  it.each([
    ['dbaf-clone-1', 'a valid identifier'],
    ['Dbaf-Clone-2', 'capitals, stored in lower case'],
    ['a', 'one letter'],
    [`a${'b'.repeat(62)}`, '63 characters'],
    [`a${'b'.repeat(63)}`, '64 characters'],
    ['1dbaf', 'a digit first'],
    ['-dbaf', 'a hyphen first'],
    ['dbaf-', 'a hyphen last'],
    ['dbaf--x', 'two hyphens in a row'],
    ['dbaf_x', 'an underscore'],
    ['dbaf.x', 'a dot'],
    ['dbaf-é', 'a letter beyond ASCII'],
    ['', 'nothing'],
  ])('take or refuse %j (%s) alike as a cluster, an instance and a new cluster name', async (id) => {
    const answers = await bothAnswer(async (side) => {
      const rename = await answer(
        side.rds.send(
          new ModifyDBClusterCommand({ DBClusterIdentifier: SOURCE.id, NewDBClusterIdentifier: id }),
        ),
      );
      const cluster = await answer(restore(side, id));
      const instance = await answer(createInstance(side, id, SOURCE.id));
      return {
        cluster: 'ok' in cluster ? cluster.ok.DBCluster?.DBClusterIdentifier : cluster,
        instance: 'ok' in instance ? instance.ok.DBInstance?.DBInstanceIdentifier : instance,
        // Without ApplyImmediately a rename waits for the maintenance window.
        rename: 'ok' in rename ? rename.ok.DBCluster?.PendingModifiedValues?.DBClusterIdentifier : rename,
      };
    });
    const refused = (parameter: string) => {
      const refusal = id === '' ? missingParameter(parameter) : identifierRefusal(id, parameter);
      return refusal && { error: refusal.name, message: refusal.message };
    };
    expect(answers).toEqual({
      cluster: refused('DBClusterIdentifier') ?? id.toLowerCase(),
      instance: refused('DBInstanceIdentifier') ?? id.toLowerCase(),
      // An empty new name asks for no rename at all.
      rename: id === '' ? undefined : (refused('NewDBClusterIdentifier') ?? id.toLowerCase()),
    });
  });

  it.each([
    ['Abcdef1!', '8 characters'],
    ['Abcdef1', '7 characters'],
    [`A${'b'.repeat(40)}`, '41 characters'],
    [`A${'b'.repeat(41)}`, '42 characters'],
    ["it's-a-\\password`~", 'quotes, backslashes and backticks'],
    ['has a space', 'a space'],
    ['has/a-slash', 'a slash'],
    ['has@an-at', 'an at sign'],
    ['has"a-quote', 'a double quote'],
    ['has\ta-tab', 'a tab'],
    ['naïve-password', 'a letter beyond ASCII'],
  ])('take or refuse the master password %j (%s) alike', async (password) => {
    const answered = await bothAnswer(async (side) => {
      const changed = await answer(
        side.rds.send(
          new ModifyDBClusterCommand({
            DBClusterIdentifier: SOURCE.id,
            MasterUserPassword: password,
            ApplyImmediately: true,
          }),
        ),
      );
      return 'ok' in changed ? changed.ok.DBCluster?.PendingModifiedValues : changed;
    });
    const refusal = masterPasswordRefusal(password);
    expect(answered).toEqual(
      refusal ? { error: refusal.name, message: refusal.message } : { MasterUserPassword: '****' },
    );
  });

  it('refuse the names a cluster has or a rename is moving to, and changes while renaming', async () => {
    const answers = await bothAnswer(
      async (side) => {
        for (const id of ['dbaf-a', 'dbaf-b']) await restore(side, id);
        for (const id of ['dbaf-a', 'dbaf-b'])
          await statuses(
            side,
            undefined,
            () => clusterStatus(side, id),
            (s) => s === 'available',
          );
        const rename = (from: string, to: string) =>
          answer(
            side.rds.send(
              new ModifyDBClusterCommand({
                DBClusterIdentifier: from,
                NewDBClusterIdentifier: to,
                ApplyImmediately: true,
              }),
            ),
          );
        const ontoExisting = await rename('dbaf-a', 'dbaf-b');
        await rename('dbaf-a', 'dbaf-c');
        return {
          ontoExisting,
          // A cluster keeps its identifier while renaming: the new one is not there yet.
          newNameWhileRenaming: await clusterStatus(side, 'dbaf-c'),
          ontoRenameTarget: await rename('dbaf-b', 'dbaf-c'),
          restoreOntoRenameTarget: await answer(restore(side, 'dbaf-c')),
          changeWhileRenaming: await answer(
            side.rds.send(
              new ModifyDBClusterCommand({ DBClusterIdentifier: 'dbaf-a', MasterUserPassword: 'Abcdefgh1!' }),
            ),
          ),
          instanceWhileRenaming: await answer(createInstance(side, 'dbaf-a-1', 'dbaf-a')),
        };
      },
      { slow: true },
    );
    expect(answers).toEqual({
      ontoExisting: { error: 'DBClusterAlreadyExistsFault', message: 'DB Cluster dbaf-b already exists' },
      newNameWhileRenaming: GONE,
      ontoRenameTarget: { error: 'DBClusterAlreadyExistsFault', message: 'DB Cluster dbaf-c already exists' },
      restoreOntoRenameTarget: { error: 'DBClusterAlreadyExistsFault', message: 'DB Cluster already exists' },
      changeWhileRenaming: {
        error: 'InvalidDBClusterStateFault',
        message: 'DB cluster dbaf-a is not available (it is renaming).',
      },
      instanceWhileRenaming: {
        error: 'InvalidDBClusterStateFault',
        message: 'DB Cluster dbaf-a is in renaming state.',
      },
    });
  });

  it('refuse restores and instances as RDS does: quota, names, sources, parameters, states', async () => {
    await bothAnswer(
      async (side) => {
        const creating = await restore(side, 'dbaf-new');
        const results = {
          creating: creating.DBCluster?.Status,
          missingCluster: await answer(
            side.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'dbaf-nope' })),
          ),
          missingInstance: await answer(
            side.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'dbaf-nope-1' })),
          ),
          sameName: await answer(restore(side, 'dbaf-new')),
          instanceOfCreatingCluster: await answer(createInstance(side, 'dbaf-new-1', 'dbaf-new')),
          instanceOfMissingCluster: await answer(createInstance(side, 'dbaf-nope-1', 'dbaf-nope')),
          instanceNameInUse: await answer(createInstance(side, SOURCE.writer, SOURCE.id)),
          cloneOfCreatingCluster: await answer(
            restore(side, 'dbaf-second', { SourceDBClusterIdentifier: 'dbaf-new' }),
          ),
          missingSubnetGroup: await answer(restore(side, 'dbaf-other', { DBSubnetGroupName: 'nope' })),
          timeAndCopyOnWrite: await answer(
            restore(side, 'dbaf-other', {
              UseLatestRestorableTime: undefined,
              RestoreToTime: new Date('2026-01-01T00:00:00Z'),
            }),
          ),
          noTime: await answer(restore(side, 'dbaf-other', { UseLatestRestorableTime: undefined })),
          deleteCreatingCluster: await answer(
            side.rds.send(
              new DeleteDBClusterCommand({ DBClusterIdentifier: 'dbaf-new', SkipFinalSnapshot: true }),
            ),
          ),
          deleteClusterWithInstances: await answer(
            side.rds.send(
              new DeleteDBClusterCommand({ DBClusterIdentifier: SOURCE.id, SkipFinalSnapshot: true }),
            ),
          ),
        };
        side.setClusterQuota(2);
        const quotas = await side.rds.send(new DescribeAccountAttributesCommand({}));
        const deleting = await side.rds.send(
          new DeleteDBInstanceCommand({ DBInstanceIdentifier: SOURCE.writer }),
        );
        return {
          ...results,
          beyondQuota: await answer(restore(side, 'dbaf-third')),
          quotas: quotas.AccountQuotas,
          deleting: deleting.DBInstance?.DBInstanceStatus,
          deleteDeletingInstance: await answer(
            side.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: SOURCE.writer })),
          ),
        };
      },
      { slow: true },
    );
  });

  it('refuse subnet groups as RDS does, and tag resources alike', async () => {
    await bothAnswer(async (side) => {
      const inVpc = SUBNETS.filter((s) => s.VpcId === SOURCE.vpcId).map((s) => s.SubnetId);
      const elsewhere = SUBNETS.filter((s) => s.VpcId !== SOURCE.vpcId).map((s) => s.SubnetId);
      const group = (name: string, SubnetIds: string[]) =>
        answer(
          side.rds.send(
            new CreateDBSubnetGroupCommand({
              DBSubnetGroupName: name,
              DBSubnetGroupDescription: 'a clone',
              SubnetIds,
            }),
          ),
        );
      const made = await group('dbaf-net', inVpc.slice(0, 2));
      const sourceArn = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${SOURCE.id}`;
      await side.rds.send(
        new AddTagsToResourceCommand({
          ResourceName: sourceArn,
          Tags: [
            { Key: 'team', Value: 'payments' },
            { Key: 'dbaf:owner', Value: 'alice' },
            { Key: 'dbaf:owner', Value: 'bob' },
          ],
        }),
      );
      return {
        made: 'ok' in made ? made.ok.DBSubnetGroup?.DBSubnetGroupName : made,
        again: await group('dbaf-net', inVpc.slice(0, 2)),
        oneZone: await group('dbaf-one', [SUBNETS[0].SubnetId, SUBNETS[4].SubnetId]),
        twoVpcs: await group('dbaf-two', [...inVpc.slice(0, 1), ...elsewhere]),
        unknownSubnet: await group('dbaf-unknown', [...inVpc.slice(0, 1), 'subnet-00000000']),
        deleteMissing: await answer(
          side.rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: 'nope' })),
        ),
        deleteInUse: await answer(
          side.rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: SOURCE.subnetGroup })),
        ),
        tags: (await side.rds.send(new ListTagsForResourceCommand({ ResourceName: sourceArn }))).TagList,
        tagsOfMissingGroup: await answer(
          side.rds.send(
            new ListTagsForResourceCommand({ ResourceName: `arn:aws:rds:${REGION}:${ACCOUNT}:subgrp:nope` }),
          ),
        ),
      };
    });
  });

  it.each([
    'dbaf/dbaf-clone',
    'a_+=.@-/name',
    'has space',
    'has!bang',
    `a${'b'.repeat(511)}`,
    `a${'b'.repeat(512)}`,
  ])('take or refuse the secret name %j alike, and refuse it twice', async (name) => {
    await bothAnswer(async (side) => {
      const create = () =>
        answer(side.secrets.send(new CreateSecretCommand({ Name: name, SecretString: '{}' })));
      const first = await create();
      return {
        first:
          'ok' in first ? { name: first.ok.Name, arn: SECRET_ARN_SUFFIX.test(first.ok.ARN ?? '') } : first,
        second: await create(),
        missing: await answer(side.secrets.send(new GetSecretValueCommand({ SecretId: 'dbaf/nope' }))),
      };
    });
  });

  it.each([
    ['dbaf-clone', 'dbaf'],
    ['dbaf-clone.warning', 'dbaf'],
    [`a${'b'.repeat(63)}`, 'dbaf'],
    [`a${'b'.repeat(64)}`, 'dbaf'],
    ['has space', 'dbaf'],
    ['has/slash', 'dbaf'],
    ['dbaf-clone', 'nope'],
  ])('take or refuse the schedule %j in group %j alike, and refuse it twice', async (name, group) => {
    await bothAnswer(async (side) => {
      const create = () =>
        answer(
          side.scheduler.send(
            new CreateScheduleCommand({
              Name: name,
              GroupName: group,
              ScheduleExpression: 'at(2030-01-01T00:00:00)',
              FlexibleTimeWindow: { Mode: 'OFF' },
              Target: {
                Arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dbaf-teardown`,
                RoleArn: `arn:aws:iam::${ACCOUNT}:role/dbaf-scheduler`,
                Input: '{}',
              },
              ActionAfterCompletion: 'DELETE',
            }),
          ),
        );
      const first = await create();
      return {
        first: 'ok' in first ? first.ok.ScheduleArn : first,
        second: await create(),
        missing: await answer(
          side.scheduler.send(new GetScheduleCommand({ Name: 'nope', GroupName: 'dbaf' })),
        ),
      };
    });
  });

  it('refuse security groups alike: a name taken, an id unknown, a group a cluster uses', async () => {
    await bothAnswer(async (side) => {
      const create = () =>
        side.ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: 'dbaf-sg',
            Description: 'a clone',
            VpcId: SOURCE.vpcId,
          }),
        );
      const { GroupId = '' } = await create();
      await restore(side, 'dbaf-with-sg', { VpcSecurityGroupIds: [GroupId] });
      const failure = async (request: Promise<unknown>) => {
        const got = await answer(request);
        return 'ok' in got ? 'ok' : { ...got, message: got.message.replace(GroupId, '<group>') };
      };
      return {
        again: await failure(create()),
        unknown: await failure(side.ec2.send(new DeleteSecurityGroupCommand({ GroupId: 'sg-0000000f' }))),
        inUse: await failure(side.ec2.send(new DeleteSecurityGroupCommand({ GroupId }))),
      };
    });
  });
});
