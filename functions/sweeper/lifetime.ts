import type { Config } from '../shared/config.js';
import { createdAtOf, isProtected } from '../shared/expiry.js';
import type { TeardownRequest } from '../shared/plan.js';
import { TAG } from '../shared/tags.js';
import { isoSeconds } from '../shared/time.js';
import type { SweepableClone } from './expired.js';
import { type Inventory, readTtlSchedule } from './inventory.js';
import type { OverLifetimeClone, Skipped } from './types.js';

/** Clones past their maximum lifetime, and the teardown each needs. */
export interface LifetimeFindings {
  readonly overLifetime: OverLifetimeClone[];
  readonly requests: TeardownRequest[];
}

/**
 * The clones that have lived longer than the deployment's maximum lifetime (`MAX_LIFETIME`, from
 * their `dbaf:created-at` tag, or their cluster's creation for a clone made before that tag), unless
 * the deployment protects them (`PROTECTED_CLONES`).
 *
 * Only clones whose expiry is still ahead: `dbaf extend` never goes past the lifetime, so such a
 * clone's TTL schedule was pushed by hand. An expired clone is {@link findExpired}'s, whose grace
 * leaves it to its schedule first.
 */
export async function findOverLifetime(
  clones: readonly SweepableClone[],
  inventory: Inventory,
  config: Config,
  now: number,
  skipped: Skipped[],
): Promise<LifetimeFindings> {
  const overLifetime: OverLifetimeClone[] = [];
  const requests: TeardownRequest[] = [];
  for (const { cloneId, cluster, expiresAt, expiry } of clones) {
    if (now >= expiry || isProtected(config, cloneId)) continue;
    const createdAt = createdAtOf(cluster.TagList, cluster.ClusterCreateTime);
    if (Number.isNaN(createdAt)) {
      skipped.push({
        cloneId,
        reason: `DB cluster "${cloneId}" has no readable "${TAG.createdAt}" tag nor creation time, so the sweeper cannot tell how long it has lived; set the tag, or delete the clone.`,
      });
      continue;
    }
    const endedAt = createdAt + config.maxLifetimeMs;
    if (now < endedAt) continue;
    overLifetime.push({
      cloneId,
      createdAt: isoSeconds(createdAt),
      lifetimeEndedAt: isoSeconds(endedAt),
      expiresAt,
    });
    // Its TTL schedule still says whether the owner wanted a final snapshot.
    const schedule = inventory.schedules.has(cloneId) ? await readTtlSchedule(config, cloneId) : undefined;
    requests.push({ cloneId, reason: 'max-lifetime', finalSnapshot: schedule?.finalSnapshot ?? false });
  }
  return { overLifetime, requests };
}
