import {
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
  InvalidDBSubnetGroupStateFault,
  ListTagsForResourceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException as ScheduleNotFound,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  ResourceNotFoundException as SecretNotFound,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cloneTags, type Tag } from '../../../functions/shared/tags.js';
import { handler, type Input, teardown } from '../../../functions/teardown/handler.js';
import { lambdaContext } from '../../support/context.js';
import { resetAfterEach } from '../../support/mocks.js';

const rdsMock = mockClient(RDSClient);
const ec2Mock = mockClient(EC2Client);
const schedulerMock = mockClient(SchedulerClient);
const secretsMock = mockClient(SecretsManagerClient);
const eventsMock = mockClient(EventBridgeClient);

const CLONE = 'dbaf-orders-20261121';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:dbaf-clone:run-1';
const OTHER_EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:dbaf-clone:run-0';
const CLUSTER_ARN = `arn:aws:rds:us-east-1:123456789012:cluster:${CLONE}`;
const SUBNET_GROUP_ARN = `arn:aws:rds:us-east-1:123456789012:subgrp:${CLONE}`;
const SECRET_ID = `dbaf/${CLONE}`;
const meta = { $metadata: {}, message: 'from AWS' };

function ours(executionArn = EXECUTION, cloneId = CLONE): Tag[] {
  return cloneTags({
    cloneId,
    source: 'legacy-prod',
    owner: 'ana',
    expiresAt: '2026-11-21T18:00:00Z',
    executionArn,
    createdAt: '2026-11-21T10:00:00Z',
  });
}

function ec2Error(name: string): EC2ServiceException {
  return new EC2ServiceException({ name, $fault: 'client', ...meta });
}

function request(step: Input['step'], extra: Partial<Input> = {}): Input {
  return { cloneId: CLONE, reason: 'ttl-expired', step, ...extra };
}

function expectNothingDeleted(): void {
  expect(rdsMock).toHaveReceivedCommandTimes(DeleteDBClusterCommand, 0);
  expect(rdsMock).toHaveReceivedCommandTimes(DeleteDBInstanceCommand, 0);
  expect(rdsMock).toHaveReceivedCommandTimes(DeleteDBSubnetGroupCommand, 0);
  expect(ec2Mock).toHaveReceivedCommandTimes(DeleteSecurityGroupCommand, 0);
  expect(schedulerMock).toHaveReceivedCommandTimes(DeleteScheduleCommand, 0);
  expect(secretsMock).toHaveReceivedCommandTimes(DeleteSecretCommand, 0);
  expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
}

beforeEach(() => {
  // No cluster by default (tests name the ones that exist): a refresh's -next and -old are looked up too.
  rdsMock.on(DescribeDBClustersCommand).rejects(new DBClusterNotFoundFault(meta));
  vi.stubEnv(
    'ALLOWED_SOURCES',
    'legacy-prod,dbaf-prod-main,arn:aws:rds:us-east-1:210987654321:cluster:dbaf-shared',
  );
  vi.stubEnv('EVENT_BUS_NAME', 'dbaf-events');
});

resetAfterEach(rdsMock, ec2Mock, schedulerMock, secretsMock, eventsMock);

describe('teardown safety', () => {
  const steps = ['discover', 'schedule', 'instances', 'cluster', 'network', 'secret'] as const;
  const refused = [
    ['a cluster without the clone prefix', 'legacy-prod', 'is a source cluster'],
    ['a name without the prefix', 'orders-prod', 'is not a clone name'],
    ['the bare prefix', 'dbaf-', 'is not a clone name'],
    ['a source whose name has the prefix', 'dbaf-prod-main', 'is a source cluster'],
    ['a source listed by ARN', 'dbaf-shared', 'is a source cluster'],
    ['a source ARN', 'arn:aws:rds:us-east-1:210987654321:cluster:dbaf-shared', 'is a source cluster'],
    ['an empty id', '', 'has no cloneId'],
  ] as const;

  it.each(
    steps.flatMap((step) => refused.map(([what, cloneId, text]) => [step, what, cloneId, text] as const)),
  )('step %s refuses %s without calling AWS', async (step, _what, cloneId, text) => {
    await expect(teardown(request(step, { cloneId }))).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining(text),
    });
    for (const mock of [rdsMock, ec2Mock, schedulerMock, secretsMock, eventsMock])
      expect(mock.calls()).toHaveLength(0);
  });

  it('says the teardown never deletes a refused source', async () => {
    await expect(teardown(request('cluster', { cloneId: 'dbaf-prod-main' }))).rejects.toThrow(
      '"dbaf-prod-main" is a source cluster (ALLOWED_SOURCES lists "dbaf-prod-main"): teardown never deletes it.',
    );
  });

  it('rejects an unknown step as a configuration error', async () => {
    await expect(teardown({ ...request('cluster'), step: 'everything' as 'cluster' })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining('"everything"'),
    });
  });

  it('reports refusals through the Lambda handler by name', async () => {
    await expect(
      handler(request('cluster', { cloneId: 'legacy-prod' }), lambdaContext()),
    ).rejects.toMatchObject({
      name: 'RefusedTarget',
    });
  });
});

