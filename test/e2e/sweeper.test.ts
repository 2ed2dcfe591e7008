import { readFileSync } from 'node:fs';
import {
  CreateSecurityGroupCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { DeleteScheduleCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandInProcess } from '../../cli/launcher.js';
import type { CloneReady } from '../../functions/publish-endpoint/handler.js';
import { cloneTags, TAG } from '../../functions/shared/tags.js';
import type { SweepReport } from '../../functions/sweeper/handler.js';
import { SOURCE } from '../../local/seed.js';
import { managedLeftovers } from './leftovers.js';
import { eventually, finished, portOpen, SFNClient, sdkConfig, startStandIn } from './support.js';

const artifact = JSON.parse(readFileSync('examples/artifact.json', 'utf8'));
const EXPIRED = 'dbaf-sweep-expired';
const ORPHAN = 'dbaf-sweep-orphan';
const HANDMADE = 'dbaf-sweep-handmade';
const LONG_AGO = '2020-01-01T00:00:00Z';

/**
 * The sweeper in the stand-in, with its hourly schedule running (every 18 s at the e2e time scale)
 * beside the sweep the test starts: whichever sweep gets there first, the outcome must be the same.
 */
describe('the sweeper, in the stand-in', () => {
  let standIn: StandInProcess;
  let sfn: SFNClient;
  let rds: RDSClient;
  let clone: CloneReady;
  let sweep: SweepReport;

  const executionsOf = async (stateMachineArn: string): Promise<ExecutionListItem[]> =>
    (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];

  /** Every sweep's report so far (the scheduled ones and the test's). */
  const reports = async (): Promise<SweepReport[]> => {
    const found: SweepReport[] = [];
    for (const { executionArn } of await executionsOf(standIn.ready.stateMachines.sweeper)) {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (described.status === 'SUCCEEDED') found.push(JSON.parse(described.output ?? '{}') as SweepReport);
    }
    return found;
  };

  /** The teardowns the sweeper started for one clone. */
  const sweepTeardowns = async (cloneId: string) =>
    (await executionsOf(standIn.ready.stateMachines.teardown)).filter((e) =>
      e.name?.startsWith(`${cloneId}--sweep-`),
    );

  beforeAll(async () => {
    standIn = await startStandIn();
    const config = sdkConfig(standIn.ready.endpoint);
    sfn = new SFNClient(config);
    rds = new RDSClient(config);
    const ec2 = new EC2Client(config);
    const scheduler = new SchedulerClient(config);

    // A clone made by the clone workflow, whose TTL schedule is then lost and whose expiry has passed.
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: standIn.ready.stateMachines.clone,
        name: EXPIRED,
        input: JSON.stringify({ ...artifact, target: { ...artifact.target, cloneName: EXPIRED } }),
      }),
    );
    // Beside it, a clone-named cluster made by hand: expired by its tags, but not managed.
    const handmade = await rds.send(
      new RestoreDBClusterToPointInTimeCommand({
        DBClusterIdentifier: HANDMADE,
        SourceDBClusterIdentifier: SOURCE.id,
        RestoreType: 'copy-on-write',
        UseLatestRestorableTime: true,
        Tags: [
          { Key: TAG.cloneId, Value: HANDMADE },
          { Key: TAG.expiresAt, Value: LONG_AGO },
        ],
      }),
    );
    expect(handmade.DBCluster?.DBClusterIdentifier).toBe(HANDMADE);
    const made = await finished(sfn, executionArn);
    expect(made.status, made.cause).toBe('SUCCEEDED');
    clone = JSON.parse(made.output ?? '{}') as CloneReady;
    await eventually('the hand-made cluster to be available', async () => {
      const { DBClusters = [] } = await rds.send(
        new DescribeDBClustersCommand({ DBClusterIdentifier: HANDMADE }),
      );
      return DBClusters[0]?.Status === 'available' ? true : undefined;
    });
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: `${HANDMADE}-1`,
        DBClusterIdentifier: HANDMADE,
        Engine: 'aurora-postgresql',
        DBInstanceClass: 'db.r6g.large',
      }),
    );
    await scheduler.send(new DeleteScheduleCommand({ GroupName: 'dbaf', Name: EXPIRED }));
    await rds.send(
      new AddTagsToResourceCommand({
        ResourceName: `arn:aws:rds:us-east-1:000000000000:cluster:${EXPIRED}`,
        Tags: [{ Key: TAG.expiresAt, Value: LONG_AGO }],
      }),
    );

    // What a clone whose cluster is gone left behind: its security group and subnet group, made by
    // a clone execution that no longer exists.
    const tags = cloneTags({
      cloneId: ORPHAN,
      source: SOURCE.id,
      owner: 'e2e',
      expiresAt: LONG_AGO,
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:dbaf-clone:${ORPHAN}`,
      createdAt: LONG_AGO,
    });
    const { Vpcs = [] } = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
    );
    const vpcId = Vpcs[0]?.VpcId ?? '';
    const { Subnets = [] } = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    await Promise.all([
      ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: ORPHAN,
          Description: `db-artifact-factory clone ${ORPHAN}`,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: tags }],
        }),
      ),
      rds.send(
        new CreateDBSubnetGroupCommand({
          DBSubnetGroupName: ORPHAN,
          DBSubnetGroupDescription: `db-artifact-factory clone ${ORPHAN}`,
          SubnetIds: Subnets.map((s) => s.SubnetId ?? ''),
          Tags: tags,
        }),
      ),
    ]);

    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: standIn.ready.stateMachines.sweeper,
        name: 'e2e-sweep',
        input: '{}',
      }),
    );
    const swept = await finished(sfn, started.executionArn ?? '');
    expect(swept.status, swept.cause).toBe('SUCCEEDED');
    sweep = JSON.parse(swept.output ?? '{}') as SweepReport;
  }, 60_000);

  afterAll(async () => {
    await standIn?.stop();
  });

  it('runs on its schedule in the dbaf group, from the start', async () => {
    const scheduler = new SchedulerClient(sdkConfig(standIn.ready.endpoint));
    const schedule = await scheduler.send(
      new GetScheduleCommand({ GroupName: 'dbaf', Name: 'dbaf.sweeper' }),
    );
    expect(schedule).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      Target: { Arn: standIn.ready.stateMachines.sweeper, Input: '{}' },
    });
    const scheduled = (await executionsOf(standIn.ready.stateMachines.sweeper)).filter(
      (e) => e.name !== 'e2e-sweep',
    );
    expect(scheduled.length).toBeGreaterThan(0);
    expect(scheduled.map((e) => e.status)).toContain('SUCCEEDED');
  });

  it('finds the expired clone and the orphans (this sweep or the scheduled one beside it)', () => {
    // A scheduled sweep may have started a teardown first: this one then reports it running.
    expect(sweep.expired).toContainEqual({ cloneId: EXPIRED, expiresAt: LONG_AGO, scheduleMissing: true });
    const acted = [...sweep.teardownsStarted, ...sweep.skipped.map((s) => `${s.cloneId}: ${s.reason}`)].join(
      '\n',
    );
    expect(acted).toMatch(new RegExp(`${EXPIRED}(--sweep-|: a teardown of the clone is already running)`));
    expect(JSON.stringify(sweep)).not.toContain(HANDMADE);
  });

  it('has the expired clone deleted, although its schedule was gone', async () => {
    await eventually(
      'the expired clone to be gone',
      async () => ((await managedLeftovers(standIn.ready.endpoint, EXPIRED)).length === 0 ? true : undefined),
      30_000,
    );
    const teardowns = await sweepTeardowns(EXPIRED);
    expect(teardowns.length).toBeGreaterThan(0);
    for (const { executionArn } of teardowns) {
      const described = await finished(sfn, executionArn ?? '');
      expect(described.status, described.cause).toBe('SUCCEEDED');
      expect(JSON.parse(described.input ?? '{}')).toEqual({
        cloneId: EXPIRED,
        reason: 'sweeper-expired',
        finalSnapshot: false,
      });
    }
    expect(await portOpen(clone.port)).toBe(false);
  });

  it('has the orphaned security group and subnet group deleted', async () => {
    await eventually(
      'the orphans to be gone',
      async () => ((await managedLeftovers(standIn.ready.endpoint, ORPHAN)).length === 0 ? true : undefined),
      30_000,
    );
    const found = (await reports()).flatMap((r) => r.orphans).filter((o) => o.cloneId === ORPHAN);
    expect(new Set(found.flatMap((o) => o.resources.map((r) => r.type)))).toEqual(
      new Set(['security-group', 'subnet-group']),
    );
    const teardowns = await sweepTeardowns(ORPHAN);
    expect(teardowns.length).toBeGreaterThan(0);
    for (const { executionArn } of teardowns) {
      expect((await finished(sfn, executionArn ?? '')).status).toBe('SUCCEEDED');
    }
  });

  it('never touches the unmanaged cluster beside them, nor the source', async () => {
    const { DBClusters = [] } = await rds.send(new DescribeDBClustersCommand({}));
    const byId = new Map(DBClusters.map((c) => [c.DBClusterIdentifier, c]));
    expect(byId.get(HANDMADE)?.Status).toBe('available');
    expect(byId.get(HANDMADE)?.TagList).toEqual([
      { Key: TAG.cloneId, Value: HANDMADE },
      { Key: TAG.expiresAt, Value: LONG_AGO },
    ]);
    expect(byId.get(SOURCE.id)?.Status).toBe('available');
    const { DBInstances = [] } = await rds.send(new DescribeDBInstancesCommand({}));
    expect(DBInstances.find((i) => i.DBInstanceIdentifier === `${HANDMADE}-1`)?.DBInstanceStatus).not.toBe(
      'deleting',
    );
    expect(DBInstances.find((i) => i.DBInstanceIdentifier === SOURCE.instanceId)?.DBInstanceStatus).toBe(
      'available',
    );
    const teardowns = await executionsOf(standIn.ready.stateMachines.teardown);
    expect(teardowns.filter((e) => e.name?.startsWith(HANDMADE) || e.name?.startsWith(SOURCE.id))).toEqual(
      [],
    );
    for (const report of await reports()) expect(JSON.stringify(report)).not.toContain(HANDMADE);
  });

  it('has had no sweep and no teardown fail, though they ran side by side', async () => {
    const machines = [standIn.ready.stateMachines.sweeper, standIn.ready.stateMachines.teardown];
    for (const stateMachineArn of machines) {
      const failed = (await executionsOf(stateMachineArn)).filter(
        (e) => e.status !== 'SUCCEEDED' && e.status !== 'RUNNING',
      );
      expect(failed.map((e) => `${e.name}: ${e.status}`)).toEqual([]);
    }
  });
});
