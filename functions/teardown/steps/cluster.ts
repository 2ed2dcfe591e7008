import {
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DeleteDBClusterCommand,
  InvalidDBClusterStateFault,
} from '@aws-sdk/client-rds';
import { rds } from '../../shared/clients/rds.js';
import { type Config, isAllowedSource } from '../../shared/config.js';
import { CloneConflict, NotReady, RefusedTarget } from '../../shared/errors.js';
import type { TeardownRequest } from '../../shared/plan.js';
import { findCluster } from '../../shared/rds.js';
import { clusterOf, isClusterOnly, refreshClusters, Verdict, verdictFor } from '../safety.js';
import type { StepResult } from '../types.js';

/**
 * Deletes the clone's DB cluster, with a final snapshot when the request asks for one.
 *
 * The cluster's ARN is checked against the allowed sources as well as its name: a
 * source shared under another account's ARN must never be deleted by a same-named request.
 */
export async function deleteCluster(request: TeardownRequest, config: Config): Promise<StepResult> {
  const main = await deleteOneCluster(request, config, clusterOf(request));
  if (isClusterOnly(request)) return main;
  // A refresh that failed to finish may have left the clone's new or old cluster beside it.
  const others = await refreshClusters(request.cloneId);
  const results = [main];
  for (const id of others)
    results.push(await deleteOneCluster({ ...request, finalSnapshot: false }, config, id));
  return {
    step: 'cluster',
    deleted: results.flatMap((result) => result.deleted),
    alreadyGone: results.every((result) => result.alreadyGone),
    skipped: results.flatMap((result) => result.skipped),
  };
}

async function deleteOneCluster(
  request: TeardownRequest,
  config: Config,
  cloneId: string,
): Promise<StepResult> {
  const gone: StepResult = { step: 'cluster', deleted: [], alreadyGone: true, skipped: [] };
  const cluster = await findCluster(cloneId);
  if (cluster === undefined) return gone;
  if (isAllowedSource(config, cloneId, cluster.DBClusterArn)) {
    throw new RefusedTarget(
      `DB cluster "${cloneId}" (${cluster.DBClusterArn}) is a source cluster: teardown never deletes it.`,
    );
  }
  if (verdictFor(`DB cluster "${cloneId}"`, cluster.TagList, request) === Verdict.skip) {
    return { step: 'cluster', deleted: [], alreadyGone: false, skipped: [cloneId] };
  }
  if (cluster.Status === 'deleting') return gone;
  const snapshot = request.finalSnapshot === true ? `${cloneId}-final` : undefined;
  try {
    await rds.send(
      new DeleteDBClusterCommand({
        DBClusterIdentifier: cloneId,
        SkipFinalSnapshot: snapshot === undefined,
        FinalDBSnapshotIdentifier: snapshot,
      }),
    );
  } catch (error) {
    if (error instanceof DBClusterNotFoundFault) return gone;
    if (error instanceof InvalidDBClusterStateFault) {
      throw new NotReady(
        `DB cluster "${cloneId}" is ${cluster.Status ?? 'busy'} (or its instances are still being deleted) and cannot be deleted yet; will retry.`,
        { cause: error },
      );
    }
    if (error instanceof DBClusterSnapshotAlreadyExistsFault) {
      throw new CloneConflict(
        `The final snapshot "${snapshot}" of DB cluster "${cloneId}" already exists, so the cluster was not deleted. Rename or delete that snapshot, or run the teardown with finalSnapshot: false.`,
        { cause: error },
      );
    }
    throw error;
  }
  return { step: 'cluster', deleted: [cloneId], alreadyGone: false, skipped: [] };
}