describe('teardown step "discover"', () => {
  it('reports every resource of the clone that exists', async () => {
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolves({ DBClusters: [{ DBClusterIdentifier: CLONE, Status: 'available', TagList: ours() }] });
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [{ DBInstanceIdentifier: `${CLONE}-1` }, { DBInstanceIdentifier: `${CLONE}-2` }],
    });
    rdsMock.on(DescribeDBSubnetGroupsCommand).resolves({ DBSubnetGroups: [{ DBSubnetGroupName: CLONE }] });
    ec2Mock
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-0123456789abcdef0' }] });
    secretsMock.on(DescribeSecretCommand).resolves({ ARN: 'arn:secret', Name: SECRET_ID });
    schedulerMock
      .on(GetScheduleCommand)
      .callsFake((input: { Name?: string }) => ({ Name: input.Name, GroupName: 'dbaf' }));

    await expect(teardown(request('discover'))).resolves.toEqual({
      cloneId: CLONE,
      clusterIdentifier: CLONE,
      refreshClusters: [],
      cluster: { status: 'available' },
      instanceIdentifiers: [`${CLONE}-1`, `${CLONE}-2`],
      subnetGroup: CLONE,
      securityGroupIds: ['sg-0123456789abcdef0'],
      secretArn: 'arn:secret',
      schedule: CLONE,
      warningSchedule: `${CLONE}.warning`,
    });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: 'db-cluster-id', Values: [CLONE] }],
    });
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
      Filters: [
        { Name: 'tag:dbaf:clone-id', Values: [CLONE] },
        { Name: 'tag:dbaf:managed-by', Values: ['db-artifact-factory'] },
      ],
    });
    expect(secretsMock).toHaveReceivedCommandWith(DescribeSecretCommand, { SecretId: SECRET_ID });
    expect(schedulerMock).toHaveReceivedCommandWith(GetScheduleCommand, { Name: CLONE, GroupName: 'dbaf' });
    expect(schedulerMock).toHaveReceivedCommandWith(GetScheduleCommand, {
      Name: `${CLONE}.warning`,
      GroupName: 'dbaf',
    });
    expectNothingDeleted();
  });

  it('refuses, before anything is deleted, a cluster under the clone name that the project did not create', async () => {
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolves({ DBClusters: [{ DBClusterIdentifier: CLONE, Status: 'available', TagList: [] }] });
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rdsMock.on(DescribeDBSubnetGroupsCommand).rejects(new DBSubnetGroupNotFoundFault(meta));
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    secretsMock.on(DescribeSecretCommand).rejects(new SecretNotFound({ ...meta, message: 'gone' }));
    schedulerMock.on(GetScheduleCommand).rejects(new ScheduleNotFound({ ...meta, Message: 'not found' }));

    await expect(teardown(request('discover'))).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining('has no "dbaf:managed-by" tag'),
    });
    expectNothingDeleted();
  });

  it('reports nulls and empty lists when nothing exists (a secret pending deletion counts as gone)', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(new DBClusterNotFoundFault(meta));
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rdsMock.on(DescribeDBSubnetGroupsCommand).rejects(new DBSubnetGroupNotFoundFault(meta));
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    secretsMock.on(DescribeSecretCommand).resolves({ ARN: 'arn:secret', DeletedDate: new Date() });
    schedulerMock.on(GetScheduleCommand).rejects(new ScheduleNotFound({ ...meta, Message: 'not found' }));

    await expect(teardown(request('discover'))).resolves.toEqual({
      cloneId: CLONE,
      clusterIdentifier: CLONE,
      refreshClusters: [],
      cluster: null,
      instanceIdentifiers: [],
      subnetGroup: null,
      securityGroupIds: [],
      secretArn: null,
      schedule: null,
      warningSchedule: null,
    });
  });
});

