import * as sdk from '@aws-sdk/client-scheduler';
import {
  ConflictException,
  type CreateScheduleGroupInput,
  type CreateScheduleInput,
  type DeleteScheduleGroupInput,
  type DeleteScheduleInput,
  type GetScheduleGroupInput,
  type GetScheduleInput,
  type ListScheduleGroupsInput,
  type ListSchedulesInput,
  type ListTagsForResourceInput,
  ResourceNotFoundException,
  type TagResourceInput,
  type UntagResourceInput,
  type UpdateScheduleInput,
} from '@aws-sdk/client-scheduler';
import { AwsError } from '../core/errors.js';
import type { ServiceContext, ServiceDefinition } from '../core/service.js';
import { type Account, type ScheduleGroupRecord, type ScheduleRecord, toTags } from '../core/state.js';
import { checkSchedule } from './scheduler-input.js';
import { DEFAULT_RETRY, ScheduleTimers } from './scheduler-timers.js';

const meta = { $metadata: {} };
const DEFAULT_GROUP = 'default';

function notFound(message: string): ResourceNotFoundException {
  return new ResourceNotFoundException({ message, Message: message, ...meta });
}

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** Paging of Scheduler's List calls: MaxResults 1 to 100, opaque NextToken. */
function page<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined) {
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

function groupName(name: string | undefined): string {
  const group = name ?? DEFAULT_GROUP;
  if (!/^[0-9a-zA-Z-_.]{1,64}$/.test(group)) {
    throw validation(
      `1 validation error detected: Value '${group}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+`,
    );
  }
  return group;
}

function ensureDefaultGroup(account: Account): void {
  if (account.data.scheduleGroups[DEFAULT_GROUP]) return;
  account.data.scheduleGroups[DEFAULT_GROUP] = {
    name: DEFAULT_GROUP,
    arn: account.arn('scheduler', `schedule-group/${DEFAULT_GROUP}`),
    tags: [],
    createdAt: new Date().toISOString(),
  };
}

function groupView(group: ScheduleGroupRecord) {
  return {
    Arn: group.arn,
    Name: group.name,
    State: 'ACTIVE',
    CreationDate: new Date(group.createdAt),
    LastModificationDate: new Date(group.createdAt),
  };
}

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

/** The scheduler service, and the timers behind it. */
export type SchedulerService = ServiceDefinition & {
  /** Cancels every schedule's timers (at shutdown). */
  stop(): void;
  /**
   * Arms the timers of every stored schedule: call it once the targets exist (after loading a
   * saved account and creating the state machines); schedules created through the API arm at once.
   */
  rearm(): void;
};

/**
 * Amazon EventBridge Scheduler (restJson1): schedule groups (with tags) and schedules whose
 * timers really fire, in the clock's AWS time: a Step Functions target gets a StartExecution
 * with the target's Input.
 */
export function schedulerService(context: ServiceContext): SchedulerService {
  const { account } = context;
  const schedules = () => account.data.schedules;
  const timers = new ScheduleTimers(context, (key) => delete schedules()[key]);
  ensureDefaultGroup(account);

  const group = (name: string | undefined): ScheduleGroupRecord => {
    ensureDefaultGroup(account);
    const found = account.data.scheduleGroups[groupName(name)];
    if (!found) throw notFound(`Schedule group ${groupName(name)} does not exist.`);
    return found;
  };
  const keyOf = (group: string | undefined, name: string | undefined) => `${group ?? DEFAULT_GROUP}/${name}`;
  const schedule = (groupName: string | undefined, name: string | undefined): ScheduleRecord => {
    const found = schedules()[keyOf(groupName, name)];
    if (!found) throw notFound(`Schedule ${name} does not exist.`);
    return found;
  };
  const taggableGroup = (arn: string | undefined): ScheduleGroupRecord => {
    if (arn?.includes(':schedule/'))
      throw validation('Schedules cannot be tagged: tag their schedule group.');
    const found = Object.values(account.data.scheduleGroups).find((g) => g.arn === arn);
    if (!found) throw notFound(`Resource ${arn} does not exist.`);
    return found;
  };
  const write = (input: CreateScheduleInput | UpdateScheduleInput, createdAt?: string) => {
    const checked = checkSchedule(input);
    const target = group(input.GroupName);
    const now = new Date().toISOString();
    const record: ScheduleRecord = {
      ...checked,
      groupName: target.name,
      arn: account.arn('scheduler', `schedule/${target.name}/${checked.name}`),
      createdAt: createdAt ?? now,
      modifiedAt: now,
    };
    const key = keyOf(target.name, checked.name);
    schedules()[key] = record;
    timers.arm(key);
    context.log(
      `scheduler: ${key} ${createdAt ? 'updated' : 'created'}: ${record.expression} (${record.state})`,
    );
    return { ScheduleArn: record.arn };
  };

  return {
    id: 'scheduler',
    protocol: 'rest-json',
    sdk,
    stop: () => timers.stop(),
    rearm: () => timers.rearm(),
    operations: {
      CreateScheduleGroup: (input: CreateScheduleGroupInput) => {
        const name = groupName(input.Name);
        if (account.data.scheduleGroups[name]) {
          const message = `Schedule group ${name} already exists.`;
          throw new ConflictException({ message, Message: message, ...meta });
        }
        const arn = account.arn('scheduler', `schedule-group/${name}`);
        account.data.scheduleGroups[name] = {
          name,
          arn,
          tags: toTags(input.Tags),
          createdAt: new Date().toISOString(),
        };
        return { ScheduleGroupArn: arn };
      },
      GetScheduleGroup: (input: GetScheduleGroupInput) => groupView(group(input.Name)),
      ListScheduleGroups: (input: ListScheduleGroupsInput) => {
        ensureDefaultGroup(account);
        const all = Object.values(account.data.scheduleGroups)
          .filter((g) => g.name.startsWith(input.NamePrefix ?? ''))
          .sort((a, b) =>
            a.name === DEFAULT_GROUP ? -1 : b.name === DEFAULT_GROUP ? 1 : a.name.localeCompare(b.name),
          );
        const { items, NextToken } = page(all, input.MaxResults, input.NextToken);
        return { ScheduleGroups: items.map(groupView), NextToken };
      },
      DeleteScheduleGroup: (input: DeleteScheduleGroupInput) => {
        const found = group(input.Name);
        if (found.name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
        // AWS deletes the group's schedules with it (eventually); here at once.
        for (const [key, s] of Object.entries(schedules())) {
          if (s.groupName !== found.name) continue;
          timers.cancel(key);
          delete schedules()[key];
        }
        delete account.data.scheduleGroups[found.name];
        return {};
      },

      CreateSchedule: (input: CreateScheduleInput) => {
        if (schedules()[keyOf(groupName(input.GroupName), input.Name)]) {
          const message = `Schedule ${input.Name} already exists.`;
          throw new ConflictException({ message, Message: message, ...meta });
        }
        return write(input);
      },
      UpdateSchedule: (input: UpdateScheduleInput) => {
        const existing = schedule(input.GroupName, input.Name);
        return write(input, existing.createdAt);
      },
      GetSchedule: (input: GetScheduleInput) => scheduleView(schedule(input.GroupName, input.Name)),
      DeleteSchedule: (input: DeleteScheduleInput) => {
        const found = schedule(input.GroupName, input.Name);
        const key = keyOf(found.groupName, found.name);
        timers.cancel(key);
        delete schedules()[key];
        context.log(`scheduler: ${key} deleted`);
        return {};
      },
      ListSchedules: (input: ListSchedulesInput) => {
        if (input.State && input.State !== 'ENABLED' && input.State !== 'DISABLED') {
          throw validation(
            `1 validation error detected: Value '${input.State}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
          );
        }
        if (input.GroupName) group(input.GroupName);
        const all = Object.values(schedules())
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
      },

      TagResource: (input: TagResourceInput) => {
        const found = taggableGroup(input.ResourceArn);
        const adding = toTags(input.Tags);
        found.tags = [...found.tags.filter((t) => !adding.some((a) => a.Key === t.Key)), ...adding];
        return {};
      },
      UntagResource: (input: UntagResourceInput) => {
        const found = taggableGroup(input.ResourceArn);
        found.tags = found.tags.filter((t) => !input.TagKeys?.includes(t.Key));
        return {};
      },
      ListTagsForResource: (input: ListTagsForResourceInput) => ({
        Tags: taggableGroup(input.ResourceArn).tags,
      }),
    },
  };
}
