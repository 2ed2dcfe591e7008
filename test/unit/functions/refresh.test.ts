import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  type DBCluster,
  DBClusterNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  ModifyDBClusterCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  CreateScheduleCommand,
  GetScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { refresh } from '../../../functions/refresh/handler.js';
import type { RefreshPlan } from '../../../functions/refresh/types.js';
import { generationOf } from '../../../functions/shared/names.js';
import { cloneTags } from '../../../functions/shared/tags.js';
import { resetAfterEach } from '../../support/mocks.js';

const rdsMock = mockClient(RDSClient);
const ec2Mock = mockClient(EC2Client);
const secretsMock = mockClient(SecretsManagerClient);
const sfnMock = mockClient(SFNClient);
const schedulerMock = mockClient(SchedulerClient);
const eventsMock = mockClient(EventBridgeClient);

const CLONE = 'dbaf-reporting';
const CLONE_SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:dbaf-clone';
const MAKER = 'arn:aws:states:us-east-1:123456789012:execution:dbaf-clone:dbaf-reporting';
const REFRESH = 'arn:aws:states:us-east-1:123456789012:execution:dbaf-refresh:nightly-1';
const GEN = generationOf(REFRESH);
const NOW = Date.parse('2026-11-21T10:00:00Z');
const SECRET = { password: 'kept-password-1234', host: 'dbaf-reporting.cluster-x.rds', port: 5433 };

function tags(executionArn = MAKER, extra: { expiresAt?: string; source?: string; cloneId?: string } = {}) {
  return cloneTags({
    cloneId: extra.cloneId ?? CLONE,
    source: extra.source ?? 'legacy-prod',
    owner: 'ana@example.com',
    expiresAt: extra.expiresAt ?? '2026-11-22T10:00:00Z',
    executionArn,
    createdAt: '2026-11-01T08:00:00Z',
  });
}

function clone(overrides: Partial<DBCluster> = {}): DBCluster {
  return {
    DBClusterIdentifier: CLONE,
    Status: 'available',
    Port: 5433,
    MasterUsername: 'postgres_admin',
    DatabaseName: 'app',
    DBSubnetGroup: 'prod-subnets',
    Endpoint: SECRET.host,
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0clone' }],
    TagList: tags(),
    ...overrides,
  };
}

const source: DBCluster = {
  DBClusterIdentifier: 'legacy-prod',
  DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:legacy-prod',
  Engine: 'aurora-postgresql',
  EngineVersion: '16.4',
  Status: 'available',
  Port: 5432,
  DBClusterParameterGroup: 'prod-cluster-params',
  DBClusterMembers: [{ DBInstanceIdentifier: 'legacy-prod-writer', IsClusterWriter: true }],
};

const artifact = {
  version: 1,
  source: { clusterIdentifier: 'legacy-prod' },
  target: { cloneName: 'reporting', instanceClass: 'db.r6g.large', allowedCidrs: ['10.0.0.0/16'] },
  lifecycle: { ttl: '8h' },
};

/** RDS with these clusters by name; any other name is not found. */
function givenClusters(byName: Record<string, DBCluster | undefined>): void {
  rdsMock
    .on(DescribeDBClustersCommand)
    .rejects(new DBClusterNotFoundFault({ $metadata: {}, message: 'not found' }));
  for (const [name, cluster] of Object.entries(byName)) {
    if (cluster !== undefined)
      rdsMock
        .on(DescribeDBClustersCommand, { DBClusterIdentifier: name })
        .resolves({ DBClusters: [cluster] });
  }
}

