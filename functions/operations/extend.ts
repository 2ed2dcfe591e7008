import { cloneIdForName } from '../shared/artifact.js';
import { ec2 } from '../shared/clients/ec2.js';
import { rds } from '../shared/clients/rds.js';
import { scheduler } from '../shared/clients/scheduler.js';
import { secretsManager } from '../shared/clients/secrets-manager.js';
import { type Config, loadConfig } from '../shared/config.js';
import { DURATION_FORM, formatDuration, parseDuration } from '../shared/duration.js';
import {
  CloneExpired,
  CloneNotFound,
  ExpiryLimitExceeded,
  InvalidRequest,
  RefusedTarget,
} from '../shared/errors.js';
import { createdAtOf, ExpiryLimit, latestExpiry, moveExpiry } from '../shared/expiry.js';
import { findCluster } from '../shared/rds.js';
import { isManaged, TAG, tagValue } from '../shared/tags.js';
import { isoSeconds } from '../shared/time.js';
import { quoted } from './request.js';

/** `{"operation": "extend", "cloneId": "dbaf-mine", "by": "4h"}`: push a clone's expiry. */
export interface ExtendInput {
  /** The clone's name, with or without the deployment's prefix. */
  readonly cloneId: string;
  /** How much later it expires: a duration such as `4h` or `1d12h`. */
  readonly by: string;
}

/** The clone's new expiry. */
export interface ExtendOutput {
  readonly cloneId: string;
  /** ISO 8601 UTC, whole seconds. */
  readonly expiresAt: string;
  readonly previousExpiresAt: string;
  /** When its `Clone Expiring` event now goes out, or null when it gets none. */
  readonly warningAt: string | null;
}

/** A clone's expiry and creation, as its tags say. */
export interface CloneLife {
  readonly cloneId: string;
  readonly expiresAtMs: number;
  readonly createdAtMs: number;
}

/**
 * The new expiry: the current one pushed by `byMs`, at most now plus the maximum TTL and, unless
 * the deployment protects the clone, its creation plus the maximum lifetime. Beyond that it is
 * refused with a message naming the limit that bit and the most the clone can still be extended.
 *
 * @throws ExpiryLimitExceeded beyond a limit
 */
export function extendedExpiry(clone: CloneLife, byMs: number, config: Config, nowMs = Date.now()): number {
  const next = clone.expiresAtMs + byMs;
  const { latestMs, limit } = latestExpiry(config, clone.cloneId, clone.createdAtMs, nowMs);
  if (next <= latestMs) return next;
  const room = latestMs - clone.expiresAtMs;
  const lifetime = limit === ExpiryLimit.maxLifetime;
  const rule = lifetime
    ? `it may live at most this deployment's maximum lifetime, ${formatDuration(config.maxLifetimeMs)}, from its creation at ${isoSeconds(clone.createdAtMs)}`
    : `it may expire at most this deployment's maximum TTL, ${formatDuration(config.maxTtlMs)}, from now`;
  const protect = lifetime ? ' or ask the operators to list it in protectedClones' : '';
  const advice =
    room >= 60_000
      ? `It can be extended by ${formatDuration(room)} at most (to ${isoSeconds(latestMs)})${lifetime ? '; to keep it longer, ask the operators to list it in protectedClones' : ''}.`
      : `It is already at that limit (${isoSeconds(latestMs)}); make a new clone instead${protect}.`;
  throw new ExpiryLimitExceeded(
    `Clone ${clone.cloneId} cannot be extended by ${formatDuration(byMs)}: ${rule}. ${advice}`,
  );
}

/** The managed clone named `cloneId`, with its expiry and creation, or why it cannot be extended. */
async function cloneLife(cloneId: string): Promise<CloneLife & { owner: string; source: string }> {
  const cluster = await findCluster(cloneId);
  if (cluster === undefined) {
    throw new CloneNotFound(`No clone named "${cloneId}" here. "dbaf list" shows the clones there are.`);
  }
  const tags = cluster.TagList;
  if (!isManaged(tags, cloneId)) {
    throw new RefusedTarget(
      `${cloneId} is a DB cluster that db-artifact-factory did not make for this clone (it lacks the ${TAG.managedBy} and ${TAG.cloneId} tags); it is left alone.`,
    );
  }
  if (cluster.Status === 'deleting') {
    throw new CloneExpired(
      `Clone ${cloneId} is being deleted (it expired or someone deleted it), so it cannot be extended.`,
    );
  }
  const expiresAtMs = Date.parse(tagValue(tags, TAG.expiresAt) ?? '');
  const createdAtMs = createdAtOf(tags, cluster.ClusterCreateTime);
  if (Number.isNaN(expiresAtMs) || Number.isNaN(createdAtMs)) {
    throw new RefusedTarget(
      `Clone ${cloneId} has no readable ${TAG.expiresAt} tag or creation time, so it cannot be extended.`,
    );
  }
  return {
    cloneId,
    expiresAtMs,
    createdAtMs,
    owner: tagValue(tags, TAG.owner) ?? '',
    source: tagValue(tags, TAG.source) ?? '',
  };
}

/**
 * Pushes a clone's expiry by `by`, within the deployment's limits (which only the deployment knows
 * and enforces): the TTL schedule, the warning schedule, then the `dbaf:expires-at` tags, the
 * cluster's last ({@link moveExpiry}). The new expiry counts from the cluster's tag, so a run that
 * failed half way can be repeated.
 */
export async function extend(
  input: ExtendInput,
  config = loadConfig(),
  nowMs = Date.now(),
): Promise<ExtendOutput> {
  const byMs = parseDuration(input.by);
  if (byMs === undefined || byMs <= 0) {
    throw new InvalidRequest(`by: ${quoted(input.by)} is not ${DURATION_FORM}.`);
  }
  const cloneId = cloneIdForName(input.cloneId, config.cloneNamePrefix);
  const clone = await cloneLife(cloneId);
  const expiresAt = isoSeconds(extendedExpiry(clone, byMs, config, nowMs));
  const moved = await moveExpiry({ scheduler, rds, ec2, secrets: secretsManager }, config, {
    cloneId,
    expiresAt,
    owner: clone.owner,
    source: clone.source,
    nowMs,
  });
  return {
    cloneId,
    expiresAt,
    previousExpiresAt: isoSeconds(clone.expiresAtMs),
    warningAt: moved.warning.at,
  };
}
