import { EC2Client } from '@aws-sdk/client-ec2';
import {
  DBClusterNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBSubnetGroupsCommand,
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
  ResourceNotFoundException as SecretNotFound,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type CloneLife, extendedExpiry } from '../../../functions/operations/extend.js';
import { operations } from '../../../functions/operations/handler.js';
import { loadConfig } from '../../../functions/shared/config.js';
import { cloneTags } from '../../../functions/shared/tags.js';
import { rdsFault, resetAfterEach } from '../../support/mocks.js';

const rdsMock = mockClient(RDSClient);
const schedulerMock = mockClient(SchedulerClient);
const secretsMock = mockClient(SecretsManagerClient);
const ec2Mock = mockClient(EC2Client);
resetAfterEach(rdsMock, schedulerMock, secretsMock, ec2Mock);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-21T12:00:00Z');
const ENV = {
  ALLOWED_SOURCES: 'legacy-prod',
  CLONE_NAME_PREFIX: 'dbaf-',
  MAX_TTL: '7d',
  MAX_LIFETIME: '30d',
  SCHEDULE_GROUP_NAME: 'dbaf',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/dbaf-scheduler',
  REFRESH_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:dbaf-refresh',
  TEARDOWN_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:dbaf-teardown',
};
const config = (env: Record<string, string> = {}) => loadConfig({ ...ENV, ...env });
const life = (createdAt: string, expiresAt: string, cloneId = 'dbaf-a'): CloneLife => ({
  cloneId,
  createdAtMs: Date.parse(createdAt),
  expiresAtMs: Date.parse(expiresAt),
});
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(() => {
  for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
});

describe('extendedExpiry: the deployment limits an extension', () => {
  it('pushes the current expiry by the duration', () => {
    const next = extendedExpiry(
      life('2026-11-21T08:00:00Z', '2026-11-21T16:00:00Z'),
      4 * HOUR,
      config(),
      NOW,
    );
    expect(iso(next)).toBe('2026-11-21T20:00:00.000Z');
  });

  it('allows up to the maximum TTL counted from now, however old the clone is within its lifetime', () => {
    const next = extendedExpiry(life('2026-11-10T12:00:00Z', '2026-11-22T12:00:00Z'), 6 * DAY, config(), NOW);
    expect(iso(next)).toBe('2026-11-28T12:00:00.000Z');
  });

  it('refuses beyond the maximum TTL from now, naming it and the most it can still be extended', () => {
    expect(() =>
      extendedExpiry(life('2026-11-21T08:00:00Z', '2026-11-21T16:00:00Z'), 7 * DAY, config(), NOW),
    ).toThrow(
      expect.objectContaining({
        name: 'ExpiryLimitExceeded',
        message:
          "Clone dbaf-a cannot be extended by 7d: it may expire at most this deployment's maximum TTL, 7d, from now. " +
          'It can be extended by 6d20h at most (to 2026-11-28T12:00:00Z).',
      }),
    );
  });

  it('refuses beyond the maximum lifetime from creation, pointing at protectedClones', () => {
    expect(() =>
      extendedExpiry(life('2026-10-25T12:00:00Z', '2026-11-22T12:00:00Z'), 3 * DAY, config(), NOW),
    ).toThrow(
      expect.objectContaining({
        name: 'ExpiryLimitExceeded',
        message:
          "Clone dbaf-a cannot be extended by 3d: it may live at most this deployment's maximum lifetime, 30d, from its creation at 2026-10-25T12:00:00Z. " +
          'It can be extended by 2d at most (to 2026-11-24T12:00:00Z); to keep it longer, ask the operators to list it in protectedClones.',
      }),
    );
  });

  it('lets a protected clone live beyond the maximum lifetime, within the maximum TTL from now', () => {
    const protectedConfig = config({ PROTECTED_CLONES: 'DBAF-A' });
    const clone = life('2026-10-01T12:00:00Z', '2026-11-22T12:00:00Z');
    expect(iso(extendedExpiry(clone, 3 * DAY, protectedConfig, NOW))).toBe('2026-11-25T12:00:00.000Z');
    expect(() => extendedExpiry(clone, 7 * DAY, protectedConfig, NOW)).toThrow(/maximum TTL, 7d, from now/);
  });

  it.each([
    ['the maximum TTL', life('2026-11-21T12:00:00Z', '2026-11-28T12:00:00Z'), /make a new clone instead\.$/],
    [
      'the maximum lifetime',
      life('2026-10-22T12:00:00Z', '2026-11-21T12:00:00Z'),
      /make a new clone instead or ask the operators to list it in protectedClones\.$/,
    ],
  ])('says when a clone is already at %s', (_limit, at, message) => {
    expect(() => extendedExpiry(at, HOUR, config(), NOW)).toThrow(message);
  });
});