describe('teardown step "schedule"', () => {
  const notFound = () => new ScheduleNotFound({ ...meta, Message: 'not found' });
  const WARNING = `${CLONE}.warning`;

  it('deletes the TTL schedule and the warning schedule in the configured group', async () => {
    vi.stubEnv('SCHEDULE_GROUP_NAME', 'dbaf-test');
    schedulerMock.on(DeleteScheduleCommand).resolves({});
    await expect(teardown(request('schedule'))).resolves.toEqual({
      step: 'schedule',
      deleted: [CLONE, WARNING],
      alreadyGone: false,
      skipped: [],
    });
    expect(schedulerMock).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: CLONE,
      GroupName: 'dbaf-test',
    });
    expect(schedulerMock).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: WARNING,
      GroupName: 'dbaf-test',
    });
  });

  it('deletes the warning schedule even when the TTL schedule already fired (a delete during the last hour)', async () => {
    schedulerMock.on(DeleteScheduleCommand).resolves({});
    schedulerMock.on(DeleteScheduleCommand, { Name: CLONE }).rejects(notFound());
    await expect(teardown(request('schedule'))).resolves.toEqual({
      step: 'schedule',
      deleted: [WARNING],
      alreadyGone: false,
      skipped: [],
    });
  });

  it('succeeds when both schedules are already gone (a repeat, or they fired and deleted themselves)', async () => {
    schedulerMock.on(DeleteScheduleCommand).rejects(notFound());
    await expect(teardown(request('schedule'))).resolves.toEqual({
      step: 'schedule',
      deleted: [],
      alreadyGone: true,
      skipped: [],
    });
    expect(schedulerMock).toHaveReceivedCommandTimes(DeleteScheduleCommand, 2);
  });

  it('in a rollback, deletes the schedules this execution created', async () => {
    schedulerMock.on(GetScheduleCommand).resolves({
      Target: { Arn: 'x', RoleArn: 'y', Input: JSON.stringify({ cloneId: CLONE, createdBy: EXECUTION }) },
    });
    schedulerMock.on(DeleteScheduleCommand).resolves({});
    const result = await teardown(request('schedule', { onlyExecutionArn: EXECUTION }));
    expect(result).toMatchObject({ deleted: [CLONE, WARNING], skipped: [] });
    expect(schedulerMock).toHaveReceivedCommandTimes(DeleteScheduleCommand, 2);
  });

  it.each([
    ['another execution created it', JSON.stringify({ createdBy: OTHER_EXECUTION })],
    ['its input names no creator', JSON.stringify({ cloneId: CLONE })],
    ['its input is not JSON', 'not json'],
  ])('in a rollback, leaves both schedules alone when %s', async (_case, input) => {
    schedulerMock.on(GetScheduleCommand).resolves({ Target: { Arn: 'x', RoleArn: 'y', Input: input } });
    await expect(teardown(request('schedule', { onlyExecutionArn: EXECUTION }))).resolves.toEqual({
      step: 'schedule',
      deleted: [],
      alreadyGone: false,
      skipped: [CLONE],
    });
    expect(schedulerMock).toHaveReceivedCommandTimes(DeleteScheduleCommand, 0);
  });

  it('in a rollback, succeeds when the TTL schedule does not exist, and leaves any warning (not this execution’s)', async () => {
    schedulerMock.on(GetScheduleCommand).rejects(notFound());
    await expect(teardown(request('schedule', { onlyExecutionArn: EXECUTION }))).resolves.toMatchObject({
      alreadyGone: true,
    });
    expect(schedulerMock).toHaveReceivedCommandTimes(DeleteScheduleCommand, 0);
  });
});

