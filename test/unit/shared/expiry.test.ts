import { CreateTagsCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AddTagsToResourceCommand,
  DBClusterNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  DescribeSecretCommand,
  ResourceNotFoundException as SecretNotFound,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createdAtOf,
  type ExpirySettings,
  type LifetimeSettings,
  latestExpiry,
  moveExpiry,
} from '../../../functions/shared/expiry.js';
import { cloneTags, TAG } from '../../../functions/shared/tags.js';
import { warningTime } from '../../../functions/shared/warning.js';
import { rdsFault, resetAfterEach } from '../../support/mocks.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('latestExpiry', () => {
  const settings: LifetimeSettings = {
    maxTtlMs: 7 * DAY,
    maxLifetimeMs: 30 * DAY,
    protectedClones: ['dbaf-demo'],
  };

  it.each<[string, string, number, string, string]>([
    ['a young clone', 'dbaf-a', NOW - DAY, '2026-11-28T12:00:00.000Z', 'max-ttl'],
    ['a clone 25 days old', 'dbaf-a', NOW - 25 * DAY, '2026-11-26T12:00:00.000Z', 'max-lifetime'],
    ['a clone 23 days old (exactly both)', 'dbaf-a', NOW - 23 * DAY, '2026-11-28T12:00:00.000Z', 'max-ttl'],
    ['a clone past its lifetime', 'dbaf-a', NOW - 40 * DAY, '2026-11-11T12:00:00.000Z', 'max-lifetime'],
    [
      'a protected clone past its lifetime',
      'dbaf-demo',
      NOW - 40 * DAY,
      '2026-11-28T12:00:00.000Z',
      'max-ttl',
    ],
    [
      'a protected clone named in capitals',
      'DBAF-Demo',
      NOW - 40 * DAY,
      '2026-11-28T12:00:00.000Z',
      'max-ttl',
    ],
  ])('for %s is %s, set by %s', (_case, cloneId, createdAt, latest, limit) => {
    const result = latestExpiry(settings, cloneId, createdAt, NOW);
    expect({ latest: new Date(result.latestMs).toISOString(), limit: result.limit }).toEqual({
      latest,
      limit,
    });
  });
});

describe('createdAtOf', () => {
  it('reads the dbaf:created-at tag, which a refresh keeps', () => {
    expect(
      createdAtOf([{ Key: TAG.createdAt, Value: '2026-11-01T08:00:00Z' }], new Date('2026-11-20T00:00:00Z')),
    ).toBe(Date.parse('2026-11-01T08:00:00Z'));
  });

  it("falls back to the cluster's creation time for a clone made before the tag existed", () => {
    expect(createdAtOf([], new Date('2026-11-20T00:00:00Z'))).toBe(Date.parse('2026-11-20T00:00:00Z'));
    expect(createdAtOf([{ Key: TAG.createdAt, Value: 'yesterday' }], undefined)).toBeNaN();
  });
});

describe('warningTime', () => {
  it.each([
    ['an hour before the expiry', '2026-11-21T18:00:00Z', HOUR, '2026-11-21T17:00:00.000Z'],
    ['in whole seconds', '2026-11-21T18:00:00Z', 1500, '2026-11-21T17:59:58.000Z'],
    ['none once that time is past', '2026-11-21T12:30:00Z', HOUR, undefined],
    ['none when warnings are off', '2026-11-21T18:00:00Z', 0, undefined],
    ['none for an unreadable expiry', 'soon', HOUR, undefined],
  ])('is %s', (_case, expiresAt, warningMs, expected) => {
    const at = warningTime(expiresAt, warningMs, NOW);
    expect(at === undefined ? undefined : new Date(at).toISOString()).toBe(expected);
  });
});

const schedulerMock = mockClient(SchedulerClient);
const rdsMock = mockClient(RDSClient);
const ec2Mock = mockClient(EC2Client);
const secretsMock = mockClient(SecretsManagerClient);
resetAfterEach(schedulerMock, rdsMock, ec2Mock, secretsMock);