/** A managed clone's cluster, as DescribeDBClusters returns it. */
function cluster(expiresAt: string, extra: { status?: string; tags?: object[] } = {}) {
  return {
    DBClusterIdentifier: 'dbaf-mine',
    DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:dbaf-mine',
    Status: extra.status ?? 'available',
    ClusterCreateTime: new Date('2026-11-21T08:00:00Z'),
    TagList:
      extra.tags ??
      cloneTags({
        cloneId: 'dbaf-mine',
        source: 'legacy-prod',
        owner: 'ana@example.com',
        expiresAt,
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:dbaf-clone:dbaf-mine',
        createdAt: '2026-11-21T08:00:00Z',
      }),
  };
}

describe('the extend operation', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    rdsMock.on(DescribeDBSubnetGroupsCommand).rejects(rdsFault(DBSubnetGroupNotFoundFault));
    secretsMock.onAnyCommand().rejects(new SecretNotFound({ $metadata: {}, message: 'gone' }));
    ec2Mock.onAnyCommand().resolves({ SecurityGroups: [] });
    schedulerMock.on(GetScheduleCommand).resolves({
      Name: 'dbaf-mine',
      GroupName: 'dbaf',
      ScheduleExpression: 'at(2026-11-21T16:00:00)',
      Target: { Arn: ENV.TEARDOWN_STATE_MACHINE_ARN, RoleArn: ENV.SCHEDULER_ROLE_ARN },
    });
    schedulerMock.on(UpdateScheduleCommand).resolves({});
    schedulerMock
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'x', Message: 'x' }));
    return () => vi.useRealTimers();
  });

  it('moves the TTL schedule and the expiry tag by the duration, for a name given without the prefix', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster('2026-11-21T16:00:00Z')] });
    const output = await operations({ operation: 'extend', cloneId: 'mine', by: '4h' });
    expect(output).toEqual({
      cloneId: 'dbaf-mine',
      expiresAt: '2026-11-21T20:00:00Z',
      previousExpiresAt: '2026-11-21T16:00:00Z',
      warningAt: '2026-11-21T19:00:00Z',
    });
    expect(schedulerMock.commandCalls(UpdateScheduleCommand)[0]?.args[0].input.ScheduleExpression).toBe(
      'at(2026-11-21T20:00:00)',
    );
  });

  it('refuses beyond the maximum TTL before changing anything', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster('2026-11-21T16:00:00Z')] });
    await expect(operations({ operation: 'extend', cloneId: 'dbaf-mine', by: '8d' })).rejects.toMatchObject({
      name: 'ExpiryLimitExceeded',
    });
    expect(schedulerMock.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it.each([
    [
      'no such clone',
      () => rdsMock.on(DescribeDBClustersCommand).rejects(rdsFault(DBClusterNotFoundFault)),
      'CloneNotFound',
    ],
    [
      'a cluster without the project tags',
      () => rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster('', { tags: [] })] }),
      'RefusedTarget',
    ],
    [
      'a clone being deleted',
      () =>
        rdsMock
          .on(DescribeDBClustersCommand)
          .resolves({ DBClusters: [cluster('2026-11-21T16:00:00Z', { status: 'deleting' })] }),
      'CloneExpired',
    ],
  ])('refuses %s with %s', async (_case, arrange, error) => {
    arrange();
    await expect(operations({ operation: 'extend', cloneId: 'dbaf-mine', by: '1h' })).rejects.toMatchObject({
      name: error,
    });
    expect(schedulerMock.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });
});

describe('the operation input', () => {
  it.each([
    [
      { operation: 'shrink', cloneId: 'dbaf-mine' },
      /^operation: "shrink" is not valid; expected one of: extend, schedule-refresh, unschedule-refresh\.$/,
    ],
    [{ cloneId: 'dbaf-mine' }, /^operation: missing; expected one of/],
    [{ operation: 'extend', cloneId: 'dbaf-mine', by: 'soon' }, /by: "soon" is not a duration such as "30m"/],
    [{ operation: 'extend', cloneId: 'dbaf-mine' }, /by: missing/],
    [
      { operation: 'extend', cloneId: 'Not A Name', by: '1h' },
      /cloneId: "Not A Name" is not valid; expected a clone name/,
    ],
    [{ operation: 'extend', cloneId: 'dbaf-mine', by: '1h', extra: 1 }, /extra: unknown field/],
    [{ operation: 'unschedule-refresh', cloneId: 'x'.repeat(500) }, /cloneId: "x{30,40}\.\.\." is not valid/],
  ])('refuses %j, naming the field', async (input, message) => {
    await expect(operations(input as never)).rejects.toMatchObject({ name: 'InvalidRequest', message });
  });
});

