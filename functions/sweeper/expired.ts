import type { DBCluster } from '@aws-sdk/client-rds';
import type { Config } from '../shared/config.js';
import { isGenerationCluster } from '../shared/names.js';
import type { TeardownRequest } from '../shared/plan.js';
import { isManaged, TAG, tagValue } from '../shared/tags.js';
import { type Inventory, readTtlSchedule } from './inventory.js';
import { refusal } from './safety.js';
import type { ExpiredClone, Skipped } from './types.js';

/** A managed clone the sweeper may act on: tagged for itself, no source, with a readable expiry. */
export interface SweepableClone {
  readonly cloneId: string;
  readonly cluster: DBCluster;
  /** Its `dbaf:expires-at` tag, as written. */
  readonly expiresAt: string;
  /** The same, in epoch milliseconds. */
  readonly expiry: number;
}

/**
 * The managed clusters the sweeper may act on. A cluster without the managed-by tag is never
 * looked at; one tagged for another clone, one it must refuse, or one whose expiry it cannot read
 * is reported in `skipped`, for a person.
 */
export function sweepableClones(inventory: Inventory, config: Config, skipped: Skipped[]): SweepableClone[] {
  const clones: SweepableClone[] = [];
  for (const cluster of inventory.clusters) {
    const cloneId = cluster.DBClusterIdentifier ?? '';
    const tags = cluster.TagList;
    if (!isManaged(tags)) continue;
    if (!isManaged(tags, cloneId)) {
      const owner = tagValue(tags, TAG.cloneId) ?? '(none)';
      // A refresh's new or old cluster: it lives and dies with its clone's refresh.
      if (isGenerationCluster(owner, cloneId)) continue;
      skipped.push({
        cloneId,
        reason: `DB cluster "${cloneId}" is tagged for clone "${owner}", not for itself: its teardown would refuse it.`,
      });
      continue;
    }
    const refused = refusal(config, cloneId, cluster.DBClusterArn);
    if (refused !== undefined) {
      skipped.push({ cloneId, reason: refused });
      continue;
    }
    const expiresAt = tagValue(tags, TAG.expiresAt) ?? '';
    const expiry = Date.parse(expiresAt);
    if (Number.isNaN(expiry)) {
      skipped.push({
        cloneId,
        reason: `DB cluster "${cloneId}" has no readable "${TAG.expiresAt}" tag ("${expiresAt}"), so the sweeper cannot tell when it expires; set the tag, or delete the clone.`,
      });
      continue;
    }
    clones.push({ cloneId, cluster, expiresAt, expiry });
  }
  return clones;
}

/** Expired clones, and the teardown each needs. */
export interface ExpiredFindings {
  readonly expired: ExpiredClone[];
  readonly requests: TeardownRequest[];
}

/**
 * The managed clones past their expiry that nothing else will delete.
 *
 * A clone whose schedule is gone is due as soon as it expires: nothing else would ever delete it.
 * One whose schedule still exists is left to that schedule for the grace period, then is due too
 * (the schedule failed to fire).
 */
export async function findExpired(
  clones: readonly SweepableClone[],
  inventory: Inventory,
  config: Config,
  now: number,
): Promise<ExpiredFindings> {
  const expired: ExpiredClone[] = [];
  const requests: TeardownRequest[] = [];
  for (const { cloneId, expiresAt, expiry } of clones) {
    const scheduleMissing = !inventory.schedules.has(cloneId);
    if (now < expiry || (!scheduleMissing && now - expiry <= config.sweeperGraceMs)) continue;
    expired.push({ cloneId, expiresAt, scheduleMissing });
    // A schedule that failed to fire still says whether the owner wanted a final snapshot.
    const schedule = scheduleMissing ? undefined : await readTtlSchedule(config, cloneId);
    requests.push({ cloneId, reason: 'sweeper-expired', finalSnapshot: schedule?.finalSnapshot ?? false });
  }
  return { expired, requests };
}
