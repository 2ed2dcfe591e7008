import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';

/**
 * `at(yyyy-mm-ddThh:mm:ss)` for an ISO 8601 time, read in UTC.
 *
 * Scheduler wants the local time without zone or milliseconds; the zone goes in
 * `ScheduleExpressionTimezone`.
 */
export function atExpression(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) {
    throw new TypeError(`The expiry time "${iso}" is not an ISO 8601 time such as "2026-11-21T14:00:00Z".`);
  }
  return `at(${time.toISOString().slice(0, 19)})`;
}

/**
 * The sweeper's recurring schedule, in the TTL schedules' group. The dot keeps it apart from
 * them: no RDS identifier, so no clone's TTL schedule, can have one.
 */
export const SWEEPER_SCHEDULE_NAME = 'dbaf.sweeper';

export { DEFAULT_SWEEPER_SCHEDULE } from './settings/table.js';

/**
 * Creates the schedule, or brings the existing one of that name to these fields (a retry, a moved
 * expiry, a changed refresh cron); one that fired and deleted itself meanwhile is created again.
 * Schedules carry no tags: their group and name are what make them the project's.
 */
export async function putSchedule(
  scheduler: SchedulerClient,
  schedule: CreateScheduleCommandInput,
): Promise<'created' | 'updated'> {
  try {
    await scheduler.send(new CreateScheduleCommand(schedule));
    return 'created';
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
  try {
    await scheduler.send(new UpdateScheduleCommand(schedule));
    return 'updated';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await scheduler.send(new CreateScheduleCommand(schedule));
  return 'created';
}

/** Deletes a schedule of the group; false when there was none (it fired and deleted itself, or never existed). */
export async function deleteSchedule(
  scheduler: SchedulerClient,
  groupName: string,
  name: string,
): Promise<boolean> {
  try {
    await scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: groupName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
