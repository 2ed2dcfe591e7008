import {
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DescribeDBInstancesCommand,
  InsufficientDBInstanceCapacityFault,
  InvalidDBClusterStateFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createInstances, handler } from '../../../functions/create-instance/handler.js';
import type { ClonePlan } from '../../../functions/shared/plan.js';
import { TAG } from '../../../functions/shared/tags.js';
import { lambdaContext } from '../../support/context.js';
import { rdsFault, resetAfterEach } from '../../support/mocks.js';
import { SAMPLE_TAGS, samplePlan } from '../../support/plan.js';

const rdsMock = mockClient(RDSClient);

/** The sample plan, with the values these tests check: a writer and a reader. */
function plan(overrides: Partial<ClonePlan> = {}): ClonePlan {
  return samplePlan({
    cloneId: 'dbaf-reporting',
    instanceClass: 'db.r6g.large',
    dbParameterGroupName: 'prod-instance-params',
    instanceIdentifiers: ['dbaf-reporting-1', 'dbaf-reporting-2'],
    ...overrides,
  });
}

const ours = (id: string) => ({
  DBInstanceIdentifier: id,
  DBClusterIdentifier: 'dbaf-reporting',
  DBInstanceStatus: 'creating',
  TagList: SAMPLE_TAGS,
});

beforeEach(() => {
  rdsMock.on(DescribeDBInstancesCommand).rejects(rdsFault(DBInstanceNotFoundFault, 'not found'));
  rdsMock.on(CreateDBInstanceCommand).resolves({ DBInstance: { DBInstanceStatus: 'creating' } });
});

resetAfterEach(rdsMock);

describe('create-instance', () => {
  it('creates the writer then the readers in the clone cluster, private and tagged', async () => {
    const output = await createInstances({ plan: plan() });

    expect(output).toEqual({ instanceIdentifiers: ['dbaf-reporting-1', 'dbaf-reporting-2'] });
    expect(rdsMock).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 2);
    expect(rdsMock).toHaveReceivedNthCommandWith(CreateDBInstanceCommand, 1, {
      DBInstanceIdentifier: 'dbaf-reporting-1',
      DBClusterIdentifier: 'dbaf-reporting',
      DBInstanceClass: 'db.r6g.large',
      Engine: 'aurora-postgresql',
      DBParameterGroupName: 'prod-instance-params',
      PubliclyAccessible: false,
      PromotionTier: 0,
      Tags: SAMPLE_TAGS,
    });
    expect(rdsMock).toHaveReceivedNthCommandWith(CreateDBInstanceCommand, 2, {
      DBInstanceIdentifier: 'dbaf-reporting-2',
      PromotionTier: 1,
    });
  });

  it('leaves the parameter group to AWS when the plan has none, and caps the promotion tier at 15', async () => {
    const ids = Array.from({ length: 17 }, (_, i) => `dbaf-reporting-${i + 1}`);

    await createInstances({ plan: plan({ instanceIdentifiers: ids, dbParameterGroupName: null }) });

    const sent = rdsMock.commandCalls(CreateDBInstanceCommand).map((call) => call.args[0].input);
    expect(sent.map((input) => input.PromotionTier)).toEqual([
      ...Array.from({ length: 16 }, (_, i) => i),
      15,
    ]);
    expect(sent[0]).not.toHaveProperty('DBParameterGroupName');
  });

  it('creates nothing when repeated after the instances exist', async () => {
    rdsMock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'dbaf-reporting-1' }).resolves({
      DBInstances: [ours('dbaf-reporting-1')],
    });
    rdsMock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'dbaf-reporting-2' }).resolves({
      DBInstances: [ours('dbaf-reporting-2')],
    });

    const output = await createInstances({ plan: plan() });

    expect(output.instanceIdentifiers).toEqual(['dbaf-reporting-1', 'dbaf-reporting-2']);
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('creates only the instances still missing after a partial run', async () => {
    rdsMock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'dbaf-reporting-1' }).resolves({
      DBInstances: [ours('dbaf-reporting-1')],
    });

    await createInstances({ plan: plan() });

    expect(rdsMock).toHaveReceivedCommandExactlyOnceWith(CreateDBInstanceCommand, {
      DBInstanceIdentifier: 'dbaf-reporting-2',
    });
  });

  it('accepts an instance a concurrent attempt created first', async () => {
    rdsMock.on(CreateDBInstanceCommand).rejects(rdsFault(DBInstanceAlreadyExistsFault));
    rdsMock
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'dbaf-reporting-1' })
      .rejectsOnce(rdsFault(DBInstanceNotFoundFault))
      .resolves({ DBInstances: [ours('dbaf-reporting-1')] });

    await expect(
      createInstances({ plan: plan({ instanceIdentifiers: ['dbaf-reporting-1'] }) }),
    ).resolves.toEqual({
      instanceIdentifiers: ['dbaf-reporting-1'],
    });
  });

  it.each([
    { what: 'without our tags', instance: { ...ours('dbaf-reporting-1'), TagList: [] } },
    {
      what: 'of another clone',
      instance: {
        ...ours('dbaf-reporting-1'),
        TagList: SAMPLE_TAGS.map((tag) => (tag.Key === TAG.cloneId ? { ...tag, Value: 'dbaf-other' } : tag)),
      },
    },
    {
      what: 'in another cluster',
      instance: { ...ours('dbaf-reporting-1'), DBClusterIdentifier: 'legacy-prod' },
    },
  ])('refuses an instance of the same name $what as CloneConflict', async ({ instance }) => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance] });

    await expect(createInstances({ plan: plan() })).rejects.toMatchObject({
      name: 'CloneConflict',
      message: expect.stringContaining('"dbaf-reporting-1" already exists'),
    });
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it("refuses a racing instance that turns out to be someone else's", async () => {
    rdsMock.on(CreateDBInstanceCommand).rejects(rdsFault(DBInstanceAlreadyExistsFault));
    rdsMock
      .on(DescribeDBInstancesCommand)
      .rejectsOnce(rdsFault(DBInstanceNotFoundFault))
      .resolves({ DBInstances: [{ ...ours('dbaf-reporting-1'), TagList: [] }] });

    await expect(createInstances({ plan: plan() })).rejects.toMatchObject({ name: 'CloneConflict' });
  });

  it.each([
    {
      fault: InvalidDBClusterStateFault,
      name: 'NotReady',
      message: /cannot take instance "dbaf-reporting-1" yet/,
    },
    {
      fault: InsufficientDBInstanceCapacityFault,
      name: 'ResourceFailed',
      message: /no capacity for class db.r6g.large .*choose another target.instanceClass/,
    },
    { fault: DBClusterNotFoundFault, name: 'ResourceFailed', message: /"dbaf-reporting" vanished/ },
  ])('maps $fault.name to $name', async ({ fault, name, message }) => {
    rdsMock.on(CreateDBInstanceCommand).rejects(rdsFault(fault));

    const error = await createInstances({ plan: plan() }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name, message });
    expect((error as Error).cause).toBeInstanceOf(fault);
  });

  it('keeps the error names through the Lambda handler', async () => {
    rdsMock.on(CreateDBInstanceCommand).rejects(rdsFault(InvalidDBClusterStateFault));

    await expect(handler({ plan: plan() }, lambdaContext())).rejects.toMatchObject({ name: 'NotReady' });
  });
});
