import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
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

const expectedOutput = { scheduleName: cloneId, groupName: 'dbaf', expiresAt: '2026-11-21T14:00:00Z' };

const meta = { $metadata: {} };

beforeEach(() => {
  vi.stubEnv('TEARDOWN_STATE_MACHINE_ARN', teardownArn);
  vi.stubEnv('SCHEDULER_ROLE_ARN', roleArn);
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
    expect(schedulerMock).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
    expect(schedulerMock).toHaveReceivedCommandWith(CreateScheduleCommand, expectedSchedule);
    expect(schedulerMock).not.toHaveReceivedCommand(UpdateScheduleCommand);
  });

  it('updates the existing schedule to the same fields when repeated', async () => {
    schedulerMock
      .on(CreateScheduleCommand)
      .resolvesOnce({ ScheduleArn: 'arn:schedule' })
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', ...meta }))
      .on(UpdateScheduleCommand)
      .resolves({ ScheduleArn: 'arn:schedule' });

    await expect(handler(input, lambdaContext())).resolves.toEqual(expectedOutput);
    await expect(handler(input, lambdaContext())).resolves.toEqual(expectedOutput);

    expect(schedulerMock).toHaveReceivedCommandTimes(UpdateScheduleCommand, 1);
    expect(schedulerMock).toHaveReceivedCommandWith(UpdateScheduleCommand, expectedSchedule);
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
});
