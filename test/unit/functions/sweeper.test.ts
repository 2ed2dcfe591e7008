import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  type DBCluster,
  DBClusterNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DescribeDBClustersCommand,
  type DescribeDBClustersMessage,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException as ScheduleNotFound,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  type StartExecutionInput,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cloneTags, type Tag } from '../../../functions/shared/tags.js';
import { sweepExecutionName } from '../../../functions/sweeper/executions.js';
import { handler, SWEEP_COMPLETED, sweep } from '../../../functions/sweeper/handler.js';
import { lambdaContext } from '../../support/context.js';
import { resetAfterEach } from '../../support/mocks.js';

const rdsMock = mockClient(RDSClient);
const ec2Mock = mockClient(EC2Client);
const schedulerMock = mockClient(SchedulerClient);
const secretsMock = mockClient(SecretsManagerClient);
const sfnMock = mockClient(SFNClient);
const eventsMock = mockClient(EventBridgeClient);

const ARN = 'arn:aws:states:us-east-1:123456789012';
const TEARDOWN = `${ARN}:stateMachine:dbaf-teardown`;
const CLONE_MACHINE = `${ARN}:stateMachine:dbaf-clone`;
const SWEEPER_MACHINE = `${ARN}:stateMachine:dbaf-sweeper`;
const cloneExecution = (name: string) => `${ARN}:execution:dbaf-clone:${name}`;
const teardownExecution = (name: string) => `${ARN}:execution:dbaf-teardown:${name}`;
const NOW = Date.parse('2026-11-21T12:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const meta = { $metadata: {}, message: 'from AWS' };

function ours(cloneId: string, expiresAt = iso(NOW + HOUR), executionArn = cloneExecution(cloneId)): Tag[] {
  return cloneTags({
    cloneId,
    source: 'legacy-prod',
    owner: 'ana',
    expiresAt,
    executionArn,
    createdAt: '2026-11-20T10:00:00Z',
  });
}

function cluster(id: string, tags: Tag[] = ours(id)): DBCluster {
  return {
    DBClusterIdentifier: id,
    DBClusterArn: `arn:aws:rds:us-east-1:123456789012:cluster:${id}`,
    Status: 'available',
    TagList: tags,
  };
}

/** The account's clusters: listed by DescribeDBClusters, found (or not) by identifier. */
function clusters(...list: DBCluster[]): void {
  rdsMock.on(DescribeDBClustersCommand).callsFake((input: DescribeDBClustersMessage) => {
    if (input.DBClusterIdentifier === undefined) return { DBClusters: list };
    const found = list.filter((c) => c.DBClusterIdentifier === input.DBClusterIdentifier);
    if (found.length === 0) throw new DBClusterNotFoundFault(meta);
    return { DBClusters: found };
  });
}

/** TTL schedules in the group, by name, with the execution that made each. */
function schedules(
  ...list: { name: string; createdBy?: string; target?: string; finalSnapshot?: boolean }[]
) {
  schedulerMock.on(ListSchedulesCommand).resolves({
    Schedules: list.map(({ name, target = TEARDOWN }) => ({
      Name: name,
      GroupName: 'dbaf',
      Target: { Arn: target },
    })),
  });
  schedulerMock.on(GetScheduleCommand).callsFake((input: { Name?: string }) => {
    const schedule = list.find((s) => s.name === input.Name);
    if (!schedule) throw new ScheduleNotFound({ ...meta, Message: 'gone' });
    const { name: cloneId, createdBy, finalSnapshot = false } = schedule;
    return {
      Name: cloneId,
      Target: {
        Arn: TEARDOWN,
        RoleArn: 'role',
        Input: JSON.stringify({ cloneId, reason: 'ttl-expired', finalSnapshot, createdBy }),
      },
    };
  });
}

/** Executions of any state machine, by ARN, with their status (and input). */
function executions(list: Record<string, { status: string; input?: object }>): void {
  sfnMock.on(DescribeExecutionCommand).callsFake((input: { executionArn?: string }) => {
    const found = list[input.executionArn ?? ''];
    if (!found) throw new ExecutionDoesNotExist(meta);
    return {
      executionArn: input.executionArn,
      status: found.status,
      input: JSON.stringify(found.input ?? {}),
    };
  });
  sfnMock.on(ListExecutionsCommand).resolves({
    executions: Object.entries(list)
      .filter(([arn, e]) => arn.includes(':dbaf-teardown:') && e.status === 'RUNNING')
      .map(([executionArn, e]) => ({
        executionArn,
        name: executionArn.split(':').pop(),
        status: e.status as 'RUNNING',
        stateMachineArn: TEARDOWN,
        startDate: new Date(NOW),
      })),
  });
}

function started(): { name?: string; input: unknown }[] {
  return sfnMock
    .commandCalls(StartExecutionCommand)
    .map((call) => ({ name: call.args[0].input.name, input: JSON.parse(call.args[0].input.input ?? '{}') }));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  vi.stubEnv('ALLOWED_SOURCES', 'legacy-prod,dbaf-prod-main');
  vi.stubEnv('TEARDOWN_STATE_MACHINE_ARN', TEARDOWN);
  vi.stubEnv('CLONE_STATE_MACHINE_ARN', CLONE_MACHINE);
  vi.stubEnv('EVENT_BUS_NAME', 'dbaf-events');
  clusters();
  schedules();
  executions({});
  rdsMock.on(DescribeDBSubnetGroupsCommand).resolves({ DBSubnetGroups: [] });
  rdsMock.on(ListTagsForResourceCommand).resolves({ TagList: [] });
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  secretsMock.on(ListSecretsCommand).resolves({ SecretList: [] });
  sfnMock
    .on(StartExecutionCommand)
    .callsFake((input: StartExecutionInput) => ({ executionArn: teardownExecution(input.name ?? '') }));
  eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

afterEach(() => {
  vi.useRealTimers();
});

resetAfterEach(rdsMock, ec2Mock, schedulerMock, secretsMock, sfnMock, eventsMock);

describe('the sweeper and expired clones', () => {
  it('starts the teardown of a clone past its expiry whose TTL schedule is missing', async () => {
    const expiresAt = iso(NOW - 2 * HOUR);
    clusters(cluster('dbaf-lost-schedule', ours('dbaf-lost-schedule', expiresAt)));

    const report = await sweep({});

    const name = sweepExecutionName('dbaf-lost-schedule', NOW);
    expect(name).toMatch(/^dbaf-lost-schedule--sweep-[0-9a-z]+$/);
    expect(started()).toEqual([
      { name, input: { cloneId: 'dbaf-lost-schedule', reason: 'sweeper-expired', finalSnapshot: false } },
    ]);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: TEARDOWN });
    expect(report).toEqual({
      dryRun: false,
      expired: [{ cloneId: 'dbaf-lost-schedule', expiresAt, scheduleMissing: true }],
      overLifetime: [],
      orphans: [],
      teardownsStarted: [teardownExecution(name)],
      skipped: [],
    });
  });

  it('leaves a clone to its schedule while it is within the grace period after its expiry', async () => {
    clusters(cluster('dbaf-due', ours('dbaf-due', iso(NOW - 10 * 60_000))));
    schedules({ name: 'dbaf-due', createdBy: cloneExecution('dbaf-due') });

    const report = await sweep({});

    expect(report.expired).toEqual([]);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it('deletes a clone whose schedule failed to fire once the grace is over, with the final snapshot it asked for', async () => {
    const expiresAt = iso(NOW - 20 * 60_000);
    clusters(cluster('dbaf-stuck', ours('dbaf-stuck', expiresAt)));
    schedules({ name: 'dbaf-stuck', createdBy: cloneExecution('dbaf-stuck'), finalSnapshot: true });

    const report = await sweep({});

    expect(report.expired).toEqual([{ cloneId: 'dbaf-stuck', expiresAt, scheduleMissing: false }]);
    expect(started().map((s) => s.input)).toEqual([
      { cloneId: 'dbaf-stuck', reason: 'sweeper-expired', finalSnapshot: true },
    ]);
  });

  it('reads the grace from SWEEPER_GRACE', async () => {
    vi.stubEnv('SWEEPER_GRACE', '1h');
    clusters(cluster('dbaf-stuck', ours('dbaf-stuck', iso(NOW - 20 * 60_000))));
    schedules({ name: 'dbaf-stuck', createdBy: cloneExecution('dbaf-stuck') });

    expect((await sweep({})).expired).toEqual([]);
  });

  it('leaves a clone that has not expired, with or without its schedule', async () => {
    clusters(cluster('dbaf-young'), cluster('dbaf-young-no-schedule'));
    schedules({ name: 'dbaf-young', createdBy: cloneExecution('dbaf-young') });

    expect(await sweep({})).toEqual({
      dryRun: false,
      expired: [],
      overLifetime: [],
      orphans: [],
      teardownsStarted: [],
      skipped: [],
    });
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('never touches a cluster without the managed-by tag, whatever its name and tags say', async () => {
    const old = iso(NOW - 48 * HOUR);
    const unmanaged = ours('dbaf-handmade', old).filter((tag) => tag.Key !== 'dbaf:managed-by');
    clusters(
      cluster('legacy-prod', [{ Key: 'team', Value: 'billing' }]),
      cluster('dbaf-handmade', unmanaged),
      cluster('dbaf-plain', []),
    );

    expect(await sweep({})).toMatchObject({ expired: [], orphans: [], teardownsStarted: [], skipped: [] });
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
    expect(sfnMock).toHaveReceivedCommandTimes(DescribeExecutionCommand, 0);
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it.each([
    ['an allowed source', 'dbaf-prod-main', 'is a source cluster'],
    ['a name outside the clone prefix', 'orders-prod', 'is not a clone name'],
  ])('refuses, even tagged as managed and expired, %s', async (_what, id, reason) => {
    clusters(cluster(id, ours(id, iso(NOW - 48 * HOUR))));

    const report = await sweep({});

    expect(report.expired).toEqual([]);
    expect(report.skipped).toEqual([{ cloneId: id, reason: expect.stringContaining(reason) }]);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('reports a managed clone whose expiry it cannot read, and leaves it', async () => {
    const tags = ours('dbaf-no-expiry').map((t) =>
      t.Key === 'dbaf:expires-at' ? { ...t, Value: 'soon' } : t,
    );
    clusters(cluster('dbaf-no-expiry', tags));

    const report = await sweep({});

    expect(report.skipped).toEqual([
      { cloneId: 'dbaf-no-expiry', reason: expect.stringContaining('no readable "dbaf:expires-at" tag') },
    ]);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('lists the clusters with one paginated DescribeDBClusters, and sweeps from every page', async () => {
    const old = iso(NOW - 3 * HOUR);
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [cluster('dbaf-page-1', ours('dbaf-page-1', old))], Marker: 'page-2' })
      .resolves({ DBClusters: [cluster('dbaf-page-2', ours('dbaf-page-2', old))] });

    const report = await sweep({});

    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBClustersCommand, 2);
    expect(rdsMock).toHaveReceivedNthCommandWith(DescribeDBClustersCommand, 1, {});
    expect(rdsMock).toHaveReceivedNthCommandWith(DescribeDBClustersCommand, 2, { Marker: 'page-2' });
    expect(report.expired.map((e) => e.cloneId)).toEqual(['dbaf-page-1', 'dbaf-page-2']);
  });
});

describe('the sweeper and the maximum lifetime', () => {
  const DAY = 24 * HOUR;
  /** A clone made `ageDays` ago whose expiry (tag and schedule) is `expiresIn` from now. */
  function aged(cloneId: string, ageDays: number, expiresIn = 3 * DAY): DBCluster {
    const tags = ours(cloneId, iso(NOW + expiresIn)).map((tag) =>
      tag.Key === 'dbaf:created-at' ? { ...tag, Value: iso(NOW - ageDays * DAY) } : tag,
    );
    return cluster(cloneId, tags);
  }

  it('deletes an unprotected clone past its lifetime whose TTL schedule was pushed later, with its final snapshot', async () => {
    clusters(aged('dbaf-forever', 31));
    schedules({ name: 'dbaf-forever', createdBy: cloneExecution('dbaf-forever'), finalSnapshot: true });

    const report = await sweep({});

    expect(report.overLifetime).toEqual([
      {
        cloneId: 'dbaf-forever',
        createdAt: iso(NOW - 31 * DAY),
        lifetimeEndedAt: iso(NOW - DAY),
        expiresAt: iso(NOW + 3 * DAY),
      },
    ]);
    expect(report.expired).toEqual([]);
    expect(started()).toEqual([
      {
        name: sweepExecutionName('dbaf-forever', NOW),
        input: { cloneId: 'dbaf-forever', reason: 'max-lifetime', finalSnapshot: true },
      },
    ]);
    expect(eventsMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ Detail: JSON.stringify(report) })],
    });
  });

  it('leaves a clone the deployment protects (PROTECTED_CLONES), however old', async () => {
    vi.stubEnv('PROTECTED_CLONES', 'dbaf-other,DBAF-Demo');
    clusters(aged('dbaf-demo', 90));
    schedules({ name: 'dbaf-demo', createdBy: cloneExecution('dbaf-demo') });

    expect((await sweep({})).overLifetime).toEqual([]);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it.each([
    ['a clone within its lifetime', undefined, 29],
    ['a clone within a longer MAX_LIFETIME', '60d', 45],
  ])('leaves %s', async (_case, maxLifetime, ageDays) => {
    if (maxLifetime !== undefined) vi.stubEnv('MAX_LIFETIME', maxLifetime);
    clusters(aged('dbaf-young', ageDays));
    expect((await sweep({})).overLifetime).toEqual([]);
  });

  it('reads MAX_LIFETIME', async () => {
    vi.stubEnv('MAX_LIFETIME', '10d');
    clusters(aged('dbaf-eleven-days', 11));
    expect((await sweep({})).overLifetime.map((c) => c.cloneId)).toEqual(['dbaf-eleven-days']);
  });

  it("counts from the cluster's creation for a clone made before the created-at tag", async () => {
    const old = aged('dbaf-before-tags', 0);
    clusters({
      ...old,
      TagList: old.TagList?.filter((tag) => tag.Key !== 'dbaf:created-at'),
      ClusterCreateTime: new Date(NOW - 40 * DAY),
    });
    expect((await sweep({})).overLifetime).toMatchObject([
      { cloneId: 'dbaf-before-tags', createdAt: iso(NOW - 40 * DAY) },
    ]);
  });

  it('starts one teardown for an expired clone past its lifetime: the expired one', async () => {
    clusters(aged('dbaf-both', 40, -2 * HOUR));
    const report = await sweep({});
    expect(report.expired.map((c) => c.cloneId)).toEqual(['dbaf-both']);
    expect(report.overLifetime).toEqual([]);
    expect(started().map((s) => s.input)).toEqual([
      { cloneId: 'dbaf-both', reason: 'sweeper-expired', finalSnapshot: false },
    ]);
  });

  it('in a dry run, reports it and starts nothing', async () => {
    clusters(aged('dbaf-forever', 31));
    const report = await sweep({ dryRun: true });
    expect(report.overLifetime.map((c) => c.cloneId)).toEqual(['dbaf-forever']);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });
});

describe('the sweeper and orphans', () => {
  const GONE = 'dbaf-gone';
  const managedGroup = (cloneId: string, tags = ours(cloneId)) => ({
    GroupId: `sg-0${cloneId.length}abc`,
    GroupName: cloneId,
    Tags: tags,
  });

  /** A security group and a subnet group of `cloneId`, made by `maker`. */
  function network(cloneId: string, maker = cloneExecution(cloneId)) {
    const tags = ours(cloneId, iso(NOW + HOUR), maker);
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [managedGroup(cloneId, tags)] });
    rdsMock.on(DescribeDBSubnetGroupsCommand).resolves({
      DBSubnetGroups: [
        { DBSubnetGroupName: 'legacy-prod-subnets', DBSubnetGroupArn: 'arn:subgrp:legacy-prod-subnets' },
        { DBSubnetGroupName: cloneId, DBSubnetGroupArn: `arn:subgrp:${cloneId}` },
      ],
    });
    rdsMock
      .on(ListTagsForResourceCommand, { ResourceName: `arn:subgrp:${cloneId}` })
      .resolves({ TagList: tags });
  }

  it('starts the teardown of a clone whose cluster is gone and whose making has ended', async () => {
    network(GONE);
    executions({ [cloneExecution(GONE)]: { status: 'FAILED' } });

    const report = await sweep({});

    expect(report.orphans).toEqual([
      {
        cloneId: GONE,
        resources: [
          { type: 'security-group', id: `sg-0${GONE.length}abc` },
          { type: 'subnet-group', id: GONE },
        ],
      },
    ]);
    expect(started().map((s) => s.input)).toEqual([{ cloneId: GONE, reason: 'sweeper-orphan' }]);
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
      Filters: [{ Name: 'tag:dbaf:managed-by', Values: ['db-artifact-factory'] }],
    });
    // Only the clone's subnet group needs its tags read: the source's is not named like a clone.
    expect(rdsMock).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 1);
    // The cluster is looked up once more after the maker was found finished.
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, { DBClusterIdentifier: GONE });
  });

  it('takes a subnet group deleted while it looks (by a teardown) as gone', async () => {
    network(GONE);
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    rdsMock.on(ListTagsForResourceCommand).rejects(new DBSubnetGroupNotFoundFault(meta));

    expect(await sweep({})).toMatchObject({ orphans: [], skipped: [], teardownsStarted: [] });
  });

  it('treats a maker that no longer exists as finished', async () => {
    network(GONE, cloneExecution('expired-long-ago'));

    expect((await sweep({})).orphans.map((o) => o.cloneId)).toEqual([GONE]);
  });

  it('skips the leftovers of a clone still being made (its cluster does not exist yet)', async () => {
    network(GONE);
    schedules({ name: GONE, createdBy: cloneExecution(GONE) });
    executions({ [cloneExecution(GONE)]: { status: 'RUNNING' } });

    const report = await sweep({});

    expect(report.orphans).toEqual([]);
    expect(report.skipped).toEqual([
      { cloneId: GONE, reason: expect.stringContaining(`being made by ${cloneExecution(GONE)}`) },
    ]);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it("skips when the schedule's maker runs, though the network's maker ended (a clone made again)", async () => {
    network(GONE, cloneExecution('first-try'));
    schedules({ name: GONE, createdBy: cloneExecution('second-try') });
    executions({
      [cloneExecution('first-try')]: { status: 'FAILED' },
      [cloneExecution('second-try')]: { status: 'RUNNING' },
    });

    expect((await sweep({})).orphans).toEqual([]);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('sweeps a lone TTL schedule whose clone is gone, reading its maker from the schedule', async () => {
    schedules({ name: GONE, createdBy: cloneExecution(GONE) });
    executions({ [cloneExecution(GONE)]: { status: 'SUCCEEDED' } });

    const report = await sweep({});

    expect(report.orphans).toEqual([{ cloneId: GONE, resources: [{ type: 'schedule', id: GONE }] }]);
    expect(schedulerMock).toHaveReceivedCommandWith(ListSchedulesCommand, {
      GroupName: 'dbaf',
      NamePrefix: 'dbaf-',
    });
  });

  it("ignores schedules aimed at anything but the teardown (the sweeper's own)", async () => {
    schedules({ name: 'dbaf-hourly', target: SWEEPER_MACHINE });

    expect(await sweep({})).toMatchObject({ orphans: [], skipped: [] });
    expect(schedulerMock).toHaveReceivedCommandTimes(GetScheduleCommand, 0);
  });

  it('leaves a clone whose cluster appeared while it looked (a clone that was finishing)', async () => {
    network(GONE);
    executions({ [cloneExecution(GONE)]: { status: 'SUCCEEDED' } });
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolves({ DBClusters: [] })
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: GONE })
      .resolves({ DBClusters: [cluster(GONE)] });

    const report = await sweep({});

    expect(report.orphans).toEqual([]);
    expect(report.skipped).toEqual([
      { cloneId: GONE, reason: expect.stringContaining('its cluster exists now') },
    ]);
  });

  it('finds managed secrets by tag and name prefix, and sweeps one named after its clone', async () => {
    secretsMock.on(ListSecretsCommand).resolves({
      SecretList: [
        { Name: `dbaf/${GONE}`, Tags: ours(GONE) },
        { Name: 'dbaf/dbaf-being-deleted', Tags: ours('dbaf-being-deleted'), DeletedDate: new Date(NOW) },
      ],
    });

    const report = await sweep({});

    expect(secretsMock).toHaveReceivedCommandWith(ListSecretsCommand, {
      Filters: [
        { Key: 'tag-key', Values: ['dbaf:managed-by'] },
        { Key: 'name', Values: ['dbaf/dbaf-'] },
      ],
    });
    expect(report.orphans).toEqual([{ cloneId: GONE, resources: [{ type: 'secret', id: `dbaf/${GONE}` }] }]);
  });

  it.each<[string, () => void, string, string | null]>([
    [
      'a security group without the execution tag',
      () =>
        ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
          SecurityGroups: [
            managedGroup(
              GONE,
              ours(GONE).filter((t) => t.Key !== 'dbaf:execution-arn'),
            ),
          ],
        }),
      'names no clone execution that made it',
      GONE,
    ],
    [
      'a security group made by another state machine',
      () => network(GONE, `${ARN}:execution:payments:run-1`),
      'no execution of the clone state machine',
      GONE,
    ],
    [
      'a secret not named after its clone',
      () =>
        secretsMock
          .on(ListSecretsCommand)
          .resolves({ SecretList: [{ Name: 'dbaf/dbaf-x', Tags: ours(GONE) }] }),
      'not named "dbaf/dbaf-gone"',
      GONE,
    ],
    [
      'a security group without a clone id',
      () =>
        ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
          SecurityGroups: [
            managedGroup(
              GONE,
              ours(GONE).filter((t) => t.Key !== 'dbaf:clone-id'),
            ),
          ],
        }),
      'has no "dbaf:clone-id" tag',
      null,
    ],
    [
      'a security group tagged for a source',
      () =>
        ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [managedGroup('legacy-prod')] }),
      'is a source cluster',
      'legacy-prod',
    ],
  ])('reports, and does not sweep, %s', async (_what, arrange, reason, cloneId) => {
    arrange();

    const report = await sweep({});

    expect(report.orphans).toEqual([]);
    expect(report.skipped).toEqual([{ cloneId, reason: expect.stringContaining(reason) }]);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('never looks at a security group or subnet group of a clone whose cluster exists', async () => {
    clusters(cluster(GONE));
    network(GONE);

    expect(await sweep({})).toMatchObject({ orphans: [], skipped: [] });
    expect(rdsMock).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 0);
    expect(sfnMock).toHaveReceivedCommandTimes(DescribeExecutionCommand, 0);
  });
});

