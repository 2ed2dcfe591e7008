import {
  type DBCluster,
  DBClusterNotFoundFault,
  type DBInstance,
  DescribeDBClustersCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { createdAtOf } from '../functions/shared/expiry.js';
import { isManaged, TAG, tagValue } from '../functions/shared/tags.js';
import { EXIT, UserError } from './errors.js';

/** One instance of a clone. */
export interface CloneInstance {
  readonly id: string;
  readonly instanceClass: string;
  readonly status: string;
  readonly writer: boolean;
}

/** A managed clone as its RDS tags and statuses describe it. */
export interface Clone {
  readonly cloneId: string;
  readonly arn: string;
  /** The source cluster, from the `dbaf:source` tag. */
  readonly source: string;
  readonly owner: string;
  /** One word for people: the cluster's status, or what the instances are doing while it is available. */
  readonly status: string;
  readonly clusterStatus: string;
  readonly endpoint: string | null;
  readonly readerEndpoint: string | null;
  readonly port: number | null;
  readonly databaseName: string | null;
  readonly username: string | null;
  readonly engineVersion: string | null;
  /** ISO 8601 UTC, from the `dbaf:expires-at` tag. */
  readonly expiresAt: string | null;
  /** When the clone was first made: the `dbaf:created-at` tag (a refresh keeps it), or the cluster's creation. */
  readonly createdAt: string | null;
  /** The clone execution that made it, from the `dbaf:execution-arn` tag. */
  readonly executionArn: string | null;
  readonly instances: readonly CloneInstance[];
  /** The user's own tags (not the project's). */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The status people see: the cluster's own, except that an `available` cluster whose instances
 * are not all available is not usable yet, and says so.
 */
export function cloneStatus(clusterStatus: string, instances: readonly CloneInstance[]): string {
  if (clusterStatus !== 'available') return clusterStatus;
  if (instances.length === 0) return 'no-instances';
  const busy = instances.find((instance) => instance.status !== 'available');
  return busy === undefined ? 'available' : `instance-${busy.status}`;
}

function isoOrNull(ms: number): string | null {
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function toClone(cluster: DBCluster, instances: readonly DBInstance[]): Clone {
  const tags = cluster.TagList;
  const writers = new Set(
    (cluster.DBClusterMembers ?? []).filter((m) => m.IsClusterWriter).map((m) => m.DBInstanceIdentifier),
  );
  const members: CloneInstance[] = instances
    .map((instance) => ({
      id: instance.DBInstanceIdentifier ?? '',
      instanceClass: instance.DBInstanceClass ?? '',
      status: instance.DBInstanceStatus ?? 'unknown',
      writer: writers.has(instance.DBInstanceIdentifier),
    }))
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const clusterStatus = cluster.Status ?? 'unknown';
  return {
    cloneId: cluster.DBClusterIdentifier ?? '',
    arn: cluster.DBClusterArn ?? '',
    source: tagValue(tags, TAG.source) ?? '',
    owner: tagValue(tags, TAG.owner) ?? '',
    status: cloneStatus(clusterStatus, members),
    clusterStatus,
    endpoint: cluster.Endpoint ?? null,
    readerEndpoint: cluster.ReaderEndpoint ?? null,
    port: cluster.Port ?? null,
    databaseName: cluster.DatabaseName ?? null,
    username: cluster.MasterUsername ?? null,
    engineVersion: cluster.EngineVersion ?? null,
    expiresAt: tagValue(tags, TAG.expiresAt) ?? null,
    createdAt: isoOrNull(createdAtOf(tags, cluster.ClusterCreateTime)),
    executionArn: tagValue(tags, TAG.executionArn) ?? null,
    instances: members,
    tags: Object.fromEntries(
      (tags ?? [])
        .filter((tag) => tag.Key !== undefined && !tag.Key.startsWith('dbaf:'))
        .map((tag) => [tag.Key ?? '', tag.Value ?? '']),
    ),
  };
}

async function instancesOf(
  rds: RDSClient,
  clusterIds?: readonly string[],
): Promise<Map<string, DBInstance[]>> {
  const byCluster = new Map<string, DBInstance[]>();
  const input =
    clusterIds === undefined ? {} : { Filters: [{ Name: 'db-cluster-id', Values: [...clusterIds] }] };
  for await (const page of paginateDescribeDBInstances({ client: rds }, input)) {
    for (const instance of page.DBInstances ?? []) {
      const clusterId = instance.DBClusterIdentifier ?? '';
      byCluster.set(clusterId, [...(byCluster.get(clusterId) ?? []), instance]);
    }
  }
  return byCluster;
}

/**
 * Every managed clone in the region, by name: one paginated DescribeDBClusters and one paginated
 * DescribeDBInstances, whatever the number of clones (RDS cannot filter clusters by tag, so the
 * managed-by tag is checked here).
 */
export async function listClones(rds: RDSClient): Promise<Clone[]> {
  const clusters: DBCluster[] = [];
  for await (const page of paginateDescribeDBClusters({ client: rds }, {})) {
    // Only clusters under their clone's name: a refresh's new or old cluster is not a clone of its own.
    clusters.push(
      ...(page.DBClusters ?? []).filter((cluster) =>
        isManaged(cluster.TagList, cluster.DBClusterIdentifier ?? ''),
      ),
    );
  }
  if (clusters.length === 0) return [];
  const instances = await instancesOf(rds);
  return clusters
    .map((cluster) => toClone(cluster, instances.get(cluster.DBClusterIdentifier ?? '') ?? []))
    .sort((a, b) => a.cloneId.localeCompare(b.cloneId));
}

/** The cluster named `cloneId`, managed or not, or undefined. */
export async function describeCluster(rds: RDSClient, cloneId: string): Promise<DBCluster | undefined> {
  try {
    const answer = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cloneId }));
    return answer.DBClusters?.[0];
  } catch (error) {
    if (error instanceof DBClusterNotFoundFault) return undefined;
    throw error;
  }
}

/** One managed clone, or undefined when no cluster has that name. */
export async function findClone(rds: RDSClient, cloneId: string): Promise<Clone | undefined> {
  const cluster = await describeCluster(rds, cloneId);
  if (cluster === undefined) return undefined;
  if (!isManaged(cluster.TagList)) {
    throw new UserError(
      `"${cloneId}" is a DB cluster that db-artifact-factory did not make (it lacks the ${TAG.managedBy} tag); dbaf does not touch it.`,
      EXIT.refused,
    );
  }
  const instances = await instancesOf(rds, [cloneId]);
  return toClone(cluster, instances.get(cluster.DBClusterIdentifier ?? cloneId) ?? []);
}

/** {@link findClone}, or a {@link UserError} saying how to see the clones there are. */
export async function requireClone(rds: RDSClient, cloneId: string): Promise<Clone> {
  const clone = await findClone(rds, cloneId);
  if (clone === undefined) {
    throw new UserError(
      `No clone named "${cloneId}" here. "dbaf list" shows the clones there are (check --region and --local).`,
      EXIT.notFound,
    );
  }
  return clone;
}