const region = { region: 'eu-west-1' };
const clients = {
  scheduler: new SchedulerClient(region),
  rds: new RDSClient(region),
  ec2: new EC2Client(region),
  secrets: new SecretsManagerClient(region),
};
const CLONE = 'dbaf-orders';
const ACCOUNT = 'arn:aws:rds:eu-west-1:123456789012';
const CLUSTER_ARN = `${ACCOUNT}:cluster:${CLONE}`;
const SUBNET_GROUP_ARN = `${ACCOUNT}:subgrp:${CLONE}`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:dbaf/${CLONE}-AbCdEf`;
const TEARDOWN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:dbaf-teardown';
const ROLE = 'arn:aws:iam::123456789012:role/dbaf-scheduler';
const settings: ExpirySettings = {
  scheduleGroupName: 'dbaf',
  secretPrefix: 'dbaf/',
  expiryWarningMs: HOUR,
  eventBusArn: '',
};
const request = {
  cloneId: CLONE,
  expiresAt: '2026-11-22T16:00:00Z',
  owner: 'ana',
  source: 'orders-prod',
  nowMs: NOW,
};
const ours = (cloneId = CLONE) =>
  cloneTags({
    cloneId,
    source: 'orders-prod',
    owner: 'ana',
    expiresAt: '2026-11-21T16:00:00Z',
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:dbaf-clone:dbaf-orders',
    createdAt: '2026-11-21T08:00:00Z',
  });
const ttlSchedule = {
  Name: CLONE,
  GroupName: 'dbaf',
  Description: 'delete it',
  ScheduleExpression: 'at(2026-11-21T16:00:00)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  Target: { Arn: TEARDOWN, RoleArn: ROLE, Input: '{"cloneId":"dbaf-orders","createdBy":"x"}' },
  State: 'ENABLED' as const,
  ActionAfterCompletion: 'DELETE' as const,
};

/** Every resource of a clone with its own subnet group and two instances. */
function wholeClone(): void {
  schedulerMock.on(GetScheduleCommand).resolves(ttlSchedule);
  rdsMock.on(DescribeDBClustersCommand).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: CLONE,
        DBClusterArn: CLUSTER_ARN,
        TagList: ours(),
        DBClusterMembers: [{ DBInstanceIdentifier: `${CLONE}-1` }, { DBInstanceIdentifier: `${CLONE}-2` }],
      },
    ],
  });
  rdsMock
    .on(DescribeDBSubnetGroupsCommand)
    .resolves({ DBSubnetGroups: [{ DBSubnetGroupName: CLONE, DBSubnetGroupArn: SUBNET_GROUP_ARN }] });
  rdsMock.on(ListTagsForResourceCommand).resolves({ TagList: ours() });
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1', Tags: ours() }] });
  secretsMock.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, Name: `dbaf/${CLONE}`, Tags: ours() });
}

describe('moveExpiry', () => {
  beforeEach(wholeClone);

  it('moves the TTL schedule, writing back every field it read with the new time', async () => {
    await moveExpiry(clients, settings, request);
    expect(schedulerMock).toHaveReceivedCommandWith(GetScheduleCommand, { GroupName: 'dbaf', Name: CLONE });
    expect(schedulerMock).toHaveReceivedCommandWith(UpdateScheduleCommand, {
      ...ttlSchedule,
      ScheduleExpression: 'at(2026-11-22T16:00:00)',
    });
  });

  it('creates the warning schedule an hour before the new expiry, naming the secret and how to extend', async () => {
    const moved = await moveExpiry(clients, settings, request);
    expect(moved.warning).toEqual({
      name: `${CLONE}.warning`,
      at: '2026-11-22T15:00:00Z',
      action: 'created',
    });
    const created = schedulerMock.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(created).toMatchObject({
      Name: `${CLONE}.warning`,
      GroupName: 'dbaf',
      ScheduleExpression: 'at(2026-11-22T15:00:00)',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default',
        RoleArn: ROLE,
        EventBridgeParameters: { Source: 'db-artifact-factory', DetailType: 'Clone Expiring' },
      },
    });
    expect(JSON.parse(created?.Target?.Input ?? '{}')).toEqual({
      cloneId: CLONE,
      expiresAt: '2026-11-22T16:00:00Z',
      owner: 'ana',
      source: 'orders-prod',
      secretName: `dbaf/${CLONE}`,
      secretArn: SECRET_ARN,
      extendCommand: `dbaf extend ${CLONE} 4h`,
    });
  });

  it('updates the warning schedule when it exists, on the bus the settings name', async () => {
    schedulerMock
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ $metadata: {}, message: 'exists', Message: 'exists' }));
    const bus = 'arn:aws:events:eu-west-1:123456789012:event-bus/platform';
    const moved = await moveExpiry(clients, { ...settings, eventBusArn: bus }, request);
    expect(moved.warning.action).toBe('updated');
    expect(schedulerMock).toHaveReceivedCommandWith(UpdateScheduleCommand, {
      Name: `${CLONE}.warning`,
      Target: expect.objectContaining({ Arn: bus }),
    });
  });

  it.each([
    ['the new warning time is already past', { ...request, expiresAt: '2026-11-21T12:40:00Z' }, settings],
    ['warnings are off', request, { ...settings, expiryWarningMs: 0 }],
  ])('deletes the warning schedule when %s', async (_case, moveTo, using) => {
    const moved = await moveExpiry(clients, using, moveTo);
    expect(moved.warning).toEqual({ name: `${CLONE}.warning`, at: null, action: 'deleted' });
    expect(schedulerMock).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: `${CLONE}.warning`,
      GroupName: 'dbaf',
    });
    expect(schedulerMock).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  it('takes a warning schedule that is already gone as done', async () => {
    schedulerMock
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'gone', Message: 'gone' }));
    const moved = await moveExpiry(clients, { ...settings, expiryWarningMs: 0 }, request);
    expect(moved.warning.action).toBe('none');
  });

  it('tags the instances, subnet group, secret and security group, and the cluster last', async () => {
    const moved = await moveExpiry(clients, settings, request);
    const tag = [{ Key: TAG.expiresAt, Value: '2026-11-22T16:00:00Z' }];
    expect(moved.tagged).toEqual([
      `${ACCOUNT}:db:${CLONE}-1`,
      `${ACCOUNT}:db:${CLONE}-2`,
      SUBNET_GROUP_ARN,
      SECRET_ARN,
      'sg-1',
      CLUSTER_ARN,
    ]);
    const rdsTagged = rdsMock.commandCalls(AddTagsToResourceCommand).map((call) => call.args[0].input);
    expect(rdsTagged.map((input) => input.ResourceName).at(-1)).toBe(CLUSTER_ARN);
    expect(rdsTagged.every((input) => JSON.stringify(input.Tags) === JSON.stringify(tag))).toBe(true);
    expect(secretsMock).toHaveReceivedCommandWith(TagResourceCommand, {
      SecretId: `dbaf/${CLONE}`,
      Tags: tag,
    });
    expect(ec2Mock).toHaveReceivedCommandWith(CreateTagsCommand, { Resources: ['sg-1'], Tags: tag });
  });

  it('tags only what is tagged for this clone, and what exists', async () => {
    rdsMock.on(DescribeDBSubnetGroupsCommand).rejects(rdsFault(DBSubnetGroupNotFoundFault));
    secretsMock.on(DescribeSecretCommand).rejects(new SecretNotFound({ $metadata: {}, message: 'none yet' }));
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-1', Tags: ours() },
        { GroupId: 'sg-other', Tags: ours('dbaf-other') },
      ],
    });
    const moved = await moveExpiry(clients, settings, request);
    expect(moved.tagged).toEqual([
      `${ACCOUNT}:db:${CLONE}-1`,
      `${ACCOUNT}:db:${CLONE}-2`,
      'sg-1',
      CLUSTER_ARN,
    ]);
    expect(secretsMock).not.toHaveReceivedCommand(TagResourceCommand);
    // Without a secret yet, the warning names it only by name.
    const input = schedulerMock.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target?.Input;
    expect(JSON.parse(input ?? '{}')).not.toHaveProperty('secretArn');
  });

  it('refuses, before changing anything, when the TTL schedule is gone (the clone expired or is being deleted)', async () => {
    schedulerMock
      .on(GetScheduleCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'gone', Message: 'gone' }));
    await expect(moveExpiry(clients, settings, request)).rejects.toMatchObject({
      name: 'CloneExpired',
      message: expect.stringContaining('has no TTL schedule left in group dbaf'),
    });
    expect(schedulerMock).not.toHaveReceivedCommand(UpdateScheduleCommand);
    expect(rdsMock).not.toHaveReceivedCommand(AddTagsToResourceCommand);
  });

  it('refuses, before changing anything, a cluster of that name that is not this clone', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({
      DBClusters: [{ DBClusterIdentifier: CLONE, DBClusterArn: CLUSTER_ARN, TagList: ours('dbaf-other') }],
    });
    await expect(moveExpiry(clients, settings, request)).rejects.toMatchObject({ name: 'RefusedTarget' });
    expect(schedulerMock).not.toHaveReceivedCommand(UpdateScheduleCommand);
  });

  it('moves the schedules of a clone that has no cluster yet (still being made)', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(rdsFault(DBClusterNotFoundFault));
    const moved = await moveExpiry(clients, settings, request);
    expect(schedulerMock).toHaveReceivedCommandTimes(UpdateScheduleCommand, 1);
    expect(moved.tagged).not.toContain(CLUSTER_ARN);
  });

  it('is idempotent: the same request twice writes the same schedules and tags', async () => {
    const first = await moveExpiry(clients, settings, request);
    schedulerMock
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ $metadata: {}, message: 'exists', Message: 'exists' }));
    const second = await moveExpiry(clients, settings, request);
    expect({ ...second, warning: { ...second.warning, action: 'created' } }).toEqual(first);
    const updates = schedulerMock.commandCalls(UpdateScheduleCommand).map((call) => call.args[0].input);
    expect(updates.filter((input) => input.Name === CLONE)[0]).toEqual(
      updates.filter((input) => input.Name === CLONE)[1],
    );
  });
});