describe('teardown step "instances"', () => {
  const instance = (id: string, status = 'available', tags: Tag[] = ours()) => ({
    DBInstanceIdentifier: id,
    DBClusterIdentifier: CLONE,
    DBInstanceStatus: status,
    TagList: tags,
  });

  it('deletes every instance of the clone that is not already being deleted', async () => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [instance(`${CLONE}-1`), instance(`${CLONE}-2`, 'deleting'), instance(`${CLONE}-3`)],
    });
    rdsMock.on(DeleteDBInstanceCommand).resolves({});
    await expect(teardown(request('instances'))).resolves.toEqual({
      step: 'instances',
      deleted: [`${CLONE}-1`, `${CLONE}-3`],
      alreadyGone: false,
      skipped: [],
    });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: 'db-cluster-id', Values: [CLONE] }],
    });
    expect(rdsMock).toHaveReceivedCommandTimes(DeleteDBInstanceCommand, 2);
    expect(rdsMock).toHaveReceivedNthCommandWith(DeleteDBInstanceCommand, 1, {
      DBInstanceIdentifier: `${CLONE}-1`,
    });
    expect(rdsMock).toHaveReceivedNthCommandWith(DeleteDBInstanceCommand, 2, {
      DBInstanceIdentifier: `${CLONE}-3`,
    });
  });

  it('deletes nothing more when repeated while the instances are deleting', async () => {
    rdsMock
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [instance(`${CLONE}-1`)] })
      .resolves({ DBInstances: [instance(`${CLONE}-1`, 'deleting')] });
    rdsMock.on(DeleteDBInstanceCommand).resolves({});
    await teardown(request('instances'));
    await expect(teardown(request('instances'))).resolves.toEqual({
      step: 'instances',
      deleted: [],
      alreadyGone: true,
      skipped: [],
    });
    expect(rdsMock).toHaveReceivedCommandTimes(DeleteDBInstanceCommand, 1);
  });

  it('is already gone when the cluster has no instances', async () => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    await expect(teardown(request('instances'))).resolves.toMatchObject({ deleted: [], alreadyGone: true });
    expectNothingDeleted();
  });

  it.each([
    ['has no managed-by tag', [{ Key: 'team', Value: 'orders' }], 'has no "dbaf:managed-by" tag'],
    ['belongs to another clone', ours(EXECUTION, 'dbaf-other'), 'is tagged for clone "dbaf-other"'],
  ])('refuses, deleting nothing, when one instance %s', async (_case, tags, text) => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [instance(`${CLONE}-1`), instance('hand-made-reader', 'available', tags)],
    });
    await expect(teardown(request('instances'))).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining(`DB instance "hand-made-reader" ${text}`),
    });
    expectNothingDeleted();
  });

  it('in a rollback, skips instances another execution created', async () => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [instance(`${CLONE}-1`, 'available', ours(OTHER_EXECUTION)), instance(`${CLONE}-2`)],
    });
    rdsMock.on(DeleteDBInstanceCommand).resolves({});
    await expect(teardown(request('instances', { onlyExecutionArn: EXECUTION }))).resolves.toEqual({
      step: 'instances',
      deleted: [`${CLONE}-2`],
      alreadyGone: false,
      skipped: [`${CLONE}-1`],
    });
    expect(rdsMock).toHaveReceivedCommandTimes(DeleteDBInstanceCommand, 1);
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: `${CLONE}-2`,
    });
  });

  it.each([
    ['DBInstanceNotFoundFault', new DBInstanceNotFoundFault(meta), { deleted: [], alreadyGone: true }],
  ])('treats %s on delete as already gone', async (_name, error, expected) => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance(`${CLONE}-1`)] });
    rdsMock.on(DeleteDBInstanceCommand).rejects(error);
    await expect(teardown(request('instances'))).resolves.toMatchObject(expected);
  });

  it.each([
    [
      'InvalidDBInstanceStateFault',
      new InvalidDBInstanceStateFault(meta),
      'NotReady',
      `DB instance "${CLONE}-1" is creating`,
    ],
    ['an error it does not know', new Error('boom'), 'Error', 'boom'],
  ])('maps %s on delete to %s', async (_name, error, name, text) => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance(`${CLONE}-1`, 'creating')] });
    rdsMock.on(DeleteDBInstanceCommand).rejects(error);
    await expect(teardown(request('instances'))).rejects.toMatchObject({
      name,
      message: expect.stringContaining(text),
    });
  });
});