describe('the sweeper and running teardowns', () => {
  const old = iso(NOW - 5 * HOUR);

  it.each([
    ['started by dbaf delete', teardownExecution('dbaf-busy--delete-abc123'), undefined],
    [
      'started by its TTL schedule (a generated name)',
      teardownExecution('0f8e-4c1a'),
      { cloneId: 'dbaf-busy' },
    ],
  ])('does not start a second teardown while one %s runs', async (_who, arn, input) => {
    clusters(cluster('dbaf-busy', ours('dbaf-busy', old)));
    executions({ [arn]: { status: 'RUNNING', ...(input ? { input } : {}) } });

    const report = await sweep({});

    expect(report.expired.map((e) => e.cloneId)).toEqual(['dbaf-busy']);
    expect(report.teardownsStarted).toEqual([]);
    expect(report.skipped).toEqual([
      { cloneId: 'dbaf-busy', reason: `a teardown of the clone is already running: ${arn}.` },
    ]);
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: TEARDOWN,
      statusFilter: 'RUNNING',
    });
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
  });

  it('starts teardowns of other clones while one runs', async () => {
    clusters(cluster('dbaf-busy', ours('dbaf-busy', old)), cluster('dbaf-idle', ours('dbaf-idle', old)));
    executions({ [teardownExecution('dbaf-busy--sweep-x')]: { status: 'RUNNING' } });

    expect((await sweep({})).teardownsStarted).toEqual([
      teardownExecution(sweepExecutionName('dbaf-idle', NOW)),
    ]);
  });

  it('lists the running teardowns only when there is something to start', async () => {
    await sweep({});
    expect(sfnMock).toHaveReceivedCommandTimes(ListExecutionsCommand, 0);
  });

  it('gives two sweeps in the same minute the same execution name, so they start one teardown', () => {
    const longest = `dbaf-${'x'.repeat(58)}`;
    expect(sweepExecutionName('dbaf-a', NOW)).toBe(sweepExecutionName('dbaf-a', NOW + 59_000));
    expect(sweepExecutionName('dbaf-a', NOW)).not.toBe(sweepExecutionName('dbaf-a', NOW + 60_000));
    expect(sweepExecutionName(longest, NOW).length).toBeLessThanOrEqual(80);
  });

  it('reports a teardown that a sweep this minute already ran, and starts none', async () => {
    clusters(cluster('dbaf-again', ours('dbaf-again', old)));
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists(meta));

    const report = await sweep({});

    expect(report.teardownsStarted).toEqual([]);
    expect(report.skipped).toEqual([
      { cloneId: 'dbaf-again', reason: expect.stringContaining('this minute') },
    ]);
  });
});

