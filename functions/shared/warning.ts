import type { CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler';
import { EVENT_SOURCE } from './config.js';
import { warningScheduleName } from './names.js';
import { atExpression, deleteSchedule } from './schedule.js';

/** The `detail-type` of the event sent some time before a clone expires. */
export const CLONE_EXPIRING = 'Clone Expiring';

/**
 * The detail of the `Clone Expiring` event: who to tell, and how to keep the clone longer.
 * Names and times only: never a secret value.
 */
export interface CloneExpiring {
  readonly cloneId: string;
  /** ISO 8601 UTC: when the TTL schedule deletes the clone. */
  readonly expiresAt: string;
  /** Who the clone is for (the `dbaf:owner` tag). */
  readonly owner: string;
  /** The source cluster as the artifact named it. */
  readonly source: string;
  /** The Secrets Manager secret with the credentials, by name (`<SECRET_PREFIX><cloneId>`). */
  readonly secretName: string;
  /** Its ARN, when the secret existed as the warning was scheduled (not yet while the clone is being made). */
  readonly secretArn?: string;
  /** The command that keeps the clone 4 hours longer. */
  readonly extendCommand: string;
}

/** What a warning schedule needs besides the clone: where it lives and what it may do. */
export interface WarningTarget {
  /** The schedule group of the clone's TTL schedule. */
  readonly groupName: string;
  /** The role schedules run as; it may put events on the bus. */
  readonly roleArn: string;
  /** The bus the event goes to. */
  readonly eventBusArn: string;
  /** How long before the expiry the warning goes out; 0 for none. */
  readonly warningMs: number;
}

/** The clone a warning is about, as its event names it. */
export interface ExpiringClone {
  readonly cloneId: string;
  readonly expiresAt: string;
  readonly owner: string;
  readonly source: string;
  readonly secretName: string;
  readonly secretArn?: string | null | undefined;
}

/**
 * When the clone's warning goes out: `warningMs` before its expiry, in whole seconds as `at()`
 * takes them; `undefined` when warnings are off or that time is not after `nowMs` (a TTL shorter
 * than the warning gets none).
 */
export function warningTime(expiresAt: string, warningMs: number, nowMs: number): number | undefined {
  if (warningMs <= 0) return undefined;
  const at = Math.floor((Date.parse(expiresAt) - warningMs) / 1000) * 1000;
  return Number.isNaN(at) || at <= nowMs ? undefined : at;
}

/** The UTC time (`2026-11-21T13:00:00Z`) of a one-time schedule's `at()` expression. */
export function scheduledAt(schedule: { readonly ScheduleExpression?: string | undefined }): string {
  return (schedule.ScheduleExpression ?? '').replace(/^at\((.*)\)$/, '$1Z');
}

/** The event detail a warning schedule sends for `clone`. */
export function expiringDetail(clone: ExpiringClone): CloneExpiring {
  return {
    cloneId: clone.cloneId,
    expiresAt: clone.expiresAt,
    owner: clone.owner,
    source: clone.source,
    secretName: clone.secretName,
    ...(clone.secretArn ? { secretArn: clone.secretArn } : {}),
    extendCommand: `dbaf extend ${clone.cloneId} 4h`,
  };
}

/**
 * The one-time schedule `<cloneId>.warning` that puts a `Clone Expiring` event on the bus before
 * the clone expires (Scheduler's templated EventBridge PutEvents target), then deletes itself; or
 * `undefined` when there is to be none (see {@link warningTime}).
 *
 * A warning that cannot be delivered before the clone expires is useless, so Scheduler gives up on
 * it after the warning's own lead time.
 */
export function warningSchedule(
  clone: ExpiringClone,
  target: WarningTarget,
  nowMs: number,
): CreateScheduleCommandInput | undefined {
  const at = warningTime(clone.expiresAt, target.warningMs, nowMs);
  if (at === undefined) return undefined;
  const maxAgeSeconds = Math.min(Math.max(Math.floor(target.warningMs / 1000), 60), 86_400);
  return {
    Name: warningScheduleName(clone.cloneId),
    GroupName: target.groupName,
    ScheduleExpression: atExpression(new Date(at).toISOString()),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Description: `db-artifact-factory: warn that clone ${clone.cloneId} (owner ${clone.owner}) expires at ${clone.expiresAt}`,
    Target: {
      Arn: target.eventBusArn,
      RoleArn: target.roleArn,
      EventBridgeParameters: { Source: EVENT_SOURCE, DetailType: CLONE_EXPIRING },
      Input: JSON.stringify(expiringDetail(clone)),
      RetryPolicy: { MaximumEventAgeInSeconds: maxAgeSeconds, MaximumRetryAttempts: 10 },
    },
  };
}

/** Deletes the clone's warning schedule; false when there was none (it fired, or never existed). */
export async function deleteWarningSchedule(
  scheduler: SchedulerClient,
  groupName: string,
  cloneId: string,
): Promise<boolean> {
  return deleteSchedule(scheduler, groupName, warningScheduleName(cloneId));
}
