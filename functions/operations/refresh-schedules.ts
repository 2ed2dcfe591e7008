import { cloneIdForName } from '../shared/artifact.js';
import { scheduler } from '../shared/clients/scheduler.js';
import { type Config, isAllowedSource, loadConfig, required } from '../shared/config.js';
import { InvalidRequest } from '../shared/errors.js';
import { refreshScheduleName } from '../shared/names.js';
import { findCluster } from '../shared/rds.js';
import {
  type RefreshScheduleRequest,
  refreshSchedule,
  resolveRefreshSchedule,
} from '../shared/refresh-schedule.js';
import { deleteSchedule, putSchedule } from '../shared/schedule.js';
import { nextCronRun } from '../shared/schedule-expression.js';

/** What `schedule-refresh` did: the schedule `<cloneId>.refresh`, made or changed. */
export interface ScheduleRefreshOutput {
  readonly status: 'CREATED' | 'UPDATED';
  readonly cloneId: string;
  readonly schedule: string;
  /** `cron(...)`. */
  readonly expression: string;
  readonly timezone: string;
  /** When it first runs: ISO 8601 UTC. */
  readonly next: string | null;
  /** False when the clone does not exist yet: the first refresh makes it. */
  readonly cloneExists: boolean;
}

/** `{"operation": "unschedule-refresh", "cloneId": "dbaf-mine"}`. */
export interface UnscheduleRefreshInput {
  /** The clone's name, with or without the deployment's prefix. */
  readonly cloneId: string;
}

/** What `unschedule-refresh` did. */
export interface UnscheduleRefreshOutput {
  /** `NONE`: the clone had no refresh schedule. */
  readonly status: 'DELETED' | 'NONE';
  readonly cloneId: string;
  readonly schedule: string;
  /** Whether the clone itself exists (it stays until its TTL either way). */
  readonly cloneExists: boolean;
}

/**
 * Makes (or changes) a clone's refresh schedule, `<cloneId>.refresh`, after the same checks the CDK
 * construct makes of its `refreshSchedules`: a valid artifact naming a clone of an allowed source,
 * a six-field cron and a time zone. The schedule starts the refresh state machine as the
 * deployment's own role; its first run makes the clone if it does not exist.
 *
 * @throws InvalidRequest naming every problem
 */
export async function scheduleRefresh(
  input: RefreshScheduleRequest,
  config: Config = loadConfig(),
): Promise<ScheduleRefreshOutput> {
  const result = resolveRefreshSchedule(input, {
    cloneNamePrefix: config.cloneNamePrefix,
    isAllowedSource: (source) => isAllowedSource(config, source),
  });
  if ('problems' in result) {
    throw new InvalidRequest(
      `The refresh schedule is invalid (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):\n- ${result.problems.join('\n- ')}`,
    );
  }
  const { schedule } = result;
  const made = refreshSchedule(schedule, {
    groupName: config.scheduleGroupName,
    refreshStateMachineArn: required(config.refreshStateMachineArn, 'REFRESH_STATE_MACHINE_ARN'),
    roleArn: required(config.schedulerRoleArn, 'SCHEDULER_ROLE_ARN'),
  });
  const status = (await putSchedule(scheduler, made)) === 'created' ? 'CREATED' : 'UPDATED';
  return {
    status,
    cloneId: schedule.cloneId,
    schedule: made.Name,
    expression: schedule.expression,
    timezone: schedule.timezone,
    next: nextCronRun(schedule.expression, schedule.timezone) ?? null,
    cloneExists: (await findCluster(schedule.cloneId)) !== undefined,
  };
}

/** Deletes a clone's refresh schedule; the clone itself stays until its TTL. */
export async function unscheduleRefresh(
  input: UnscheduleRefreshInput,
  config: Config = loadConfig(),
): Promise<UnscheduleRefreshOutput> {
  const cloneId = cloneIdForName(input.cloneId, config.cloneNamePrefix);
  const schedule = refreshScheduleName(cloneId);
  const deleted = await deleteSchedule(scheduler, config.scheduleGroupName, schedule);
  return {
    status: deleted ? 'DELETED' : 'NONE',
    cloneId,
    schedule,
    cloneExists: (await findCluster(cloneId)) !== undefined,
  };
}