describe('the sweep report', () => {
  it('is the execution output and the detail of one Sweep Completed event, with no secret in it', async () => {
    const expiresAt = iso(NOW - 2 * HOUR);
    clusters(cluster('dbaf-old', ours('dbaf-old', expiresAt)));
    schedules({ name: 'dbaf-orphan', createdBy: cloneExecution('dbaf-orphan') });

    const report = await handler({}, lambdaContext());

    expect(report).toEqual({
      dryRun: false,
      expired: [{ cloneId: 'dbaf-old', expiresAt, scheduleMissing: true }],
      overLifetime: [],
      orphans: [{ cloneId: 'dbaf-orphan', resources: [{ type: 'schedule', id: 'dbaf-orphan' }] }],
      teardownsStarted: [
        teardownExecution(sweepExecutionName('dbaf-old', NOW)),
        teardownExecution(sweepExecutionName('dbaf-orphan', NOW)),
      ],
      skipped: [],
    });
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(eventsMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          Source: 'db-artifact-factory',
          DetailType: SWEEP_COMPLETED,
          Detail: JSON.stringify(report),
          EventBusName: 'dbaf-events',
        },
      ],
    });
  });

  it('in a dry run, reports the same findings but starts nothing and sends no event', async () => {
    clusters(cluster('dbaf-old', ours('dbaf-old', iso(NOW - 2 * HOUR))));

    const report = await sweep({ dryRun: true });

    expect(report).toMatchObject({ dryRun: true, expired: [{ cloneId: 'dbaf-old' }], teardownsStarted: [] });
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 0);
    expect(sfnMock).toHaveReceivedCommandTimes(ListExecutionsCommand, 0);
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it('still succeeds when EventBridge refuses the event (the teardowns are started)', async () => {
    clusters(cluster('dbaf-old', ours('dbaf-old', iso(NOW - 2 * HOUR))));
    eventsMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });

    expect((await sweep({})).teardownsStarted).toHaveLength(1);
  });
});

describe('sweeper errors', () => {
  it.each([
    ['TEARDOWN_STATE_MACHINE_ARN'],
    ['CLONE_STATE_MACHINE_ARN'],
  ])('refuses to run without %s, before any AWS call', async (name) => {
    vi.stubEnv(name, '');
    await expect(handler({}, lambdaContext())).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining(name),
    });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  it('turns throttling into AwsTransient, which the state machine retries', async () => {
    clusters(cluster('dbaf-old', ours('dbaf-old', iso(NOW - 2 * HOUR))));
    sfnMock
      .on(ListExecutionsCommand)
      .rejects(new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', ...meta }));

    await expect(handler({}, lambdaContext())).rejects.toMatchObject({ name: 'AwsTransient' });
  });
});
