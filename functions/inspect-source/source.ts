import {
  type DBCluster,
  DBInstanceNotFoundFault,
  DescribeAccountAttributesCommand,
  DescribeDBInstancesCommand,
} from '@aws-sdk/client-rds';
import type { RdsQuotaName } from '../shared/aws/rds-requests.js';
import { rds } from '../shared/clients/rds.js';
import { type Config, isAllowedSource } from '../shared/config.js';
import { NotReady, QuotaExceeded, SourceNotCloneable, SourceNotFound } from '../shared/errors.js';
import { assertMadeByExecution, findCluster, listClusters } from '../shared/rds.js';
import { isManaged, TAG, tagValue } from '../shared/tags.js';
import { notAllowed } from './validate.js';

/** The only engine this project clones. */
export const SUPPORTED_ENGINE = 'aurora-postgresql';

/**
 * Describes the source cluster and refuses one that cannot or must not be cloned.
 *
 * Aurora clones only an `available` Aurora cluster with an instance; the allowed-sources list is
 * checked again with the real ARN, which an identifier alone cannot prove.
 */
export async function describeSource(config: Config, source: string): Promise<DBCluster> {
  const shared = source.startsWith('arn:');
  const cluster = await findCluster(source, { includeShared: shared });
  if (cluster === undefined) throw sourceNotFound(source);
  if (!isAllowedSource(config, source, cluster.DBClusterArn)) throw notAllowed(config, source);

  const reasons: string[] = [];
  if (cluster.Engine !== SUPPORTED_ENGINE) {
    reasons.push(`its engine is "${cluster.Engine}"; only ${SUPPORTED_ENGINE} clusters can be cloned`);
  }
  if (cluster.Status !== 'available') {
    reasons.push(`its status is "${cluster.Status}"; try again when it is available`);
  }
  if ((cluster.DBClusterMembers ?? []).length === 0) {
    reasons.push('it has no instance; Aurora can only clone a cluster with at least one instance');
  }
  if (reasons.length > 0) {
    throw new SourceNotCloneable(`Cluster "${source}" cannot be cloned: ${reasons.join('; ')}.`);
  }
  return cluster;
}

function sourceNotFound(source: string, cause?: unknown): SourceNotFound {
  return new SourceNotFound(
    `Cluster "${source}" was not found in this region/account; check the identifier, or for a cluster shared through AWS RAM give its ARN.`,
    { cause },
  );
}

/**
 * Makes sure the clone's name is free; returns true when the cluster already exists for this very
 * execution (a retry of this step after the restore began).
 */
export async function checkCloneNameFree(cloneId: string, executionArn: string): Promise<boolean> {
  const existing = await findCluster(cloneId);
  if (existing === undefined) return false;
  assertMadeByExecution(existing, cloneId, executionArn);
  return true;
}

/**
 * The DB parameter group of the source's writer instance (or first instance), so the clone's
 * instances behave like production's unless the artifact says otherwise.
 */
export async function sourceInstanceParameterGroup(cluster: DBCluster): Promise<string | null> {
  const members = cluster.DBClusterMembers ?? [];
  const member = members.find((candidate) => candidate.IsClusterWriter) ?? members[0];
  const instanceId = member?.DBInstanceIdentifier;
  if (instanceId === undefined) return null;
  try {
    const response = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }));
    return response.DBInstances?.[0]?.DBParameterGroups?.[0]?.DBParameterGroupName ?? null;
  } catch (error) {
    if (!(error instanceof DBInstanceNotFoundFault)) throw error;
    // Inheriting nothing would silently change the clone's behaviour: wait for the source to settle.
    throw new NotReady(
      `Instance "${instanceId}" of source cluster "${cluster.DBClusterIdentifier}" was not found while reading its parameter group; the source is changing, so this step will be retried.`,
      { cause: error },
    );
  }
}

/**
 * Refuses the clone when the region's DB-cluster quota (less the configured headroom) is used up.
 *
 * Checked here so the workflow fails in seconds with advice, not after a failed restore.
 */
export async function checkQuota(config: Config, alreadyCreated: boolean): Promise<void> {
  const response = await rds.send(new DescribeAccountAttributesCommand({}));
  const name: RdsQuotaName = 'DBClusters';
  const quota = response.AccountQuotas?.find((item) => item.AccountQuotaName === name);
  if (quota?.Used === undefined || quota.Max === undefined) return;
  // On a retry the clone already counts in Used.
  const needed = alreadyCreated ? 0 : 1;
  if (quota.Used + needed + config.quotaHeadroom <= quota.Max) return;
  const headroom = config.quotaHeadroom > 0 ? ` (keeping ${config.quotaHeadroom} free, QUOTA_HEADROOM)` : '';
  throw new QuotaExceeded(
    `This region has ${quota.Used} of ${quota.Max} DB clusters${headroom}; delete unused clones or ask AWS to raise the DBClusters quota.`,
  );
}

/**
 * Refuses a clone when its owner already has the deployment's maximum number of clones
 * (`MAX_CLONES_PER_OWNER`; 0 means no limit). Clusters being deleted and this clone itself (a retry)
 * do not count. One paginated DescribeDBClusters: RDS cannot filter clusters by tag.
 */
export async function checkOwnerLimit(config: Config, owner: string, cloneId: string): Promise<void> {
  const limit = config.maxClonesPerOwner;
  if (limit === 0) return;
  const owned: string[] = [];
  for (const cluster of await listClusters()) {
    const id = cluster.DBClusterIdentifier ?? '';
    if (!isManaged(cluster.TagList) || tagValue(cluster.TagList, TAG.owner) !== owner) continue;
    if (id !== cloneId && cluster.Status !== 'deleting') owned.push(id);
  }
  if (owned.length < limit) return;
  throw new QuotaExceeded(
    `Owner "${owner}" already has ${owned.length} clone${owned.length === 1 ? '' : 's'} (${owned.sort().join(', ')}), ` +
      `the most this deployment allows one owner (MAX_CLONES_PER_OWNER=${limit}). Delete one ("dbaf delete <clone>") ` +
      'or wait for its TTL, or ask the operators to raise maxClonesPerOwner.',
  );
}