describe('teardown step "cluster"', () => {
  const cluster = (status = 'available', tags: Tag[] = ours(), arn = CLUSTER_ARN) => ({
    DBClusters: [{ DBClusterIdentifier: CLONE, DBClusterArn: arn, Status: status, TagList: tags }],
  });

  it('deletes the cluster without a final snapshot by default', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster());
    rdsMock.on(DeleteDBClusterCommand).resolves({});
    await expect(teardown(request('cluster'))).resolves.toEqual({
      step: 'cluster',
      deleted: [CLONE],
      alreadyGone: false,
      skipped: [],
    });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, { DBClusterIdentifier: CLONE });
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBClusterCommand, {
      DBClusterIdentifier: CLONE,
      SkipFinalSnapshot: true,
      FinalDBSnapshotIdentifier: undefined,
    });
  });

  it('takes a final snapshot named <cloneId>-final when asked', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster());
    rdsMock.on(DeleteDBClusterCommand).resolves({});
    await teardown(request('cluster', { finalSnapshot: true }));
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBClusterCommand, {
      DBClusterIdentifier: CLONE,
      SkipFinalSnapshot: false,
      FinalDBSnapshotIdentifier: `${CLONE}-final`,
    });
  });

  it('deletes nothing more when repeated while the cluster is deleting', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolvesOnce(cluster()).resolves(cluster('deleting'));
    rdsMock.on(DeleteDBClusterCommand).resolves({});
    await teardown(request('cluster'));
    await expect(teardown(request('cluster'))).resolves.toEqual({
      step: 'cluster',
      deleted: [],
      alreadyGone: true,
      skipped: [],
    });
    expect(rdsMock).toHaveReceivedCommandTimes(DeleteDBClusterCommand, 1);
  });

  it('is already gone when the cluster does not exist', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(new DBClusterNotFoundFault(meta));
    await expect(teardown(request('cluster'))).resolves.toMatchObject({ deleted: [], alreadyGone: true });
    expectNothingDeleted();
  });

  it.each([
    ['has no managed-by tag', [{ Key: 'team', Value: 'orders' }], 'has no "dbaf:managed-by" tag'],
    ['is tagged for another clone', ours(EXECUTION, 'dbaf-other'), 'is tagged for clone "dbaf-other"'],
    ['has no tags at all', [], 'has no "dbaf:managed-by" tag'],
  ])('refuses a cluster named like the clone that %s, deleting nothing', async (_case, tags, text) => {
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster('available', tags));
    await expect(teardown(request('cluster'))).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining(`DB cluster "${CLONE}" ${text}`),
    });
    expectNothingDeleted();
  });

  it('refuses a cluster whose ARN is an allowed source, even if it is tagged as a clone', async () => {
    const sourceArn = 'arn:aws:rds:us-east-1:123456789012:cluster:dbaf-orders-20261121';
    vi.stubEnv('ALLOWED_SOURCES', sourceArn);
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster('available', ours(), sourceArn));
    await expect(teardown(request('cluster'))).rejects.toMatchObject({ name: 'RefusedTarget' });
    expectNothingDeleted();
  });

  it('in a rollback, leaves a cluster of another execution alone', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster('available', ours(OTHER_EXECUTION)));
    await expect(teardown(request('cluster', { onlyExecutionArn: EXECUTION }))).resolves.toEqual({
      step: 'cluster',
      deleted: [],
      alreadyGone: false,
      skipped: [CLONE],
    });
    expectNothingDeleted();
  });

  it('in a rollback, deletes the cluster this execution created', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster());
    rdsMock.on(DeleteDBClusterCommand).resolves({});
    await expect(teardown(request('cluster', { onlyExecutionArn: EXECUTION }))).resolves.toMatchObject({
      deleted: [CLONE],
    });
  });

  it('treats DBClusterNotFoundFault on delete as already gone', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster());
    rdsMock.on(DeleteDBClusterCommand).rejects(new DBClusterNotFoundFault(meta));
    await expect(teardown(request('cluster'))).resolves.toMatchObject({ deleted: [], alreadyGone: true });
  });

  it.each([
    [
      'InvalidDBClusterStateFault',
      new InvalidDBClusterStateFault(meta),
      'NotReady',
      'cannot be deleted yet; will retry',
    ],
    [
      'DBClusterSnapshotAlreadyExistsFault',
      new DBClusterSnapshotAlreadyExistsFault(meta),
      'CloneConflict',
      `The final snapshot "${CLONE}-final" of DB cluster "${CLONE}" already exists`,
    ],
    ['an error it does not know', new Error('boom'), 'Error', 'boom'],
  ])('maps %s on delete to %s', async (_name, error, name, text) => {
    rdsMock.on(DescribeDBClustersCommand).resolves(cluster());
    rdsMock.on(DeleteDBClusterCommand).rejects(error);
    await expect(teardown(request('cluster', { finalSnapshot: true }))).rejects.toMatchObject({
      name,
      message: expect.stringContaining(text),
    });
  });

  it('turns throttling into AwsTransient through the handler', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    rdsMock.on(DescribeDBClustersCommand).rejects(throttled);
    await expect(handler(request('cluster'), lambdaContext())).rejects.toMatchObject({
      name: 'AwsTransient',
    });
  });
});

