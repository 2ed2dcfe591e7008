import {
  type DBCluster,
  DBClusterNotFoundFault,
  type DBInstance,
  DBInstanceNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  InvalidDBClusterStateFault,
  ListTagsForResourceCommand,
  ModifyDBClusterCommand,
  paginateDescribeDBClusters,
  type Tag,
} from '@aws-sdk/client-rds';
import { rds } from './clients/rds.js';
import { CloneConflict, NotReady, ResourceFailed } from './errors.js';
import { isManaged, TAG, tagValue } from './tags.js';

/** Every DB cluster of the region, in one paginated DescribeDBClusters (RDS cannot filter clusters by tag). */
export async function listClusters(): Promise<DBCluster[]> {
  const clusters: DBCluster[] = [];
  for await (const page of paginateDescribeDBClusters({ client: rds }, {})) {
    clusters.push(...(page.DBClusters ?? []));
  }
  return clusters;
}

/**
 * The cluster as RDS describes it now, or `undefined` when it does not exist.
 *
 * `includeShared` finds a cluster shared from another account through AWS RAM (by ARN).
 */
export async function findCluster(
  identifier: string,
  options: { includeShared?: boolean } = {},
): Promise<DBCluster | undefined> {
  try {
    const { DBClusters } = await rds.send(
      new DescribeDBClustersCommand({
        DBClusterIdentifier: identifier,
        ...(options.includeShared ? { IncludeShared: true } : {}),
      }),
    );
    return DBClusters?.[0];
  } catch (error) {
    if (error instanceof DBClusterNotFoundFault) return undefined;
    throw error;
  }
}

/** The instance as RDS describes it now, or `undefined` when it does not exist. */
export async function findInstance(identifier: string): Promise<DBInstance | undefined> {
  try {
    const { DBInstances } = await rds.send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
    );
    return DBInstances?.[0];
  } catch (error) {
    if (error instanceof DBInstanceNotFoundFault) return undefined;
    throw error;
  }
}

/** A DB subnet group by name (with its ARN, for its tags), or `undefined` when it does not exist. */
export async function findSubnetGroup(
  name: string,
): Promise<{ name: string; arn: string | undefined } | undefined> {
  try {
    const { DBSubnetGroups } = await rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name }));
    const group = DBSubnetGroups?.[0];
    return group === undefined
      ? undefined
      : { name: group.DBSubnetGroupName ?? name, arn: group.DBSubnetGroupArn };
  } catch (error) {
    if (error instanceof DBSubnetGroupNotFoundFault) return undefined;
    throw error;
  }
}

/**
 * The tags of an RDS resource that describe calls do not return with it (subnet groups).
 *
 * No ARN, no tags: the resource then counts as not ours.
 */
export async function listTags(arn: string | undefined): Promise<Tag[]> {
  if (arn === undefined) return [];
  const { TagList = [] } = await rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
  return TagList;
}

/**
 * The tags of a DB subnet group found a moment ago, or `undefined` when it is gone since (a
 * concurrent teardown deleted it): a vanished group is gone, never "untagged".
 */
export async function subnetGroupTags(arn: string | undefined): Promise<Tag[] | undefined> {
  try {
    return await listTags(arn);
  } catch (error) {
    if (error instanceof DBSubnetGroupNotFoundFault) return undefined;
    throw error;
  }
}

/** True when `cluster` exists, is tagged for the clone, and was made by this very execution. */
export function madeByExecution(
  cluster: DBCluster | undefined,
  cloneId: string,
  executionArn: string,
): boolean {
  return (
    cluster !== undefined &&
    isManaged(cluster.TagList, cloneId) &&
    tagValue(cluster.TagList, TAG.executionArn) === executionArn
  );
}

/**
 * Accepts a cluster under the clone's name only when this very execution made it (a retry).
 *
 * @throws CloneConflict naming who made it, so a clone never adopts, and a rollback never
 * removes, somebody else's cluster.
 */
export function assertMadeByExecution(cluster: DBCluster, cloneId: string, executionArn: string): DBCluster {
  const tags = cluster.TagList;
  if (madeByExecution(cluster, cloneId, executionArn)) return cluster;
  const maker = tagValue(tags, TAG.executionArn) ?? 'unknown';
  const name = cluster.DBClusterIdentifier ?? cloneId;
  if (name.toLowerCase() !== cloneId.toLowerCase() && isManaged(tags, cloneId)) {
    // A refresh's new cluster, `<cloneId>-next`: its name is the refresh's lock.
    throw new CloneConflict(
      `Another refresh of clone "${cloneId}" is under way: it made "${name}" (execution ${maker}). Two refreshes of a clone never run at once; this one created nothing.`,
    );
  }
  const origin = isManaged(tags)
    ? `made by another db-artifact-factory execution: ${maker}`
    : 'not made by db-artifact-factory';
  throw new CloneConflict(
    `A cluster named "${cluster.DBClusterIdentifier ?? cloneId}" already exists (${origin}); choose another target.cloneName or delete it first.`,
  );
}

/**
 * Sets a cluster's master password now (ModifyDBCluster, ApplyImmediately). The password goes to
 * RDS only: never to a log, an error message or the state machine.
 *
 * @param vanished what to tell a person when the cluster is gone (it was deleted outside the workflow)
 * @throws NotReady while the cluster cannot take it yet; ResourceFailed when it is gone
 */
export async function setMasterPassword(
  clusterIdentifier: string,
  password: string,
  vanished: string,
): Promise<void> {
  try {
    await rds.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: clusterIdentifier,
        MasterUserPassword: password,
        ApplyImmediately: true,
      }),
    );
  } catch (error) {
    if (error instanceof InvalidDBClusterStateFault) {
      throw new NotReady(
        `Cluster "${clusterIdentifier}" cannot take a new master password yet (${error.message}); retrying.`,
        { cause: error },
      );
    }
    if (error instanceof DBClusterNotFoundFault) throw new ResourceFailed(vanished, { cause: error });
    throw error;
  }
}
