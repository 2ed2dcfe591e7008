import {
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { eventBusArnOf } from './config.js';
import { CloneExpired, ConfigurationError } from './errors.js';
import { type ExpiryClients, findTaggedResources, writeExpiryTags } from './expiry-tags.js';
import { ttlScheduleName, warningScheduleName } from './names.js';
import { atExpression, putSchedule } from './schedule.js';
import { TAG, tagValue } from './tags.js';
import { deleteWarningSchedule, scheduledAt, warningSchedule } from './warning.js';

export type { ExpiryClients } from './expiry-tags.js';

/** The deployment's limits on how long a clone lives (a subset of `Config`). */
export interface LifetimeSettings {
  /** The longest TTL, counted from now. */
  readonly maxTtlMs: number;
  /** The longest a clone lives from its creation, however often it is extended. */
  readonly maxLifetimeMs: number;
  /** Clone ids the maximum lifetime does not apply to, lower case. */
  readonly protectedClones: readonly string[];
}

/** The limit that caps a clone's expiry. */
export const ExpiryLimit = {
  /** Now plus the deployment's maximum TTL. */
  maxTtl: 'max-ttl',
  /** The clone's creation plus the deployment's maximum lifetime. */
  maxLifetime: 'max-lifetime',
} as const;

/** See {@link ExpiryLimit}. */
export type ExpiryLimit = (typeof ExpiryLimit)[keyof typeof ExpiryLimit];

/** The latest a clone may expire, and which limit sets it. */
export interface LatestExpiry {
  /** Epoch milliseconds. */
  readonly latestMs: number;
  readonly limit: ExpiryLimit;
}

/** True when the deployment lists the clone in `protectedClones` (`PROTECTED_CLONES`). */
export function isProtected(settings: LifetimeSettings, cloneId: string): boolean {
  return settings.protectedClones.includes(cloneId.toLowerCase());
}

/** When the clone's maximum lifetime is over; `+Infinity` for a protected clone. */
export function lifetimeEnd(settings: LifetimeSettings, cloneId: string, createdAtMs: number): number {
  return isProtected(settings, cloneId) ? Number.POSITIVE_INFINITY : createdAtMs + settings.maxLifetimeMs;
}

/**
 * The latest expiry a clone may be given now: now plus the maximum TTL, capped at its creation plus
 * the maximum lifetime unless the clone is protected. Pure: `dbaf extend` and the refresh apply it.
 *
 * @param createdAtMs when the clone was first made: its `dbaf:created-at` tag (see {@link createdAtOf}).
 */
export function latestExpiry(
  settings: LifetimeSettings,
  cloneId: string,
  createdAtMs: number,
  nowMs: number,
): LatestExpiry {
  const byTtl = nowMs + settings.maxTtlMs;
  const byLifetime = lifetimeEnd(settings, cloneId, createdAtMs);
  return byLifetime < byTtl
    ? { latestMs: byLifetime, limit: ExpiryLimit.maxLifetime }
    : { latestMs: byTtl, limit: ExpiryLimit.maxTtl };
}

/**
 * When a clone was first made: its `dbaf:created-at` tag (kept by a refresh), or for a clone made
 * before that tag existed its cluster's creation time; `NaN` when neither can be read.
 */
export function createdAtOf(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
  clusterCreateTime: Date | undefined,
): number {
  const tagged = Date.parse(tagValue(tags, TAG.createdAt) ?? '');
  return Number.isNaN(tagged) ? (clusterCreateTime?.getTime() ?? Number.NaN) : tagged;
}

/** Where a clone's schedules and secret are (a subset of `Config`). */
export interface ExpirySettings {
  /** The group of the TTL and warning schedules. */
  readonly scheduleGroupName: string;
  /** The secret is `<secretPrefix><cloneId>`. */
  readonly secretPrefix: string;
  /** How long before the expiry the `Clone Expiring` event goes out; 0 for none. */
  readonly expiryWarningMs: number;
  /**
   * The bus that event goes to.
   * @default - when '': the `default` bus of the TTL schedule's target (the teardown state machine's region and account)
   */
  readonly eventBusArn: string;
}

/** The clone whose expiry moves, and where to. */
export interface MoveExpiryRequest {
  readonly cloneId: string;
  /** The new expiry: ISO 8601 UTC in whole seconds (`2026-11-21T18:00:00Z`). */
  readonly expiresAt: string;
  /** For the warning's event: the `dbaf:owner` tag. */
  readonly owner: string;
  /** For the warning's event: the `dbaf:source` tag. */
  readonly source: string;
  /** The time to judge the warning by. @default Date.now() */
  readonly nowMs?: number;
}

/** What {@link moveExpiry} did. */
export interface MovedExpiry {
  readonly cloneId: string;
  readonly expiresAt: string;
  /** The TTL schedule's expression before the move. */
  readonly previousExpression: string;
  /** The warning schedule: its time, or null when the clone now has none. */
  readonly warning: {
    readonly name: string;
    readonly at: string | null;
    readonly action: 'created' | 'updated' | 'deleted' | 'none';
  };
  /** ARNs (and security group ids) that now carry the new `dbaf:expires-at`. */
  readonly tagged: readonly string[];
}

async function readTtlSchedule(
  clients: ExpiryClients,
  settings: ExpirySettings,
  cloneId: string,
): Promise<GetScheduleCommandOutput> {
  try {
    return await clients.scheduler.send(
      new GetScheduleCommand({ GroupName: settings.scheduleGroupName, Name: ttlScheduleName(cloneId) }),
    );
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    throw new CloneExpired(
      `Clone ${cloneId} has no TTL schedule left in group ${settings.scheduleGroupName}: it expired or is being deleted, so its expiry cannot be moved.`,
      { cause: error },
    );
  }
}

/**
 * Moves a clone's expiry to `request.expiresAt`: the TTL schedule's time (what deletes the clone),
 * the warning schedule (what announces it), then the `dbaf:expires-at` tags (what people see).
 *
 * - **TTL schedule** `<cloneId>`: read with GetSchedule and written back whole with the new `at()`
 *   (UpdateSchedule replaces every field). Its role also runs the warning.
 * - **Warning schedule** `<cloneId>.warning`: created or updated when the new warning time
 *   (`expiryWarningMs` before the expiry) is still ahead of now; deleted when it is not, or when
 *   warnings are off. "Already gone" is fine.
 * - **Tags**: on the cluster, its instances, its secret, its security groups and its own subnet
 *   group, each only when tagged for this clone; the cluster last.
 *
 * It checks no limit: callers apply {@link latestExpiry} first. Idempotent: a repeated call with the
 * same request changes nothing more, and since the cluster's tag is written last, a caller that
 * computes the new expiry from it can repeat a call that failed half way.
 *
 * From a Lambda, with the functions' clients and configuration (which satisfies `ExpirySettings`):
 *
 * ```ts
 * const config = loadConfig();
 * const { latestMs } = latestExpiry(config, cloneId, createdAtMs, Date.now());
 * const expiresAt = `${new Date(Math.min(wantedMs, latestMs)).toISOString().slice(0, 19)}Z`;
 * await moveExpiry({ scheduler, rds, ec2, secrets: secretsManager }, config, { cloneId, expiresAt, owner, source });
 * ```
 *
 * @throws CloneExpired when the TTL schedule is gone (the clone expired or is being deleted).
 * @throws RefusedTarget when a cluster of that name was not made for this clone.
 * @throws ConfigurationError when a warning is due but neither `eventBusArn` nor the TTL schedule's target names the bus.
 */
export async function moveExpiry(
  clients: ExpiryClients,
  settings: ExpirySettings,
  request: MoveExpiryRequest,
): Promise<MovedExpiry> {
  const { cloneId, expiresAt } = request;
  const ttl = await readTtlSchedule(clients, settings, cloneId);
  const resources = await findTaggedResources(clients, cloneId, `${settings.secretPrefix}${cloneId}`);
  const eventBusArn = settings.eventBusArn || eventBusArnOf('default', ttl.Target?.Arn ?? '');
  const warning = warningSchedule(
    {
      cloneId,
      expiresAt,
      owner: request.owner,
      source: request.source,
      secretName: `${settings.secretPrefix}${cloneId}`,
      secretArn: resources.secret?.arn,
    },
    {
      groupName: settings.scheduleGroupName,
      roleArn: ttl.Target?.RoleArn ?? '',
      eventBusArn,
      warningMs: settings.expiryWarningMs,
    },
    request.nowMs ?? Date.now(),
  );
  if (warning !== undefined && (eventBusArn === '' || !warning.Target?.RoleArn)) {
    throw new ConfigurationError(
      `The warning schedule of ${cloneId} needs the event bus ARN and the TTL schedule's role, and one is missing; set EVENT_BUS_ARN.`,
    );
  }
  await clients.scheduler.send(
    new UpdateScheduleCommand({
      Name: ttl.Name,
      GroupName: ttl.GroupName,
      Description: ttl.Description,
      ScheduleExpression: atExpression(expiresAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: ttl.FlexibleTimeWindow,
      Target: ttl.Target,
      State: ttl.State,
      ActionAfterCompletion: ttl.ActionAfterCompletion,
      StartDate: ttl.StartDate,
      EndDate: ttl.EndDate,
      KmsKeyArn: ttl.KmsKeyArn,
    }),
  );
  const action =
    warning === undefined
      ? (await deleteWarningSchedule(clients.scheduler, settings.scheduleGroupName, cloneId))
        ? 'deleted'
        : 'none'
      : await putSchedule(clients.scheduler, warning);
  const tagged = await writeExpiryTags(clients, resources, expiresAt);
  return {
    cloneId,
    expiresAt,
    previousExpression: ttl.ScheduleExpression ?? '',
    warning: {
      name: warningScheduleName(cloneId),
      at: warning === undefined ? null : scheduledAt(warning),
      action,
    },
    tagged,
  };
}
