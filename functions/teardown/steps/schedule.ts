import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-scheduler';
import { scheduler } from '../../shared/clients.js';
import type { Config } from '../../shared/config.js';
import type { TeardownRequest } from '../../shared/plan.js';
import type { StepResult } from '../types.js';

/** The execution that created a schedule, from its target input (`createdBy`), if readable. */
function createdBy(input: string | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(input ?? '');
    if (parsed !== null && typeof parsed === 'object' && 'createdBy' in parsed) {
      const value = (parsed as { createdBy: unknown }).createdBy;
      return typeof value === 'string' ? value : undefined;
    }
  } catch {
    // Not JSON: not a schedule this project wrote, so it has no creator we can match.
  }
  return undefined;
}

/**
 * Deletes the clone's TTL schedule, so it does not start a second teardown later.
 *
 * Schedules carry no tags we can read; in a rollback the schedule's target input
 * (`createdBy`) tells which execution created it.
 */
export async function deleteSchedule(request: TeardownRequest, config: Config): Promise<StepResult> {
  const name = request.cloneId;
  const groupName = config.scheduleGroupName;
  const gone: StepResult = { step: 'schedule', deleted: [], alreadyGone: true, skipped: [] };
  try {
    if (request.onlyExecutionArn) {
      const schedule = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: groupName }));
      if (createdBy(schedule.Target?.Input) !== request.onlyExecutionArn) {
        return { step: 'schedule', deleted: [], alreadyGone: false, skipped: [name] };
      }
    }
    await scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: groupName }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return gone;
    throw error;
  }
  return { step: 'schedule', deleted: [name], alreadyGone: false, skipped: [] };
}
