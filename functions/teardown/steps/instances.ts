import {
  DBInstanceNotFoundFault,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  InvalidDBInstanceStateFault,
} from '@aws-sdk/client-rds';
import { rds } from '../../shared/clients/rds.js';
import { NotReady } from '../../shared/errors.js';
import type { TeardownRequest } from '../../shared/plan.js';
import { clusterOf, isClusterOnly, refreshClusters, Verdict, verdictFor } from '../safety.js';
import type { StepResult } from '../types.js';

/** The clusters whose instances go: the one named, or the clone's and any a refresh left. */
async function clustersOf(request: TeardownRequest): Promise<string[]> {
  const main = clusterOf(request);
  return isClusterOnly(request) ? [main] : [main, ...(await refreshClusters(request.cloneId))];
}

/**
 * Deletes every instance of the clone cluster; the cluster cannot be deleted before them.
 *
 * Every instance is checked before the first delete, so a foreign instance in the
 * cluster stops the step without having removed anything.
 */
export async function deleteInstances(request: TeardownRequest): Promise<StepResult> {
  const { DBInstances: found = [] } = await rds.send(
    new DescribeDBInstancesCommand({
      Filters: [{ Name: 'db-cluster-id', Values: await clustersOf(request) }],
    }),
  );
  const toDelete: { id: string; status: string }[] = [];
  const skipped: string[] = [];
  for (const instance of found) {
    const id = instance.DBInstanceIdentifier ?? '';
    const verdict = verdictFor(`DB instance "${id}"`, instance.TagList, request);
    if (verdict === Verdict.skip) skipped.push(id);
    else if (instance.DBInstanceStatus !== 'deleting') {
      toDelete.push({ id, status: instance.DBInstanceStatus ?? 'unknown' });
    }
  }
  const deleted: string[] = [];
  for (const { id, status } of toDelete) {
    try {
      await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id }));
      deleted.push(id);
    } catch (error) {
      if (error instanceof DBInstanceNotFoundFault) continue;
      if (error instanceof InvalidDBInstanceStateFault) {
        throw new NotReady(`DB instance "${id}" is ${status} and cannot be deleted yet; will retry.`, {
          cause: error,
        });
      }
      throw error;
    }
  }
  return { step: 'instances', deleted, alreadyGone: deleted.length === 0 && skipped.length === 0, skipped };
}
