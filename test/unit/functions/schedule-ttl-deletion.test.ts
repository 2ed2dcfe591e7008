import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  atExpression,
  handler,
  type Input,
  scheduleTtlDeletion,
} from '../../../functions/schedule-ttl-deletion/handler.js';
import { lambdaContext } from '../../support/context.js';
import { resetAfterEach } from '../../support/mocks.js';
import { EXECUTION_ARN, samplePlan } from '../../support/plan.js';

const schedulerMock = mockClient(SchedulerClient);

const cloneId = 'dbaf-orders-pr-42';
const teardownArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:dbaf-teardown';
const roleArn = 'arn:aws:iam::123456789012:role/dbaf-scheduler';

const plan = samplePlan({
  cloneId,
  executionArn: EXECUTION_ARN,
  owner: 'alice@example.com',
  expiresAt: '2026-11-21T14:00:00Z',
  finalSnapshot: true,
  schedule: { name: cloneId, groupName: 'dbaf' },
});

const input: Input = { plan };

const expectedSchedule = {
  Name: cloneId,
  GroupName: 'dbaf',
  ScheduleExpression: 'at(2026-11-21T14:00:00)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Description: `db-artifact-factory: delete clone ${cloneId} (owner alice@example.com) at its TTL`,
  Target: {
    Arn: teardownArn,
    RoleArn: roleArn,
    Input: JSON.stringify({ cloneId, reason: 'ttl-expired', finalSnapshot: true, createdBy: EXECUTION_ARN }),
  },
} satisfies CreateScheduleCommandInput;

const busArn = 'arn:aws:events:us-east-1:123456789012:event-bus/default';

/** The warning an hour before the expiry: the event bus as a templated PutEvents target. */
const expectedWarning = {
  Name: `${cloneId}.warning`,
  GroupName: 'dbaf',
  ScheduleExpression: 'at(2026-11-21T13:00:00)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Description: `db-artifact-factory: warn that clone ${cloneId} (owner alice@example.com) expires at 2026-11-21T14:00:00Z`,
  Target: {
    Arn: busArn,
    RoleArn: roleArn,
    EventBridgeParameters: { Source: 'db-artifact-factory', DetailType: 'Clone Expiring' },
    Input: JSON.stringify({
      cloneId,
      expiresAt: '2026-11-21T14:00:00Z',
      owner: 'alice@example.com',
      source: plan.source.clusterIdentifier,
      secretName: `dbaf/${cloneId}`,
      extendCommand: `dbaf extend ${cloneId} 4h`,
    }),
    RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
  },
} satisfies CreateScheduleCommandInput;

const expectedOutput = {
  scheduleName: cloneId,
  groupName: 'dbaf',
  expiresAt: '2026-11-21T14:00:00Z',
  warning: { scheduleName: `${cloneId}.warning`, at: '2026-11-21T13:00:00Z' },
};

const meta = { $metadata: {} };
const conflict = () => new ConflictException({ message: 'exists', Message: 'exists', ...meta });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-21T10:00:00Z'));
  vi.stubEnv('TEARDOWN_STATE_MACHINE_ARN', teardownArn);
  vi.stubEnv('SCHEDULER_ROLE_ARN', roleArn);
});
afterEach(() => {
  vi.useRealTimers();
});

resetAfterEach(schedulerMock);

describe('atExpression', () => {
  it.each([
    ['2026-11-21T14:00:00Z', 'at(2026-11-21T14:00:00)'],
    ['2026-11-21T14:00:00.000Z', 'at(2026-11-21T14:00:00)'],
    ['2026-11-21T16:30:00+02:00', 'at(2026-11-21T14:30:00)'],
  ])('turns %s into %s, in UTC without zone or milliseconds', (iso, expression) => {
    expect(atExpression(iso)).toBe(expression);
  });

  it('refuses a time it cannot read', () => {
    expect(() => atExpression('tomorrow')).toThrow(/"tomorrow" is not an ISO 8601 time/);
  });
});

