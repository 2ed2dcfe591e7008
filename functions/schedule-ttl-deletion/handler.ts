import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { scheduler } from '../shared/clients/scheduler.js';
import { loadConfig, required } from '../shared/config.js';
import { createHandler, logger } from '../shared/handler.js';
import type { ClonePlan, TeardownRequest } from '../shared/plan.js';
import { atExpression, putSchedule } from '../shared/schedule.js';
import { scheduledAt, warningSchedule } from '../shared/warning.js';

export { atExpression } from '../shared/schedule.js';

/** The plan: it names the schedule and holds the expiry time. */
export interface Input {
  readonly plan: ClonePlan;
}

/** The one-time schedule that deletes the clone. */
export interface Output {
  readonly scheduleName: string;
  readonly groupName: string;
  /** ISO 8601 UTC, as in the plan. */
  readonly expiresAt: string;
  /**
   * The one-time schedule that sends `Clone Expiring` before the expiry, or null when there is none
   * (`EXPIRY_WARNING` off, or a TTL shorter than the warning).
   */
  readonly warning: { readonly scheduleName: string; readonly at: string } | null;
}

/**
 * Schedules the clone's deletion at its TTL: a one-time EventBridge Scheduler schedule that starts
 * the teardown state machine, then deletes itself.
 *
 * A schedule, not a long Wait in the clone execution, so the TTL survives a redeploy and a failed
 * or cancelled execution. Schedules cannot carry tags: the project's group and the clone-derived
 * name identify them, so a retry that finds the schedule simply updates it to the same fields.
 *
 * Beside it, unless `EXPIRY_WARNING` is off or its time is already past, a second one-time schedule
 * `<cloneId>.warning` puts a `Clone Expiring` event on the bus that long before the expiry, so the
 * owner can extend the clone.
 */
export async function scheduleTtlDeletion(input: Input): Promise<Output> {
  const { plan } = input;
  const config = loadConfig();
  const teardown: TeardownRequest & { createdBy: string } = {
    cloneId: plan.cloneId,
    reason: 'ttl-expired',
    finalSnapshot: plan.finalSnapshot,
    createdBy: plan.executionArn,
  };
  const schedule = {
    Name: plan.schedule.name,
    GroupName: plan.schedule.groupName,
    ScheduleExpression: atExpression(plan.expiresAt),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Description: `db-artifact-factory: delete clone ${plan.cloneId} (owner ${plan.owner}) at its TTL`,
    Target: {
      Arn: required(config.teardownStateMachineArn, 'TEARDOWN_STATE_MACHINE_ARN'),
      RoleArn: required(config.schedulerRoleArn, 'SCHEDULER_ROLE_ARN'),
      Input: JSON.stringify(teardown),
    },
  } satisfies CreateScheduleCommandInput;
  // Checked before anything is created, like the ARNs above.
  const eventBusArn = config.expiryWarningMs > 0 ? required(config.eventBusArn, 'EVENT_BUS_ARN') : '';

  // Only a retry of this step finds this clone's schedule: it is brought back to the same fields.
  const action = await putSchedule(scheduler, schedule);
  logger.info(`TTL schedule ${action}`, { scheduleName: schedule.Name, expiresAt: plan.expiresAt });
  const warning = warningSchedule(
    {
      cloneId: plan.cloneId,
      expiresAt: plan.expiresAt,
      owner: plan.owner,
      source: plan.source.clusterIdentifier,
      secretName: plan.secretName,
    },
    {
      groupName: plan.schedule.groupName,
      roleArn: schedule.Target.RoleArn,
      eventBusArn,
      warningMs: config.expiryWarningMs,
    },
    Date.now(),
  );
  if (warning !== undefined) {
    const action = await putSchedule(scheduler, warning);
    logger.info(`warning schedule ${action}`, {
      scheduleName: warning.Name,
      expression: warning.ScheduleExpression,
    });
  }
  return {
    scheduleName: plan.schedule.name,
    groupName: plan.schedule.groupName,
    expiresAt: plan.expiresAt,
    warning: warning === undefined ? null : { scheduleName: warning.Name ?? '', at: scheduledAt(warning) },
  };
}

/** Lambda entry point of the schedule-ttl-deletion step. */
export const handler = createHandler('schedule-ttl-deletion', scheduleTtlDeletion);