describe('teardown step "network"', () => {
  const SG1 = 'sg-0123456789abcdef0';
  const SG2 = 'sg-0fedcba9876543210';
  const group = (id: string, tags: Tag[] = ours()) => ({ GroupId: id, GroupName: CLONE, Tags: tags });

  function network(subnetTags: Tag[] | null, groups = [group(SG1)]): void {
    if (subnetTags === null)
      rdsMock.on(DescribeDBSubnetGroupsCommand).rejects(new DBSubnetGroupNotFoundFault(meta));
    else {
      rdsMock
        .on(DescribeDBSubnetGroupsCommand)
        .resolves({ DBSubnetGroups: [{ DBSubnetGroupName: CLONE, DBSubnetGroupArn: SUBNET_GROUP_ARN }] });
      rdsMock.on(ListTagsForResourceCommand).resolves({ TagList: subnetTags });
    }
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: groups });
  }

  it("deletes the clone's subnet group and security groups", async () => {
    network(ours(), [group(SG1), group(SG2)]);
    rdsMock.on(DeleteDBSubnetGroupCommand).resolves({});
    ec2Mock.on(DeleteSecurityGroupCommand).resolves({});
    await expect(teardown(request('network'))).resolves.toEqual({
      step: 'network',
      deleted: [CLONE, SG1, SG2],
      alreadyGone: false,
      skipped: [],
    });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBSubnetGroupsCommand, { DBSubnetGroupName: CLONE });
    expect(rdsMock).toHaveReceivedCommandWith(ListTagsForResourceCommand, { ResourceName: SUBNET_GROUP_ARN });
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBSubnetGroupCommand, { DBSubnetGroupName: CLONE });
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
      Filters: [
        { Name: 'tag:dbaf:clone-id', Values: [CLONE] },
        { Name: 'tag:dbaf:managed-by', Values: ['db-artifact-factory'] },
      ],
    });
    expect(ec2Mock).toHaveReceivedCommandWith(DeleteSecurityGroupCommand, { GroupId: SG1 });
    expect(ec2Mock).toHaveReceivedCommandWith(DeleteSecurityGroupCommand, { GroupId: SG2 });
  });

  it('is already gone when neither exists, and a repeat deletes nothing', async () => {
    network(null, []);
    await expect(teardown(request('network'))).resolves.toEqual({
      step: 'network',
      deleted: [],
      alreadyGone: true,
      skipped: [],
    });
    await teardown(request('network'));
    expectNothingDeleted();
  });

  it('takes a subnet group deleted between its describe and its tags (a teardown beside this one) as gone', async () => {
    network(ours(), []);
    rdsMock.on(ListTagsForResourceCommand).rejects(new DBSubnetGroupNotFoundFault(meta));
    await expect(teardown(request('network'))).resolves.toEqual({
      step: 'network',
      deleted: [],
      alreadyGone: true,
      skipped: [],
    });
    expectNothingDeleted();
  });

  it('refuses a subnet group named like the clone that is not tagged as ours, deleting nothing', async () => {
    network([{ Key: 'team', Value: 'orders' }]);
    await expect(teardown(request('network'))).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining(`DB subnet group "${CLONE}" has no "dbaf:managed-by" tag`),
    });
    expectNothingDeleted();
  });

  it('refuses a security group tagged for another clone, deleting nothing', async () => {
    network(ours(), [group(SG1), group(SG2, ours(EXECUTION, 'dbaf-other'))]);
    await expect(teardown(request('network'))).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining(`Security group "${SG2}"`),
    });
    expectNothingDeleted();
  });

  it('in a rollback, skips the network of another execution', async () => {
    network(ours(OTHER_EXECUTION), [group(SG1, ours(OTHER_EXECUTION)), group(SG2)]);
    ec2Mock.on(DeleteSecurityGroupCommand).resolves({});
    await expect(teardown(request('network', { onlyExecutionArn: EXECUTION }))).resolves.toEqual({
      step: 'network',
      deleted: [SG2],
      alreadyGone: false,
      skipped: [CLONE, SG1],
    });
    expect(rdsMock).toHaveReceivedCommandTimes(DeleteDBSubnetGroupCommand, 0);
    expect(ec2Mock).toHaveReceivedCommandTimes(DeleteSecurityGroupCommand, 1);
  });

  it.each([
    [
      'DBSubnetGroupNotFoundFault on the subnet group',
      new DBSubnetGroupNotFoundFault(meta),
      undefined,
      [SG1],
    ],
    ["'InvalidGroup.NotFound' on the security group", undefined, ec2Error('InvalidGroup.NotFound'), [CLONE]],
  ])('treats %s as already gone', async (_case, rdsError, ec2Failure, deleted) => {
    network(ours());
    if (rdsError) rdsMock.on(DeleteDBSubnetGroupCommand).rejects(rdsError);
    else rdsMock.on(DeleteDBSubnetGroupCommand).resolves({});
    if (ec2Failure) ec2Mock.on(DeleteSecurityGroupCommand).rejects(ec2Failure);
    else ec2Mock.on(DeleteSecurityGroupCommand).resolves({});
    await expect(teardown(request('network'))).resolves.toMatchObject({ deleted });
  });

  it.each([
    [
      'InvalidDBSubnetGroupStateFault',
      new InvalidDBSubnetGroupStateFault(meta),
      undefined,
      'NotReady',
      `DB subnet group "${CLONE}" is still in use`,
    ],
    [
      "'DependencyViolation'",
      undefined,
      ec2Error('DependencyViolation'),
      'NotReady',
      `Security group "${SG1}" is still in use`,
    ],
    [
      'an EC2 error it does not know',
      undefined,
      ec2Error('UnauthorizedOperation'),
      'UnauthorizedOperation',
      'from AWS',
    ],
  ])('maps %s to %s', async (_case, rdsError, ec2Failure, name, text) => {
    network(ours());
    if (rdsError) rdsMock.on(DeleteDBSubnetGroupCommand).rejects(rdsError);
    else rdsMock.on(DeleteDBSubnetGroupCommand).resolves({});
    if (ec2Failure) ec2Mock.on(DeleteSecurityGroupCommand).rejects(ec2Failure);
    await expect(teardown(request('network'))).rejects.toMatchObject({
      name,
      message: expect.stringContaining(text),
    });
  });
});