const artifact = (overrides: { cloneName?: string; source?: string } = {}) => ({
  version: 1,
  source: { clusterIdentifier: overrides.source ?? 'legacy-prod' },
  target: { instanceClass: 'db.r6g.large', cloneName: overrides.cloneName ?? 'reporting' },
});

describe('the schedule-refresh operation', () => {
  beforeEach(() => {
    rdsMock.on(DescribeDBClustersCommand).rejects(rdsFault(DBClusterNotFoundFault));
    schedulerMock.on(CreateScheduleCommand).resolves({});
  });

  it('creates <clone>.refresh starting the refresh machine as the schedules role, with the artifact naming the clone', async () => {
    const output = await operations({
      operation: 'schedule-refresh',
      artifact: artifact(),
      cron: '0 6 ? * MON-FRI *',
      timezone: 'Europe/Paris',
    });
    expect(output).toEqual({
      status: 'CREATED',
      cloneId: 'dbaf-reporting',
      schedule: 'dbaf-reporting.refresh',
      expression: 'cron(0 6 ? * MON-FRI *)',
      timezone: 'Europe/Paris',
      next: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T0[45]:00:00\.000Z$/),
      cloneExists: false,
    });
    const input = schedulerMock.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: 'dbaf-reporting.refresh',
      GroupName: 'dbaf',
      Target: {
        Arn: ENV.REFRESH_STATE_MACHINE_ARN,
        RoleArn: ENV.SCHEDULER_ROLE_ARN,
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
      },
    });
    expect(JSON.parse(input?.Target?.Input ?? '{}')).toEqual({
      artifact: artifact({ cloneName: 'dbaf-reporting' }),
      reason: 'scheduled',
    });
  });

  it('changes the schedule that exists', async () => {
    schedulerMock
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ $metadata: {}, message: 'exists', Message: 'exists' }));
    schedulerMock.on(UpdateScheduleCommand).resolves({});
    const output = await operations({
      operation: 'schedule-refresh',
      artifact: artifact(),
      cron: '30 2 * * ? *',
    });
    expect(output).toMatchObject({ status: 'UPDATED', timezone: 'UTC' });
  });

  it('refuses every problem at once: an unnamed clone of a source not allowed here, a bad cron and zone', async () => {
    const refused = operations({
      operation: 'schedule-refresh',
      artifact: { ...artifact({ source: 'orders-prod' }), target: { instanceClass: 'db.r6g.large' } },
      cron: 'every day',
      timezone: 'Mars/Olympus',
    });
    await expect(refused).rejects.toMatchObject({ name: 'InvalidRequest' });
    const message = await refused.catch((error: Error) => error.message);
    expect(message).toMatch(/^The refresh schedule is invalid \(4 problems\):/);
    expect(message).toMatch(/- artifact\.target\.cloneName: missing/);
    expect(message).toMatch(
      /- artifact\.source\.clusterIdentifier: "orders-prod" is not one of allowedSources/,
    );
    expect(message).toMatch(/- cron: "every day" is not a cron expression/);
    expect(message).toMatch(/- timezone: "Mars\/Olympus" is not an IANA time zone/);
    expect(schedulerMock.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });
});

describe('the unschedule-refresh operation', () => {
  it('deletes the schedule, and says whether the clone itself exists', async () => {
    schedulerMock.on(DeleteScheduleCommand).resolves({});
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster('2026-11-21T16:00:00Z')] });
    await expect(operations({ operation: 'unschedule-refresh', cloneId: 'mine' })).resolves.toEqual({
      status: 'DELETED',
      cloneId: 'dbaf-mine',
      schedule: 'dbaf-mine.refresh',
      cloneExists: true,
    });
  });

  it('answers NONE when there was no schedule (already gone is fine)', async () => {
    schedulerMock
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'gone', Message: 'gone' }));
    rdsMock.on(DescribeDBClustersCommand).rejects(rdsFault(DBClusterNotFoundFault));
    await expect(
      operations({ operation: 'unschedule-refresh', cloneId: 'dbaf-gone' }),
    ).resolves.toMatchObject({
      status: 'NONE',
      cloneExists: false,
    });
  });
});
