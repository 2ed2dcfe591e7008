import * as sdk from '@aws-sdk/client-scheduler';
import type { AwsRefusal } from '../../functions/shared/aws/refusal.js';
import {
  DEFAULT_SCHEDULE_GROUP,
  SCHEDULER_ERRORS,
  scheduleNameRefusal,
} from '../../functions/shared/aws/scheduler.js';
import { AwsError, refusalError } from '../core/errors.js';
import type { ServiceContext } from '../core/service.js';
import type { Account, ScheduleGroupRecord, ScheduleRecord } from '../core/state.js';
import type { ScheduleTimers } from './scheduler-timers.js';

// What every EventBridge Scheduler action shares: its errors, the name rule of groups and
// schedules, paging, and the lookups of a group or a schedule.

/** What the Scheduler actions work on: the service context and the timers of the schedules. */
export interface Scheduler {
  readonly context: ServiceContext;
  readonly account: Account;
  readonly timers: ScheduleTimers;
}

/** The `$metadata` the SDK's exception constructors want. */
export const meta = { $metadata: {} };

/** The group every account has, where a schedule goes when the request names none. */
export const DEFAULT_GROUP = DEFAULT_SCHEDULE_GROUP;

/** One of Scheduler's refusals (`functions/shared/aws/scheduler.ts`), as the stand-in throws it. */
export function schedulerError(refusal: AwsRefusal): Error {
  return refusalError(sdk, refusal, { messageMember: true });
}

/** ResourceNotFoundException with AWS's message (Scheduler sends it as `Message` too). */
export function notFound(message: string): Error {
  return schedulerError({ name: 'ResourceNotFoundException', message });
}

/** A ValidationException with AWS's message. */
export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** AWS's wording for a missing required member (Scheduler names members in camelCase). */
export function required<T>(value: T | undefined | null, member: string): T {
  if (value === undefined || value === null || value === '') {
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** The name of a schedule or schedule group (`functions/shared/aws/scheduler.ts`): 1 to 64 letters, digits, `-`, `_` or `.`. */
export function checkName(name: string): string {
  const refusal = scheduleNameRefusal(name);
  if (refusal) throw validation(refusal.message);
  return name;
}

/** The group a request names, `default` when it names none. */
export function groupName(name: string | undefined): string {
  return checkName(name ?? DEFAULT_GROUP);
}

/** Paging of Scheduler's List calls: MaxResults 1 to 100, opaque NextToken. */
export function page<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined) {
  const size = maxResults ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 100) {
    throw validation(
      `1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw validation('The NextToken is not valid.');
  const end = start + size;
  return {
    items: items.slice(start, end),
    NextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}

/** Makes the account's `default` group if it is not there yet. */
export function ensureDefaultGroup(account: Account): void {
  if (account.data.scheduleGroups[DEFAULT_GROUP]) return;
  account.data.scheduleGroups[DEFAULT_GROUP] = {
    name: DEFAULT_GROUP,
    arn: account.arn('scheduler', `schedule-group/${DEFAULT_GROUP}`),
    tags: [],
    createdAt: new Date().toISOString(),
  };
}

/** The schedule group a request names (`default` when none). */
export function groupOf(scheduler: Scheduler, name: string | undefined): ScheduleGroupRecord {
  ensureDefaultGroup(scheduler.account);
  const found = scheduler.account.data.scheduleGroups[groupName(name)];
  if (!found) throw schedulerError(SCHEDULER_ERRORS.groupNotFound(groupName(name)));
  return found;
}

/** Where a schedule is stored: `<group>/<name>`. */
export function keyOf(group: string | undefined, name: string | undefined): string {
  return `${group ?? DEFAULT_GROUP}/${name}`;
}

/** The schedule a request names, in its group (`default` when none). */
export function scheduleOf(
  scheduler: Scheduler,
  group: string | undefined,
  name: string | undefined,
): ScheduleRecord {
  const found = scheduler.account.data.schedules[keyOf(group, name)];
  if (!found) throw schedulerError(SCHEDULER_ERRORS.notFound(String(name)));
  return found;
}
