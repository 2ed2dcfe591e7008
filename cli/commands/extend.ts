import { cloneIdForName } from '../../functions/shared/artifact.js';
import { eventBusArnOf } from '../../functions/shared/config.js';
import { DURATION_FORM, formatDuration, parseDuration } from '../../functions/shared/duration.js';
import { CloneExpired, RefusedTarget } from '../../functions/shared/errors.js';
import {
  ExpiryLimit,
  type ExpirySettings,
  type LifetimeSettings,
  latestExpiry,
  moveExpiry,
} from '../../functions/shared/expiry.js';
import { TAG } from '../../functions/shared/tags.js';
import { isoSeconds } from '../../functions/shared/time.js';
import type { Aws } from '../aws.js';
import { type Clone, requireClone } from '../clones.js';
import { type Deployment, findDeployment } from '../deployment.js';
import { EXIT, UserError } from '../errors.js';
import { printJson, relativeTime, say } from '../output.js';

/** Options of `dbaf extend`. */
export interface ExtendOptions {
  readonly json?: boolean;
}

/** The deployment's limits on a clone's life, as the stack's outputs give them. */
export type Limits = Pick<Deployment, 'maxTtl' | 'maxLifetime' | 'protectedClones'>;

function lifetimeSettings(limits: Limits): LifetimeSettings {
  return {
    maxTtlMs: parseDuration(limits.maxTtl) ?? Number.POSITIVE_INFINITY,
    maxLifetimeMs: parseDuration(limits.maxLifetime) ?? Number.POSITIVE_INFINITY,
    protectedClones: limits.protectedClones.map((id) => id.toLowerCase()),
  };
}

/** Where the clone's schedules and secret are, and when its warning goes out. */
function expirySettings(deployment: Deployment): ExpirySettings {
  return {
    scheduleGroupName: deployment.scheduleGroupName,
    secretPrefix: deployment.secretPrefix,
    expiryWarningMs: deployment.expiryWarning === 'off' ? 0 : (parseDuration(deployment.expiryWarning) ?? 0),
    eventBusArn: eventBusArnOf('default', deployment.teardownStateMachineArn),
  };
}

/**
 * The new expiry: the current one pushed by `byMs`, at most now plus the maximum TTL and, unless
 * the deployment protects the clone, its creation plus the maximum lifetime. Beyond that it is
 * refused with a message naming the limit that bit and the most the clone can still be extended.
 */
export function extendedExpiry(clone: Clone, byMs: number, limits: Limits, nowMs = Date.now()): number {
  const current = new Date(clone.expiresAt ?? '').getTime();
  const created = new Date(clone.createdAt ?? '').getTime();
  if (Number.isNaN(current) || Number.isNaN(created)) {
    throw new UserError(
      `Clone ${clone.cloneId} has no readable ${TAG.expiresAt} tag or creation time, so it cannot be extended.`,
      EXIT.refused,
    );
  }
  const next = current + byMs;
  const { latestMs, limit } = latestExpiry(lifetimeSettings(limits), clone.cloneId, created, nowMs);
  if (next <= latestMs) return next;
  const room = latestMs - current;
  const lifetime = limit === ExpiryLimit.maxLifetime;
  const rule = lifetime
    ? `it may live at most this deployment's maximum lifetime, ${limits.maxLifetime}, from its creation at ${isoSeconds(created)}`
    : `it may expire at most this deployment's maximum TTL, ${limits.maxTtl}, from now`;
  const protect = lifetime ? ' or ask the operators to list it in protectedClones' : '';
  const advice =
    room >= 60_000
      ? `It can be extended by ${formatDuration(room)} at most (to ${isoSeconds(latestMs)})${lifetime ? `; to keep it longer, ask the operators to list it in protectedClones` : ''}.`
      : `It is already at that limit (${isoSeconds(latestMs)}); make a new clone instead${protect}.`;
  throw new UserError(
    `Clone ${clone.cloneId} cannot be extended by ${formatDuration(byMs)}: ${rule}. ${advice}`,
    EXIT.refused,
  );
}

/**
 * `dbaf extend <clone> <duration>`: pushes the clone's expiry by the duration, within the
 * deployment's limits, with {@link moveExpiry}: the TTL schedule (what deletes the clone), the
 * warning schedule, then the `dbaf:expires-at` tags (what `dbaf list` shows), the cluster's last.
 * The new expiry counts from the cluster's tag, so a run that failed half way can simply be repeated.
 */
export async function extend(
  name: string,
  duration: string,
  options: ExtendOptions,
  aws: Aws,
): Promise<void> {
  const byMs = parseDuration(duration);
  if (byMs === undefined) throw new UserError(`"${duration}" is not ${DURATION_FORM}.`, EXIT.usage);
  const deployment = await findDeployment(aws);
  const cloneId = cloneIdForName(name, deployment.cloneNamePrefix);
  const clone = await requireClone(aws.rds, cloneId);
  const gone = `Clone ${cloneId} has no TTL schedule left (status ${clone.status}): it expired or is being deleted, and cannot be extended.`;
  if (clone.clusterStatus === 'deleting') throw new UserError(gone, EXIT.refused);
  const expiresAt = isoSeconds(extendedExpiry(clone, byMs, deployment));
  const moved = await moveExpiry(aws, expirySettings(deployment), {
    cloneId,
    expiresAt,
    owner: clone.owner,
    source: clone.source,
  }).catch((error: unknown) => {
    if (error instanceof CloneExpired) throw new UserError(gone, EXIT.refused, { cause: error });
    if (error instanceof RefusedTarget) throw new UserError(error.message, EXIT.refused, { cause: error });
    throw error;
  });
  if (options.json) {
    printJson({ cloneId, expiresAt, previousExpiresAt: clone.expiresAt, warningAt: moved.warning.at });
    return;
  }
  say(
    `Clone ${cloneId} now expires at ${expiresAt} (${relativeTime(expiresAt)}); it was ${clone.expiresAt}.`,
  );
  if (moved.warning.at !== null) {
    say(`Its Clone Expiring event goes out at ${moved.warning.at} (${relativeTime(moved.warning.at)}).`);
  }
}
