import {
  ConflictException,
  type CreateScheduleGroupInput,
  type DeleteScheduleGroupInput,
  type GetScheduleGroupInput,
  type ListScheduleGroupsInput,
  type ListTagsForResourceInput,
  type TagResourceInput,
  type UntagResourceInput,
} from '@aws-sdk/client-scheduler';
import { type ScheduleGroupRecord, toTags } from '../core/state.js';
import {
  DEFAULT_GROUP,
  ensureDefaultGroup,
  groupName,
  groupOf,
  meta,
  notFound,
  page,
  type Scheduler,
  validation,
} from './scheduler-lookups.js';

/** A schedule group as GetScheduleGroup and ListScheduleGroups show it. */
function groupView(group: ScheduleGroupRecord) {
  return {
    Arn: group.arn,
    Name: group.name,
    State: 'ACTIVE',
    CreationDate: new Date(group.createdAt),
    LastModificationDate: new Date(group.createdAt),
  };
}

/** The group a tagging call's ResourceArn names: only groups carry tags. */
function taggableGroup(scheduler: Scheduler, arn: string | undefined): ScheduleGroupRecord {
  if (arn?.includes(':schedule/')) throw validation('Schedules cannot be tagged: tag their schedule group.');
  const found = Object.values(scheduler.account.data.scheduleGroups).find((g) => g.arn === arn);
  if (!found) throw notFound(`Resource ${arn} does not exist.`);
  return found;
}

/** CreateScheduleGroup: a new group, with its tags. */
export function createScheduleGroup(scheduler: Scheduler, input: CreateScheduleGroupInput) {
  const { account } = scheduler;
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
}

/** GetScheduleGroup. */
export function getScheduleGroup(scheduler: Scheduler, input: GetScheduleGroupInput) {
  return groupView(groupOf(scheduler, input.Name));
}

/** ListScheduleGroups: `default` first, then by name, paged. */
export function listScheduleGroups(scheduler: Scheduler, input: ListScheduleGroupsInput) {
  ensureDefaultGroup(scheduler.account);
  const all = Object.values(scheduler.account.data.scheduleGroups)
    .filter((g) => g.name.startsWith(input.NamePrefix ?? ''))
    .sort((a, b) =>
      a.name === DEFAULT_GROUP ? -1 : b.name === DEFAULT_GROUP ? 1 : a.name.localeCompare(b.name),
    );
  const { items, NextToken } = page(all, input.MaxResults, input.NextToken);
  return { ScheduleGroups: items.map(groupView), NextToken };
}

/** DeleteScheduleGroup: the group and its schedules; `default` stays. */
export function deleteScheduleGroup(scheduler: Scheduler, input: DeleteScheduleGroupInput) {
  const { account, timers } = scheduler;
  const found = groupOf(scheduler, input.Name);
  if (found.name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
  // AWS deletes the group's schedules with it (eventually); here at once.
  for (const [key, s] of Object.entries(account.data.schedules)) {
    if (s.groupName !== found.name) continue;
    timers.cancel(key);
    delete account.data.schedules[key];
  }
  delete account.data.scheduleGroups[found.name];
  return {};
}

/** TagResource: adds tags to a group, replacing the values of keys already there. */
export function tagResource(scheduler: Scheduler, input: TagResourceInput) {
  const found = taggableGroup(scheduler, input.ResourceArn);
  const adding = toTags(input.Tags);
  found.tags = [...found.tags.filter((t) => !adding.some((a) => a.Key === t.Key)), ...adding];
  return {};
}

/** UntagResource: removes a group's tags of the given keys. */
export function untagResource(scheduler: Scheduler, input: UntagResourceInput) {
  const found = taggableGroup(scheduler, input.ResourceArn);
  found.tags = found.tags.filter((t) => !input.TagKeys?.includes(t.Key));
  return {};
}

/** ListTagsForResource: a group's tags. */
export function listTagsForResource(scheduler: Scheduler, input: ListTagsForResourceInput) {
  return { Tags: taggableGroup(scheduler, input.ResourceArn).tags };
}

/** The schedule group and tagging actions, by action name. */
export const groupOperations = {
  CreateScheduleGroup: createScheduleGroup,
  GetScheduleGroup: getScheduleGroup,
  ListScheduleGroups: listScheduleGroups,
  DeleteScheduleGroup: deleteScheduleGroup,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
} as const;
