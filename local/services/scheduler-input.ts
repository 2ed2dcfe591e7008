import type { CreateScheduleInput, UpdateScheduleInput } from '@aws-sdk/client-scheduler';
import {
  parseScheduleExpression,
  type ScheduleExpression,
  ScheduleExpressionError,
} from '../../functions/shared/schedule-expression.js';
import { isTimeZone } from '../../functions/shared/time-zones.js';
import type { ScheduleRecord } from '../core/state.js';
import { checkName, required, validation } from './scheduler-lookups.js';

/** How far in the past a StartDate may be, as Scheduler allows. */
const START_DATE_SLACK_MS = 5 * 60_000;

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  member: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

function between(value: number | undefined, min: number, max: number, member: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
}

/** A ScheduleExpression, parsed; Scheduler's ValidationException (its message) when it is not one. */
function expressionOf(expression: string): ScheduleExpression {
  try {
    return parseScheduleExpression(expression);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) throw validation(error.message);
    throw error;
  }
}

/** A ScheduleExpressionTimezone, refused with Scheduler's ValidationException unless Intl knows it. */
function timeZoneOf(zone: string): string {
  if (!isTimeZone(zone)) throw validation(`Invalid ScheduleExpressionTimezone: ${zone} is not a time zone.`);
  return zone;
}

/** The FlexibleTimeWindow: OFF, or FLEXIBLE with a window of 1 to 1440 minutes. */
function checkWindow(input: CreateScheduleInput | UpdateScheduleInput): ScheduleRecord['flexibleTimeWindow'] {
  const window = required(input.FlexibleTimeWindow, 'flexibleTimeWindow');
  const mode = oneOf(
    required(window.Mode, 'flexibleTimeWindow.mode'),
    ['OFF', 'FLEXIBLE'],
    'flexibleTimeWindow.mode',
    'OFF',
  );
  if (mode === 'FLEXIBLE')
    required(window.MaximumWindowInMinutes, 'flexibleTimeWindow.maximumWindowInMinutes');
  between(window.MaximumWindowInMinutes, 1, 1440, 'flexibleTimeWindow.maximumWindowInMinutes');
  return {
    Mode: mode,
    ...(window.MaximumWindowInMinutes === undefined
      ? {}
      : { MaximumWindowInMinutes: window.MaximumWindowInMinutes }),
  };
}

/** The Target: an ARN and a role; an event bus with its templated parameters; a RetryPolicy in range. */
function checkTarget(input: CreateScheduleInput | UpdateScheduleInput): ScheduleRecord['target'] {
  const target = required(input.Target, 'target');
  required(target.Arn, 'target.arn');
  required(target.RoleArn, 'target.roleArn');
  if (/^arn:aws[\w-]*:events:[^:]+:\d{12}:event-bus\//.test(target.Arn ?? '')) {
    // The templated EventBridge target needs both; Scheduler refuses an AWS source.
    required(target.EventBridgeParameters, 'target.eventBridgeParameters');
    required(target.EventBridgeParameters?.Source, 'target.eventBridgeParameters.source');
    required(target.EventBridgeParameters?.DetailType, 'target.eventBridgeParameters.detailType');
    if (target.EventBridgeParameters?.Source?.startsWith('aws.')) {
      throw validation(
        '1 validation error detected: Value at \'target.eventBridgeParameters.source\' failed to satisfy constraint: Member must not start with "aws."',
      );
    }
  }
  between(
    target.RetryPolicy?.MaximumEventAgeInSeconds,
    60,
    86_400,
    'target.retryPolicy.maximumEventAgeInSeconds',
  );
  between(target.RetryPolicy?.MaximumRetryAttempts, 0, 185, 'target.retryPolicy.maximumRetryAttempts');
  return { ...target, Arn: target.Arn ?? '', RoleArn: target.RoleArn ?? '' };
}

/** StartDate and EndDate of a recurring schedule (Scheduler ignores them for one-time schedules). */
function checkDates(input: CreateScheduleInput | UpdateScheduleInput, expression: ScheduleExpression): void {
  if (expression.kind === 'at') return;
  const start = input.StartDate?.getTime();
  const end = input.EndDate?.getTime();
  if (start !== undefined && start < Date.now() - START_DATE_SLACK_MS) {
    throw validation('The StartDate you specify cannot be earlier than 5 minutes ago.');
  }
  if (end !== undefined && end <= Date.now()) {
    throw validation('The EndDate you specify cannot be earlier than the current time.');
  }
  if (start !== undefined && end !== undefined && end <= start) {
    throw validation('The EndDate you specify must be after the StartDate.');
  }
}

/** The fields of a schedule a Create/UpdateSchedule request sets, validated as Scheduler does. */
export function checkSchedule(
  input: CreateScheduleInput | UpdateScheduleInput,
): Omit<ScheduleRecord, 'groupName' | 'arn' | 'createdAt' | 'modifiedAt'> {
  const name = checkName(required(input.Name, 'name'));
  const expression = required(input.ScheduleExpression, 'scheduleExpression');
  const parsed = expressionOf(expression);
  const timezone =
    input.ScheduleExpressionTimezone === undefined ? undefined : timeZoneOf(input.ScheduleExpressionTimezone);
  const flexibleTimeWindow = checkWindow(input);
  const target = checkTarget(input);
  if ((input.Description ?? '').length > 512) {
    throw validation(
      "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512",
    );
  }
  checkDates(input, parsed);
  return {
    name,
    expression,
    timezone,
    state: oneOf(input.State, ['ENABLED', 'DISABLED'], 'state', 'ENABLED'),
    flexibleTimeWindow,
    target,
    actionAfterCompletion: oneOf(
      input.ActionAfterCompletion,
      ['NONE', 'DELETE'],
      'actionAfterCompletion',
      'NONE',
    ),
    description: input.Description,
    startDate: input.StartDate?.toISOString(),
    endDate: input.EndDate?.toISOString(),
  };
}
