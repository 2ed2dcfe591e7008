import type {
  CreateScheduleInput,
  DeleteScheduleInput,
  GetScheduleInput,
  ListSchedulesInput,
  UpdateScheduleInput,
} from '@aws-sdk/client-scheduler';
import { SCHEDULER_ERRORS } from '../../functions/shared/aws/scheduler.js';
import type { ScheduleRecord } from '../core/state.js';
import { checkSchedule } from './scheduler-input.js';
import {
  groupName,
  groupOf,
  keyOf,
  page,
  type Scheduler,
  scheduleOf,
  schedulerError,
  validation,
} from './scheduler-lookups.js';
import { DEFAULT_RETRY } from './scheduler-timers.js';

/** A schedule as GetSchedule shows it, with Scheduler's defaults filled in. */
function scheduleView(schedule: ScheduleRecord) {
  return {
    Arn: schedule.arn,
    Name: schedule.name,
    GroupName: schedule.groupName,
    Description: schedule.description,
    ScheduleExpression: schedule.expression,
    ScheduleExpressionTimezone: schedule.timezone ?? 'UTC',
    State: schedule.state,
    FlexibleTimeWindow: schedule.flexibleTimeWindow,
    Target: {
      ...schedule.target,
      RetryPolicy: { ...DEFAULT_RETRY, ...(schedule.target.RetryPolicy as object) },
    },
    ActionAfterCompletion: schedule.actionAfterCompletion,
    StartDate: schedule.startDate ? new Date(schedule.startDate) : undefined,
    EndDate: schedule.endDate ? new Date(schedule.endDate) : undefined,
    CreationDate: new Date(schedule.createdAt),
    LastModificationDate: new Date(schedule.modifiedAt),
  };
}

/** Stores a created or updated schedule, checked as Scheduler checks it, and (re)arms its timers. */
function write(scheduler: Scheduler, input: CreateScheduleInput | UpdateScheduleInput, createdAt?: string) {
  const { account, context, timers } = scheduler;
  const checked = checkSchedule(input);
  const target = groupOf(scheduler, input.GroupName);
  const now = new Date().toISOString();
  const record: ScheduleRecord = {
    ...checked,
    groupName: target.name,
    arn: account.arn('scheduler', `schedule/${target.name}/${checked.name}`),
    createdAt: createdAt ?? now,
    modifiedAt: now,
  };
  const key = keyOf(target.name, checked.name);
  account.data.schedules[key] = record;
  timers.arm(key);
  context.log(
    `scheduler: ${key} ${createdAt ? 'updated' : 'created'}: ${record.expression} (${record.state})`,
  );
  return { ScheduleArn: record.arn };
}

/** CreateSchedule: refused when the group already has a schedule of that name. */
export function createSchedule(scheduler: Scheduler, input: CreateScheduleInput) {
  if (scheduler.account.data.schedules[keyOf(groupName(input.GroupName), input.Name)])
    throw schedulerError(SCHEDULER_ERRORS.alreadyExists(String(input.Name)));
  return write(scheduler, input);
}

/** UpdateSchedule: replaces every field of an existing schedule (Scheduler has no partial update). */
export function updateSchedule(scheduler: Scheduler, input: UpdateScheduleInput) {
  const existing = scheduleOf(scheduler, input.GroupName, input.Name);
  return write(scheduler, input, existing.createdAt);
}

/** GetSchedule. */
export function getSchedule(scheduler: Scheduler, input: GetScheduleInput) {
  return scheduleView(scheduleOf(scheduler, input.GroupName, input.Name));
}

/** DeleteSchedule: the schedule and its timers. */
export function deleteSchedule(scheduler: Scheduler, input: DeleteScheduleInput) {
  const found = scheduleOf(scheduler, input.GroupName, input.Name);
  const key = keyOf(found.groupName, found.name);
  scheduler.timers.cancel(key);
  delete scheduler.account.data.schedules[key];
  scheduler.context.log(`scheduler: ${key} deleted`);
  return {};
}

/** ListSchedules: by group, name prefix and state, sorted by group and name, paged. */
export function listSchedules(scheduler: Scheduler, input: ListSchedulesInput) {
  if (input.State && input.State !== 'ENABLED' && input.State !== 'DISABLED') {
    throw validation(
      `1 validation error detected: Value '${input.State}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
    );
  }
  if (input.GroupName) groupOf(scheduler, input.GroupName);
  const all = Object.values(scheduler.account.data.schedules)
    .filter((s) => !input.GroupName || s.groupName === input.GroupName)
    .filter((s) => s.name.startsWith(input.NamePrefix ?? ''))
    .filter((s) => !input.State || s.state === input.State)
    .sort((a, b) => a.groupName.localeCompare(b.groupName) || a.name.localeCompare(b.name));
  const { items, NextToken } = page(all, input.MaxResults, input.NextToken);
  return {
    Schedules: items.map((s) => ({
      Arn: s.arn,
      Name: s.name,
      GroupName: s.groupName,
      State: s.state,
      CreationDate: new Date(s.createdAt),
      LastModificationDate: new Date(s.modifiedAt),
      Target: { Arn: s.target.Arn },
    })),
    NextToken,
  };
}

/** The schedule actions, by action name. */
export const scheduleOperations = {
  CreateSchedule: createSchedule,
  UpdateSchedule: updateSchedule,
  GetSchedule: getSchedule,
  DeleteSchedule: deleteSchedule,
  ListSchedules: listSchedules,
} as const;