describe('schedule-ttl-deletion', () => {
  it('creates a one-time schedule that starts the teardown at the TTL and then deletes itself', async () => {
    schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    const output = await scheduleTtlDeletion(input);

    expect(output).toEqual(expectedOutput);
    expect(schedulerMock).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
    expect(schedulerMock).toHaveReceivedNthCommandWith(CreateScheduleCommand, 1, expectedSchedule);
    expect(schedulerMock).not.toHaveReceivedCommand(UpdateScheduleCommand);
  });

  it('creates, beside it, the warning schedule that puts Clone Expiring on the bus an hour before', async () => {
    schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    await scheduleTtlDeletion(input);

    expect(schedulerMock).toHaveReceivedNthCommandWith(CreateScheduleCommand, 2, expectedWarning);
  });

  it.each([
    ['EXPIRY_WARNING', '30m', 'at(2026-11-21T13:30:00)', 1800],
    ['EXPIRY_WARNING', '2d', undefined, 0],
    ['EXPIRY_WARNING', 'off', undefined, 0],
    ['EXPIRY_WARNING', '0', undefined, 0],
  ])('with %s=%s warns at %s', async (name, value, expression, maxAge) => {
    vi.stubEnv(name, value);
    schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    const output = await scheduleTtlDeletion(input);

    if (expression === undefined) {
      // The warning time is already past (a TTL shorter than the warning), or warnings are off.
      expect(schedulerMock).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
      expect(output.warning).toBeNull();
      return;
    }
    expect(schedulerMock).toHaveReceivedNthCommandWith(CreateScheduleCommand, 2, {
      ScheduleExpression: expression,
      Target: expect.objectContaining({
        RetryPolicy: { MaximumEventAgeInSeconds: maxAge, MaximumRetryAttempts: 10 },
      }),
    });
  });

  it('sends the warning to EVENT_BUS_ARN when it is set', async () => {
    vi.stubEnv('EVENT_BUS_ARN', 'arn:aws:events:us-east-1:123456789012:event-bus/platform');
    schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    await scheduleTtlDeletion(input);

    expect(schedulerMock).toHaveReceivedNthCommandWith(CreateScheduleCommand, 2, {
      Target: expect.objectContaining({ Arn: 'arn:aws:events:us-east-1:123456789012:event-bus/platform' }),
    });
  });

  it('updates the existing schedules to the same fields when repeated', async () => {
    schedulerMock
      .on(CreateScheduleCommand)
      .resolvesOnce({ ScheduleArn: 'arn:schedule' })
      .resolvesOnce({ ScheduleArn: 'arn:warning' })
      .rejects(conflict())
      .on(UpdateScheduleCommand)
      .resolves({ ScheduleArn: 'arn:schedule' });

    await expect(handler(input, lambdaContext())).resolves.toEqual(expectedOutput);
    await expect(handler(input, lambdaContext())).resolves.toEqual(expectedOutput);

    expect(schedulerMock).toHaveReceivedCommandTimes(UpdateScheduleCommand, 2);
    expect(schedulerMock).toHaveReceivedNthCommandWith(UpdateScheduleCommand, 1, expectedSchedule);
    expect(schedulerMock).toHaveReceivedNthCommandWith(UpdateScheduleCommand, 2, expectedWarning);
  });

  it('creates the warning again when it fired and deleted itself between the conflict and the update', async () => {
    schedulerMock
      .on(CreateScheduleCommand)
      .resolves({})
      .on(CreateScheduleCommand, { Name: `${cloneId}.warning` })
      .rejectsOnce(conflict())
      .resolves({})
      .on(UpdateScheduleCommand, { Name: `${cloneId}.warning` })
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', ...meta }));

    await expect(scheduleTtlDeletion(input)).resolves.toEqual(expectedOutput);
    expect(schedulerMock).toHaveReceivedCommandTimes(CreateScheduleCommand, 3);
  });

  it('passes on an error it does not expect', async () => {
    const missing = new ResourceNotFoundException({
      message: 'no such group dbaf',
      Message: 'no such group dbaf',
      ...meta,
    });
    schedulerMock.on(CreateScheduleCommand).rejects(missing);

    await expect(scheduleTtlDeletion(input)).rejects.toBe(missing);
    expect(schedulerMock).not.toHaveReceivedCommand(UpdateScheduleCommand);
  });

  it.each([
    ['TEARDOWN_STATE_MACHINE_ARN'],
    ['SCHEDULER_ROLE_ARN'],
  ])('refuses to run without %s and schedules nothing', async (name) => {
    vi.stubEnv(name, '');

    const error = await scheduleTtlDeletion(input).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ConfigurationError' });
    expect((error as Error).message).toContain(name);
    expect(schedulerMock).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  it('refuses to run with warnings on but no way to know the bus (no EVENT_BUS_ARN, no ARN to derive it from)', async () => {
    vi.stubEnv('TEARDOWN_STATE_MACHINE_ARN', 'dbaf-teardown');
    const error = await scheduleTtlDeletion(input).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining('EVENT_BUS_ARN'),
    });
    expect(schedulerMock).not.toHaveReceivedCommand(CreateScheduleCommand);
  });
});
