import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-scheduler';
import { scheduler } from '../../shared/clients/scheduler.js';
import type { Config } from '../../shared/config.js';
import { ttlScheduleName, warningScheduleName } from '../../shared/names.js';
import type { TeardownRequest } from '../../shared/plan.js';
import { deleteWarningSchedule } from '../../shared/warning.js';
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

/** Deletes the TTL schedule: `deleted` when this call did, `gone` when there was none, `skipped` in a rollback. */
async function deleteTtlSchedule(
  request: TeardownRequest,
  config: Config,
): Promise<'deleted' | 'gone' | 'skipped'> {
  const name = ttlScheduleName(request.cloneId);
  const groupName = config.scheduleGroupName;
  try {
    if (request.onlyExecutionArn) {
      const schedule = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: groupName }));
      if (createdBy(schedule.Target?.Input) !== request.onlyExecutionArn) return 'skipped';
    }
    await scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: groupName }));
    return 'deleted';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 'gone';
    throw error;
  }
}

/**
 * Deletes the clone's TTL schedule, so it does not start a second teardown later, and its warning
 * schedule, so a deleted clone is never announced as expiring.
 *
 * Schedules carry no tags we can read; in a rollback the TTL schedule's target input
 * (`createdBy`) tells which execution created it, and the warning (made after it by the same
 * step of the same execution) goes with it: a TTL schedule that is another execution's, or that
 * this one never made, keeps its warning too.
 */
export async function deleteSchedule(request: TeardownRequest, config: Config): Promise<StepResult> {
  const ttl = await deleteTtlSchedule(request, config);
  const name = ttlScheduleName(request.cloneId);
  if (ttl === 'skipped') {
    return { step: 'schedule', deleted: [], alreadyGone: false, skipped: [name] };
  }
  const rollback = Boolean(request.onlyExecutionArn);
  const warned =
    (!rollback || ttl === 'deleted') &&
    (await deleteWarningSchedule(scheduler, config.scheduleGroupName, request.cloneId));
  const deleted = [
    ...(ttl === 'deleted' ? [name] : []),
    ...(warned ? [warningScheduleName(request.cloneId)] : []),
  ];
  return { step: 'schedule', deleted, alreadyGone: deleted.length === 0, skipped: [] };
}
