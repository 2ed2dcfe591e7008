import { loadConfig } from '../shared/config.js';
import { createHandler } from '../shared/handler.js';
import { ttlScheduleName } from '../shared/names.js';
import type { ClonePlan } from '../shared/plan.js';
import { cloneTags } from '../shared/tags.js';
import { executionStartMs, isoSeconds } from '../shared/time.js';
import { checkClientSecurityGroups, explicitSubnets, sourceSubnets } from './network.js';
import {
  checkCloneNameFree,
  checkOwnerLimit,
  checkQuota,
  describeSource,
  sourceInstanceParameterGroup,
} from './source.js';
import { validateRequest } from './validate.js';

/** What the clone state machine passes to its first state. */
export interface Input {
  /** The artifact document, unchecked. */
  readonly artifact: unknown;
  readonly executionArn: string;
  readonly executionName: string;
  /** The execution's start time (ISO 8601): the clone's TTL counts from it. */
  readonly startTime: string;
}

/** The resolved plan, stored by the state machine as `$.plan`. */
export interface Output {
  readonly plan: ClonePlan;
}

/**
 * Checks the artifact and the source, then resolves everything later steps need into one plan.
 *
 * All validation that needs no AWS call runs first, so a bad artifact fails in milliseconds and costs
 * nothing; the AWS checks (source, name, network, quota) fail before anything is created.
 */
export async function inspectSource(input: Input): Promise<Output> {
  const config = loadConfig();
  const startMs = executionStartMs(input.startTime);
  const { artifact, cloneId, ttlMs, shared } = validateRequest(
    config,
    input.artifact,
    input.executionArn,
    Date.now(),
  );
  const { target, lifecycle } = artifact;
  const sourceId = artifact.source.clusterIdentifier;

  const cluster = await describeSource(config, sourceId);
  const retry = await checkCloneNameFree(cloneId, input.executionArn);
  const subnets =
    target.subnets === 'source'
      ? await sourceSubnets(cluster.DBSubnetGroup, sourceId)
      : await explicitSubnets(target.subnets, cloneId);
  await checkClientSecurityGroups(target.securityGroupIds, subnets.vpcId);
  // A shared source's parameter groups belong to the other account: inherit only what the artifact names.
  const dbParameterGroupName =
    target.dbParameterGroupName ?? (shared ? null : await sourceInstanceParameterGroup(cluster));
  const dbClusterParameterGroupName =
    target.dbClusterParameterGroupName ?? (shared ? null : (cluster.DBClusterParameterGroup ?? null));
  await checkQuota(config, retry);
  const owner = lifecycle.owner ?? 'unspecified';
  await checkOwnerLimit(config, owner, cloneId);

  const expiresAt = isoSeconds(startMs + ttlMs);
  const useDefaultCidrs = target.allowedCidrs.length === 0 && target.securityGroupIds.length === 0;
  const plan: ClonePlan = {
    cloneId,
    clusterIdentifier: cloneId,
    executionArn: input.executionArn,
    source: { clusterIdentifier: sourceId, clusterArn: cluster.DBClusterArn ?? sourceId },
    restore: artifact.source.restore,
    engine: cluster.Engine ?? 'aurora-postgresql',
    engineVersion: cluster.EngineVersion ?? '',
    port: target.port ?? cluster.Port ?? 5432,
    masterUsername: cluster.MasterUsername ?? '',
    databaseName: cluster.DatabaseName ?? 'postgres',
    network: {
      ...subnets,
      securityGroupName: cloneId,
      securityGroupId: null,
      allowedCidrs: useDefaultCidrs ? [...config.defaultAllowedCidrs] : [...target.allowedCidrs],
      clientSecurityGroupIds: [...target.securityGroupIds],
    },
    instanceClass: target.instanceClass,
    instanceIdentifiers: Array.from({ length: target.instanceCount }, (_, i) => `${cloneId}-${i + 1}`),
    dbClusterParameterGroupName,
    dbParameterGroupName,
    tags: cloneTags(
      {
        cloneId,
        source: sourceId,
        owner,
        expiresAt,
        executionArn: input.executionArn,
        createdAt: isoSeconds(startMs),
      },
      target.tags,
    ),
    owner,
    expiresAt,
    finalSnapshot: lifecycle.finalSnapshot,
    secretName: `${config.secretPrefix}${cloneId}`,
    schedule: { name: ttlScheduleName(cloneId), groupName: config.scheduleGroupName },
  };
  return { plan };
}

/** Lambda entry point of the `inspect-source` state. */
export const handler = createHandler('inspect-source', inspectSource);