function givenHealthyClone(overrides: Partial<DBCluster> = {}): void {
  givenClusters({ [CLONE]: clone(overrides), 'legacy-prod': source });
  rdsMock.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: 'legacy-prod-writer',
        DBParameterGroups: [{ DBParameterGroupName: 'prod-params' }],
      },
    ],
  });
  rdsMock
    .on(DescribeAccountAttributesCommand)
    .resolves({ AccountQuotas: [{ AccountQuotaName: 'DBClusters', Used: 3, Max: 40 }] });
  sfnMock.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
  secretsMock.on(DescribeSecretCommand).resolves({ ARN: 'arn:secret', Tags: tags() });
  ec2Mock
    .on(DescribeSecurityGroupsCommand)
    .resolves({ SecurityGroups: [{ GroupId: 'sg-0clone', VpcId: 'vpc-0prod' }] });
}

const plan = (request: { artifact: unknown; reason?: string } = { artifact, reason: 'reset' }) =>
  refresh({
    step: 'plan',
    request,
    executionArn: REFRESH,
    startTime: new Date(NOW).toISOString(),
  }) as Promise<RefreshPlan>;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  vi.stubEnv('ALLOWED_SOURCES', 'legacy-prod');
  vi.stubEnv('CLONE_STATE_MACHINE_ARN', CLONE_SM);
  vi.stubEnv('EVENT_BUS_ARN', 'arn:aws:events:us-east-1:123456789012:event-bus/default');
});

resetAfterEach(rdsMock, ec2Mock, secretsMock, sfnMock, schedulerMock, eventsMock);

