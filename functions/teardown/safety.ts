import type { Config } from '../shared/config.js';
import { clusterIdOf } from '../shared/config.js';
import { RefusedTarget } from '../shared/errors.js';
import { isGenerationCluster, refreshClusterIds } from '../shared/names.js';
import type { TeardownRequest } from '../shared/plan.js';
import { findCluster } from '../shared/rds.js';
import { isManaged, TAG, tagValue } from '../shared/tags.js';

type Tags = readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined;

/** What the teardown may do with one resource it found. */
export const Verdict = {
  /** Ours, for this clone (and this execution, in a rollback): delete it. */
  delete: 'delete',
  /** Ours, but made by another execution of the same clone name: a rollback leaves it alone. */
  skip: 'skip',
} as const;

/** See {@link Verdict}. */
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/**
 * Refuses a clone id that is not a clone name, or that names a source cluster.
 *
 * Checked before any AWS call: the IAM policy is scoped to the prefix too, but a
 * teardown pointed at production must stop here, with a message a person understands.
 */
export function assertCloneId(config: Config, cloneId: unknown): asserts cloneId is string {
  if (typeof cloneId !== 'string' || cloneId.trim() === '') {
    throw new RefusedTarget(
      'The teardown request has no cloneId: teardown never deletes anything it was not named. Pass the clone\'s cluster identifier as "cloneId".',
    );
  }
  const id = cloneId.toLowerCase();
  const source = config.allowedSources.find(
    (allowed) => allowed === cloneId || clusterIdOf(allowed).toLowerCase() === id,
  );
  if (source !== undefined) {
    throw new RefusedTarget(
      `"${cloneId}" is a source cluster (ALLOWED_SOURCES lists "${source}"): teardown never deletes it.`,
    );
  }
  const prefix = config.cloneNamePrefix.toLowerCase();
  if (!id.startsWith(prefix) || id.length <= prefix.length) {
    throw new RefusedTarget(
      `"${cloneId}" is not a clone name (clone names start with "${config.cloneNamePrefix}"): teardown never deletes it.`,
    );
  }
}

/**
 * The cluster a teardown deletes: the clone's own, or one of the clusters a refresh of the clone
 * names (`<cloneId>-next`, `<cloneId>-old`), never any other.
 *
 * @throws RefusedTarget for any other cluster, or a cluster-only teardown that names none.
 */
export function clusterOf(request: TeardownRequest): string {
  const { cloneId, clusterIdentifier } = request;
  if (clusterIdentifier === undefined || clusterIdentifier === null || clusterIdentifier === '') {
    if (request.scope === 'cluster') {
      throw new RefusedTarget(
        `A teardown with scope "cluster" needs "clusterIdentifier": the refresh cluster of clone "${cloneId}" to delete.`,
      );
    }
    return cloneId;
  }
  if (clusterIdentifier.toLowerCase() === cloneId.toLowerCase()) return cloneId;
  if (!isGenerationCluster(cloneId, clusterIdentifier)) {
    throw new RefusedTarget(
      `"${clusterIdentifier}" is not a cluster of clone "${cloneId}" (those are "${cloneId}", "${cloneId}-next" and "${cloneId}-old"): teardown never deletes it.`,
    );
  }
  return clusterIdentifier;
}

/**
 * The clusters a refresh of the clone made or moved aside and left behind (`<cloneId>-next`,
 * `<cloneId>-old`, tagged for the clone): a whole-clone teardown deletes them too.
 */
export async function refreshClusters(cloneId: string): Promise<string[]> {
  const ids = refreshClusterIds(cloneId);
  const found = await Promise.all(ids.map((id) => findCluster(id)));
  return ids.filter(
    (id, index) => found[index]?.DBClusterIdentifier === id && isManaged(found[index]?.TagList, cloneId),
  );
}

/** True when the teardown deletes one cluster only, leaving the clone's schedule, network and secret. */
export function isClusterOnly(request: TeardownRequest): boolean {
  return request.scope === 'cluster';
}

/**
 * Decides whether a resource found under the clone's name may be deleted.
 *
 * A resource without the managed-by tag, or tagged for another clone, was not made by
 * this project for this clone: deleting it could destroy someone's data, so the whole
 * teardown stops. In a rollback, a resource of another execution is skipped, not refused:
 * a failed clone must never remove an older clone of the same name.
 *
 * @throws RefusedTarget when the resource is not this clone's.
 */
export function verdictFor(what: string, tags: Tags, request: TeardownRequest): Verdict {
  if (!isManaged(tags, request.cloneId)) {
    const owner = tagValue(tags, TAG.cloneId);
    const reason =
      tagValue(tags, TAG.managedBy) === undefined
        ? `has no "${TAG.managedBy}" tag`
        : `is tagged for clone "${owner ?? '(none)'}", not "${request.cloneId}"`;
    throw new RefusedTarget(
      `${what} ${reason}: it was not created for this clone, so teardown never deletes it. Delete it yourself if it is no longer needed.`,
    );
  }
  const only = request.onlyExecutionArn;
  if (only !== undefined && only !== null && only !== '' && tagValue(tags, TAG.executionArn) !== only) {
    return Verdict.skip;
  }
  return Verdict.delete;
}