describe('teardown step "secret"', () => {
  const secret = (tags: Tag[] = ours(), extra: { DeletedDate?: Date } = {}) => ({
    ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SECRET_ID}-AbCdEf`,
    Name: SECRET_ID,
    Tags: tags,
    ...extra,
  });

  it('deletes the secret at once and announces the deleted clone without any secret', async () => {
    secretsMock.on(DescribeSecretCommand).resolves(secret());
    secretsMock.on(DeleteSecretCommand).resolves({});
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    await expect(teardown(request('secret'))).resolves.toEqual({
      step: 'secret',
      deleted: [SECRET_ID],
      alreadyGone: false,
      skipped: [],
    });
    expect(secretsMock).toHaveReceivedCommandWith(DescribeSecretCommand, { SecretId: SECRET_ID });
    expect(secretsMock).toHaveReceivedCommandWith(DeleteSecretCommand, {
      SecretId: SECRET_ID,
      ForceDeleteWithoutRecovery: true,
    });
    expect(eventsMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          Source: 'db-artifact-factory',
          DetailType: 'Clone Deleted',
          Detail: JSON.stringify({ cloneId: CLONE, reason: 'ttl-expired' }),
          EventBusName: 'dbaf-events',
        },
      ],
    });
  });

  it('uses the configured secret prefix', async () => {
    vi.stubEnv('SECRET_PREFIX', 'clones/');
    secretsMock.on(DescribeSecretCommand).rejects(new SecretNotFound(meta));
    await teardown(request('secret'));
    expect(secretsMock).toHaveReceivedCommandWith(DescribeSecretCommand, { SecretId: `clones/${CLONE}` });
  });

  it('succeeds when the event is not accepted: the clone is gone all the same', async () => {
    secretsMock.on(DescribeSecretCommand).resolves(secret());
    secretsMock.on(DeleteSecretCommand).resolves({});
    eventsMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(teardown(request('secret'))).resolves.toMatchObject({ deleted: [SECRET_ID] });
  });

  it.each([
    ['does not exist', () => secretsMock.on(DescribeSecretCommand).rejects(new SecretNotFound(meta))],
    [
      'is already scheduled for deletion',
      () => secretsMock.on(DescribeSecretCommand).resolves(secret(ours(), { DeletedDate: new Date() })),
    ],
    [
      'disappears between describe and delete',
      () => {
        secretsMock.on(DescribeSecretCommand).resolves(secret());
        secretsMock.on(DeleteSecretCommand).rejects(new SecretNotFound(meta));
      },
    ],
  ])('is already gone when the secret %s, and sends no event', async (_case, arrange) => {
    arrange();
    await expect(teardown(request('secret'))).resolves.toEqual({
      step: 'secret',
      deleted: [],
      alreadyGone: true,
      skipped: [],
    });
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it('refuses a secret with the clone name that is not tagged as ours, deleting nothing', async () => {
    secretsMock.on(DescribeSecretCommand).resolves(secret([{ Key: 'team', Value: 'orders' }]));
    await expect(teardown(request('secret'))).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining(`Secret "${SECRET_ID}" has no "dbaf:managed-by" tag`),
    });
    expectNothingDeleted();
  });

  it('in a rollback, leaves the secret of another execution alone', async () => {
    secretsMock.on(DescribeSecretCommand).resolves(secret(ours(OTHER_EXECUTION)));
    await expect(teardown(request('secret', { onlyExecutionArn: EXECUTION }))).resolves.toEqual({
      step: 'secret',
      deleted: [],
      alreadyGone: false,
      skipped: [SECRET_ID],
    });
    expectNothingDeleted();
  });

  it('rethrows a Secrets Manager error it does not know', async () => {
    secretsMock.on(DescribeSecretCommand).resolves(secret());
    secretsMock
      .on(DeleteSecretCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(teardown(request('secret'))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });
});

describe('a teardown of one refresh cluster (scope "cluster")', () => {
  const RETIRED = `${CLONE}-old`;

  it('deletes that cluster and its instances only, leaving the schedule, network and secret', async () => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        { DBInstanceIdentifier: `${CLONE}-1`, DBInstanceStatus: 'available', TagList: ours(OTHER_EXECUTION) },
      ],
    });
    rdsMock.on(DescribeDBClustersCommand).resolves({
      DBClusters: [{ DBClusterIdentifier: RETIRED, Status: 'available', TagList: ours(OTHER_EXECUTION) }],
    });
    const only = { clusterIdentifier: RETIRED, scope: 'cluster' } as const;

    await expect(teardown(request('discover', only))).resolves.toMatchObject({
      clusterIdentifier: RETIRED,
      instanceIdentifiers: [`${CLONE}-1`],
      subnetGroup: null,
      securityGroupIds: [],
      secretArn: null,
      schedule: null,
    });
    await teardown(request('instances', only));
    await teardown(request('cluster', only));
    for (const step of ['schedule', 'network', 'secret'] as const) {
      await expect(teardown(request(step, only))).resolves.toEqual({
        step,
        deleted: [],
        alreadyGone: false,
        skipped: [],
      });
    }

    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: 'db-cluster-id', Values: [RETIRED] }],
    });
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: `${CLONE}-1`,
    });
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBClusterCommand, { DBClusterIdentifier: RETIRED });
    expect(rdsMock).not.toHaveReceivedCommandWith(DeleteDBClusterCommand, { DBClusterIdentifier: CLONE });
    for (const mock of [ec2Mock, schedulerMock, secretsMock, eventsMock])
      expect(mock.calls()).toHaveLength(0);
  });

  it('is deleted with its clone by a whole-clone teardown, when a refresh left it behind', async () => {
    rdsMock.on(DescribeDBClustersCommand, { DBClusterIdentifier: CLONE }).resolves({
      DBClusters: [{ DBClusterIdentifier: CLONE, Status: 'available', TagList: ours() }],
    });
    rdsMock.on(DescribeDBClustersCommand, { DBClusterIdentifier: RETIRED }).resolves({
      DBClusters: [{ DBClusterIdentifier: RETIRED, Status: 'available', TagList: ours(OTHER_EXECUTION) }],
    });
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });

    await expect(teardown(request('cluster'))).resolves.toEqual({
      step: 'cluster',
      deleted: [CLONE, RETIRED],
      alreadyGone: false,
      skipped: [],
    });
    await teardown(request('instances'));
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: 'db-cluster-id', Values: [CLONE, RETIRED] }],
    });
  });

  it.each([
    ['another clone', 'dbaf-payments'],
    ['a cluster merely starting with the clone id', `${CLONE}-copy`],
    ['a source', 'legacy-prod'],
  ])('refuses %s as the cluster to delete, without calling AWS', async (_what, clusterIdentifier) => {
    await expect(teardown(request('cluster', { clusterIdentifier, scope: 'cluster' }))).rejects.toMatchObject(
      { name: 'RefusedTarget', message: expect.stringContaining('is not a cluster of clone') },
    );
    expect(rdsMock.calls()).toHaveLength(0);
  });

  it('refuses a cluster-only teardown that names no cluster', async () => {
    await expect(teardown(request('discover', { scope: 'cluster' }))).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining('needs "clusterIdentifier"'),
    });
  });

  it('refuses a refresh cluster tagged for another clone', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        { DBClusterIdentifier: `${CLONE}-next`, Status: 'available', TagList: ours(EXECUTION, 'dbaf-x') },
      ],
    });
    await expect(
      teardown(request('cluster', { clusterIdentifier: `${CLONE}-next`, scope: 'cluster' })),
    ).rejects.toMatchObject({
      name: 'RefusedTarget',
      message: expect.stringContaining('tagged for clone "dbaf-x"'),
    });
    expectNothingDeleted();
  });
});