describe('refresh: plan', () => {
  it('plans a new cluster beside the clone, in its network, with its port, owner and creation time', async () => {
    givenHealthyClone();
    const decided = await plan();
    expect(decided.mode).toBe('refresh');
    if (decided.mode !== 'refresh') return;
    expect(decided.plan).toMatchObject({
      cloneId: CLONE,
      clusterIdentifier: `${CLONE}-next`,
      port: 5433,
      owner: 'ana@example.com',
      expiresAt: '2026-11-21T18:00:00Z',
      instanceIdentifiers: [`${CLONE}-${GEN}-1`],
      secretName: `dbaf/${CLONE}`,
      network: { securityGroupId: 'sg-0clone', dbSubnetGroupName: 'prod-subnets', createSubnetGroup: false },
    });
    expect(decided.plan.tags).toContainEqual({ Key: 'dbaf:created-at', Value: '2026-11-01T08:00:00Z' });
    expect(decided.plan.tags).toContainEqual({ Key: 'dbaf:execution-arn', Value: REFRESH });
    expect(decided.swap).toEqual({ retiredId: `${CLONE}-old` });
    expect(rdsMock).not.toHaveReceivedCommand(ModifyDBClusterCommand);
  });

  it('hands a clone that does not exist to the clone workflow', async () => {
    givenClusters({ 'legacy-prod': source });
    await expect(plan()).resolves.toEqual({ mode: 'create', artifact, reason: 'reset', cloneId: CLONE });
  });

  it.each([
    ['a cluster without our tags', { TagList: [] }, 'RefusedTarget', 'never replaces it'],
    [
      'a clone of another source',
      { TagList: tags(MAKER, { source: 'billing-prod' }) },
      'CloneConflict',
      'was made from "billing-prod"',
    ],
    [
      'a clone expiring within the hour',
      { TagList: tags(MAKER, { expiresAt: '2026-11-21T10:30:00Z' }) },
      'CloneConflict',
      'too soon for a refresh',
    ],
    ['a clone that is not available', { Status: 'modifying' }, 'NotReady', 'is modifying'],
  ])('refuses %s before creating anything', async (_what, overrides, name, message) => {
    givenHealthyClone(overrides as Partial<DBCluster>);
    await expect(plan()).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
    expect(rdsMock).not.toHaveReceivedCommand(ModifyDBClusterCommand);
  });

  it('refuses while another refresh of the clone is under way', async () => {
    givenHealthyClone();
    rdsMock.on(DescribeDBClustersCommand, { DBClusterIdentifier: `${CLONE}-next` }).resolves({
      DBClusters: [clone({ DBClusterIdentifier: `${CLONE}-next`, TagList: tags('arn:other') })],
    });
    await expect(plan()).rejects.toMatchObject({
      name: 'CloneConflict',
      message: expect.stringContaining('Another refresh of clone "dbaf-reporting" is under way'),
    });
  });

  it.each([
    [
      'waits while the last refresh is still deleting the old cluster',
      'deleting',
      'NotReady',
      'still being deleted',
    ],
    [
      'refuses while the old cluster of a failed refresh remains',
      'available',
      'CloneConflict',
      '"scope": "cluster"',
    ],
  ])('%s', async (_what, status, name, message) => {
    givenHealthyClone();
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: `${CLONE}-old` })
      .resolves({ DBClusters: [clone({ DBClusterIdentifier: `${CLONE}-old`, Status: status })] });
    await expect(plan()).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
  });

  it('refuses a clone whose clone execution is still running', async () => {
    givenHealthyClone();
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    await expect(plan()).rejects.toMatchObject({
      name: 'CloneConflict',
      message: expect.stringContaining('still being made'),
    });
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: MAKER });
  });

  it('needs a named clone', async () => {
    const unnamed = { ...artifact, target: { ...artifact.target, cloneName: undefined } };
    await expect(plan({ artifact: unnamed })).rejects.toMatchObject({ name: 'InvalidArtifact' });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('refresh: the swap', () => {
  const swapPlan = async () => {
    givenHealthyClone();
    const decided = await plan();
    if (decided.mode !== 'refresh') throw new Error('expected a refresh plan');
    rdsMock.reset();
    return { plan: decided.plan, swap: decided.swap };
  };

  it('gives the new cluster the password in the clone secret, and returns no password', async () => {
    const input = await swapPlan();
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(SECRET) });
    const output = await refresh({ step: 'password', ...input });
    expect(rdsMock).toHaveReceivedCommandWith(ModifyDBClusterCommand, {
      DBClusterIdentifier: `${CLONE}-next`,
      MasterUserPassword: SECRET.password,
    });
    expect(JSON.stringify(output)).not.toContain(SECRET.password);
  });

  it('renames the old cluster away, then the new one into place; a retry renames nothing twice', async () => {
    const input = await swapPlan();
    givenClusters({ [CLONE]: clone() });
    await refresh({ step: 'retire', ...input });
    expect(rdsMock).toHaveReceivedCommandWith(ModifyDBClusterCommand, {
      DBClusterIdentifier: CLONE,
      NewDBClusterIdentifier: `${CLONE}-old`,
      ApplyImmediately: true,
    });

    rdsMock.reset();
    givenClusters({ [`${CLONE}-old`]: clone(), [`${CLONE}-next`]: clone({ TagList: tags(REFRESH) }) });
    await refresh({ step: 'retire', ...input });
    await refresh({ step: 'promote', ...input });
    expect(rdsMock).toHaveReceivedCommandTimes(ModifyDBClusterCommand, 1);
    expect(rdsMock).toHaveReceivedCommandWith(ModifyDBClusterCommand, {
      DBClusterIdentifier: `${CLONE}-next`,
      NewDBClusterIdentifier: CLONE,
    });

    rdsMock.reset();
    givenClusters({ [CLONE]: clone({ TagList: tags(REFRESH) }) });
    await refresh({ step: 'promote', ...input });
    expect(rdsMock).not.toHaveReceivedCommand(ModifyDBClusterCommand);
  });

  it('rolls back by renaming the old cluster back when it had moved away', async () => {
    const input = await swapPlan();
    givenClusters({ [`${CLONE}-old`]: clone(), [`${CLONE}-next`]: clone({ TagList: tags(REFRESH) }) });
    await expect(refresh({ step: 'revert', ...input })).resolves.toMatchObject({
      committed: false,
      renamedBack: true,
    });
    expect(rdsMock).toHaveReceivedCommandWith(ModifyDBClusterCommand, {
      DBClusterIdentifier: `${CLONE}-old`,
      NewDBClusterIdentifier: CLONE,
    });
  });

  it.each([
    ['the old cluster never moved', { [CLONE]: clone() }, { committed: false, renamedBack: false }],
    [
      'the new cluster already holds the name',
      { [CLONE]: clone({ TagList: tags(REFRESH) }) },
      { committed: true, renamedBack: false },
    ],
  ])('renames nothing back when %s', async (_what, clusters, outcome) => {
    const input = await swapPlan();
    givenClusters(clusters);
    await expect(refresh({ step: 'revert', ...input })).resolves.toMatchObject(outcome);
    expect(rdsMock).not.toHaveReceivedCommand(ModifyDBClusterCommand);
  });

  it('waits while the old cluster is still being renamed', async () => {
    const input = await swapPlan();
    givenClusters({ [CLONE]: clone({ Status: 'renaming' }) });
    await expect(refresh({ step: 'revert', ...input })).rejects.toMatchObject({ name: 'NotReady' });
  });

  it('finishes: the same secret kept (written only if its host or port changed), the TTL moved, an event', async () => {
    const input = await swapPlan();
    givenClusters({ [CLONE]: clone({ TagList: tags(REFRESH), Endpoint: SECRET.host, Port: 5433 }) });
    secretsMock.on(GetSecretValueCommand).resolves({
      ARN: 'arn:secret',
      SecretString: JSON.stringify({ ...SECRET, dbClusterIdentifier: CLONE }),
    });
    schedulerMock
      .on(GetScheduleCommand)
      .resolves({ Name: CLONE, Target: { Arn: 'arn:teardown', RoleArn: 'arn:role', Input: '{}' } });
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-0clone' }] });
    rdsMock
      .on(DescribeDBSubnetGroupsCommand)
      .rejects(new DBSubnetGroupNotFoundFault({ $metadata: {}, message: 'none' }));
    secretsMock
      .on(DescribeSecretCommand)
      .resolves({ ARN: 'arn:secret', Name: `dbaf/${CLONE}`, Tags: tags() });
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });

    const result = await refresh({ step: 'finish', ...input, reason: 'reset' });

    expect(result).toMatchObject({
      cloneId: CLONE,
      secretArn: 'arn:secret',
      endpoint: SECRET.host,
      port: 5433,
      expiresAt: '2026-11-21T18:00:00Z',
    });
    expect(secretsMock).not.toHaveReceivedCommand(PutSecretValueCommand);
    expect(secretsMock).toHaveReceivedCommandWith(TagResourceCommand, {
      Tags: [{ Key: 'dbaf:expires-at', Value: '2026-11-21T18:00:00Z' }],
    });
    expect(schedulerMock).toHaveReceivedCommandWith(UpdateScheduleCommand, {
      Name: CLONE,
      ScheduleExpression: 'at(2026-11-21T18:00:00)',
      Target: { Arn: 'arn:teardown', RoleArn: 'arn:role', Input: '{}' },
    });
    // The warning goes out an hour before the new expiry.
    expect(schedulerMock).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: `${CLONE}.warning`,
      ScheduleExpression: 'at(2026-11-21T17:00:00)',
    });
    const detail = JSON.parse(
      eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail ?? '{}',
    );
    expect(detail).toMatchObject({ cloneId: CLONE, replaced: `${CLONE}-old` });
    expect(JSON.stringify(detail)).not.toContain(SECRET.password);
  });

  it('reports a failed refresh with an event naming the clone and the readable cause', async () => {
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    await refresh({
      step: 'report',
      request: { artifact },
      cloneId: null,
      error: { Error: 'CloneConflict', Cause: JSON.stringify({ errorMessage: 'Clone expires too soon.' }) },
    });
    const entry = eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.DetailType).toBe('Clone Refresh Failed');
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual({
      cloneId: CLONE,
      error: 'CloneConflict',
      cause: 'Clone expires too soon.',
    });
  });
});
