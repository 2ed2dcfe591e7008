import type { DBCluster } from '@aws-sdk/client-rds';
import { DescribeSecretCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { checkQuota, describeSource, sourceInstanceParameterGroup } from '../inspect-source/source.js';
import { validateRequest } from '../inspect-source/validate.js';
import { secretsManager } from '../shared/clients/secrets-manager.js';
import { sfn } from '../shared/clients/sfn.js';
import { type Config, clusterIdOf, loadConfig } from '../shared/config.js';
import { formatDuration } from '../shared/duration.js';
import { CloneConflict, InvalidArtifact, NotReady, RefusedTarget } from '../shared/errors.js';
import { createdAtOf, ExpiryLimit, latestExpiry } from '../shared/expiry.js';
import {
  generationInstanceIds,
  generationOf,
  nextClusterId,
  retiredClusterId,
  ttlScheduleName,
} from '../shared/names.js';
import type { ClonePlan } from '../shared/plan.js';
import { findCluster, madeByExecution } from '../shared/rds.js';
import { cloneTags, isManaged, TAG, tagValue } from '../shared/tags.js';
import { executionStartMs, isoSeconds } from '../shared/time.js';
import { findSecurityGroups } from '../teardown/steps/network.js';
import type { RefreshPlan, RefreshRequest } from './types.js';

/** What the state machine passes the plan step. */
export interface PlanInput {
  readonly request: RefreshRequest;
  readonly executionArn: string;
  readonly startTime: string;
}

/**
 * A refresh takes about as long as a clone (10 to 20 minutes): a clone expiring sooner would be
 * deleted by its TTL schedule in the middle of it.
 */
export const REFRESH_MARGIN_MS = 60 * 60_000;

/** The execution ARN prefix of a state machine: `arn:...:execution:<name>:`. */
function executionsOf(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
}

/**
 * Refuses a clone that is still being made: the clone execution that made it is running (its
 * cluster is available some minutes before its password and secret are). A cluster made by a
 * refresh needs no look: a refresh holds `<cloneId>-next` until its swap is done.
 */
async function checkMakerEnded(config: Config, cloneId: string, cluster: DBCluster): Promise<void> {
  const maker = tagValue(cluster.TagList, TAG.executionArn);
  if (maker === undefined || config.cloneStateMachineArn === '') return;
  if (!maker.startsWith(executionsOf(config.cloneStateMachineArn))) return;
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: maker }));
    if (status !== 'RUNNING') return;
  } catch (error) {
    // Step Functions forgets executions after 90 days: such a maker ended long ago.
    if (error instanceof ExecutionDoesNotExist) return;
    throw error;
  }
  throw new CloneConflict(
    `Clone "${cloneId}" is still being made by execution ${maker}; a refresh starts only after it ends. Try again once it has finished.`,
  );
}

/** Refuses a refresh while another one is under way (its new cluster, `<cloneId>-next`, exists). */
async function checkNoOtherRefresh(cloneId: string, executionArn: string): Promise<void> {
  const next = await findCluster(nextClusterId(cloneId));
  if (next === undefined) return;
  if (madeByExecution(next, cloneId, executionArn)) return;
  const maker = tagValue(next.TagList, TAG.executionArn);
  throw new CloneConflict(
    `Another refresh of clone "${cloneId}" is under way: its new cluster "${nextClusterId(cloneId)}" exists ` +
      `(made by ${maker ?? 'someone else'}). Two refreshes of a clone never run at once; wait for that one to end. ` +
      'If it ended and left the cluster behind, delete it with the teardown state machine, input ' +
      `{"cloneId": "${cloneId}", "clusterIdentifier": "${nextClusterId(cloneId)}", "scope": "cluster"}.`,
  );
}

/**
 * The refreshed clone's expiry: its TTL from now, but never past its maximum lifetime (counted from
 * when the clone was first made) unless it is protected. A clone with too little of its lifetime
 * left for a refresh is refused: the refresh would not keep it.
 */
function refreshedExpiry(config: Config, cloneId: string, createdMs: number, wantedMs: number): number {
  const now = Date.now();
  const { latestMs, limit } = latestExpiry(config, cloneId, createdMs, now);
  if (limit === ExpiryLimit.maxLifetime && latestMs - now < REFRESH_MARGIN_MS) {
    throw new CloneConflict(
      `Clone "${cloneId}" reaches this deployment's maximum lifetime (${formatDuration(config.maxLifetimeMs)} from its creation at ${isoSeconds(createdMs)}) at ${isoSeconds(latestMs)}, so a refresh cannot keep it. Let it be deleted then (a refresh schedule makes it anew afterwards), or ask the operators to list it in protectedClones.`,
    );
  }
  return Math.min(wantedMs, latestMs);
}

/**
 * The previous refresh's old cluster must be gone before this refresh can move the clone there:
 * still being deleted is a wait; still there is a leftover for a person (or `dbaf delete`).
 */
async function checkNoRetiredCluster(cloneId: string): Promise<void> {
  const retired = await findCluster(retiredClusterId(cloneId));
  if (retired === undefined) return;
  if (retired.Status === 'deleting') {
    throw new NotReady(
      `The previous refresh's old cluster ${retiredClusterId(cloneId)} is still being deleted; retrying.`,
    );
  }
  throw new CloneConflict(
    `Clone "${cloneId}" still has the old cluster of an earlier refresh, "${retiredClusterId(cloneId)}" (${retired.Status}), which that refresh could not delete. Delete it with the teardown state machine, input {"cloneId": "${cloneId}", "clusterIdentifier": "${retiredClusterId(cloneId)}", "scope": "cluster"}, then refresh again.`,
  );
}

/** The clone's existing cluster, checked: ours, for this clone, from this source, available, not expiring. */
function checkClone(cloneId: string, cluster: DBCluster, source: string, now: number): void {
  const tags = cluster.TagList;
  if (!isManaged(tags, cloneId)) {
    throw new RefusedTarget(
      `Cluster "${cloneId}" was not made by db-artifact-factory for this clone (its ${TAG.managedBy}/${TAG.cloneId} tags say otherwise): a refresh never replaces it.`,
    );
  }
  const madeFrom = tagValue(tags, TAG.source);
  if (madeFrom !== undefined && clusterIdOf(madeFrom) !== clusterIdOf(source)) {
    throw new CloneConflict(
      `Clone "${cloneId}" was made from "${madeFrom}", but the artifact's source is "${source}": a refresh re-clones the same source. Fix source.clusterIdentifier, or delete the clone ("dbaf delete ${cloneId}") and make it anew.`,
    );
  }
  if (cluster.Status !== 'available') {
    throw new NotReady(
      `Clone "${cloneId}" is ${cluster.Status ?? 'busy'}; a refresh needs it available. Retrying.`,
    );
  }
  const expiresAt = Date.parse(tagValue(tags, TAG.expiresAt) ?? '');
  if (!Number.isNaN(expiresAt) && expiresAt - now < REFRESH_MARGIN_MS) {
    throw new CloneConflict(
      `Clone "${cloneId}" expires at ${isoSeconds(expiresAt)}, too soon for a refresh to finish (it needs ${formatDuration(REFRESH_MARGIN_MS)}). Extend it first ("dbaf extend ${cloneId} 2h"), or let it expire: a refresh of a clone that no longer exists makes it anew.`,
    );
  }
}

/** The clone's secret must exist and be its own: the refresh keeps it and its password. */
async function checkSecret(cloneId: string, secretName: string): Promise<void> {
  let tags: { Key?: string; Value?: string }[] | undefined;
  let deleted = false;
  try {
    const secret = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretName }));
    tags = secret.Tags;
    deleted = secret.DeletedDate !== undefined;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (tags !== undefined && isManaged(tags, cloneId) && !deleted) return;
  throw new CloneConflict(
    `Clone "${cloneId}" has no usable secret "${secretName}" (${tags === undefined ? 'it does not exist' : deleted ? 'it is scheduled for deletion' : 'it is not tagged for this clone'}), so a refresh could not keep its credentials. Delete the clone ("dbaf delete ${cloneId}") and make it anew.`,
  );
}

/** The clone's own security group: the new cluster joins it, so clients keep their access. */
async function cloneSecurityGroup(
  cloneId: string,
  cluster: DBCluster,
): Promise<{ groupId: string; vpcId: string }> {
  const attached = new Set((cluster.VpcSecurityGroups ?? []).map((group) => group.VpcSecurityGroupId));
  const own = (await findSecurityGroups(cloneId)).find(
    (group) => group.GroupId !== undefined && attached.has(group.GroupId),
  );
  if (own?.GroupId !== undefined) return { groupId: own.GroupId, vpcId: own.VpcId ?? '' };
  throw new CloneConflict(
    `Clone "${cloneId}" has lost its security group (none tagged for it is attached to its cluster), so a refresh cannot give the new cluster the same access. Delete the clone and make it anew.`,
  );
}

/**
 * Decides what a refresh does: make the clone when it does not exist, or build a new cluster from
 * the current source beside it, in its network, under `<cloneId>-next`.
 *
 * Every check runs before anything is created: a refresh refused here leaves the clone untouched.
 */
export async function planRefresh(input: PlanInput): Promise<RefreshPlan> {
  const config: Config = loadConfig();
  const startMs = executionStartMs(input.startTime);
  const request = input.request ?? ({} as RefreshRequest);
  const reason = typeof request.reason === 'string' && request.reason !== '' ? request.reason : 'scheduled';
  const { artifact, cloneId, ttlMs, shared } = validateRequest(
    config,
    request.artifact,
    input.executionArn,
    Date.now(),
  );
  if (artifact.target.cloneName === undefined) {
    throw new InvalidArtifact([
      'target.cloneName: missing; a refresh keeps one named clone fresh, so the artifact must name it',
    ]);
  }
  const cluster = await findCluster(cloneId);
  await checkNoOtherRefresh(cloneId, input.executionArn);
  if (cluster === undefined) return { mode: 'create', artifact: request.artifact, reason, cloneId };

  const sourceId = artifact.source.clusterIdentifier;
  checkClone(cloneId, cluster, sourceId, Date.now());
  await checkMakerEnded(config, cloneId, cluster);
  await checkNoRetiredCluster(cloneId);
  const secretName = `${config.secretPrefix}${cloneId}`;
  await checkSecret(cloneId, secretName);
  const network = await cloneSecurityGroup(cloneId, cluster);
  const source = await describeSource(config, sourceId);
  const { target, lifecycle } = artifact;
  await checkQuota(config, false);

  const generation = generationOf(input.executionArn);
  const owner = lifecycle.owner ?? tagValue(cluster.TagList, TAG.owner) ?? 'unspecified';
  const createdMs = createdAtOf(cluster.TagList, cluster.ClusterCreateTime);
  const createdAt = isoSeconds(Number.isNaN(createdMs) ? startMs : createdMs);
  const expiresAt = isoSeconds(refreshedExpiry(config, cloneId, Date.parse(createdAt), startMs + ttlMs));
  const dbParameterGroupName =
    target.dbParameterGroupName ?? (shared ? null : await sourceInstanceParameterGroup(source));
  const plan: ClonePlan = {
    cloneId,
    clusterIdentifier: nextClusterId(cloneId),
    executionArn: input.executionArn,
    source: { clusterIdentifier: sourceId, clusterArn: source.DBClusterArn ?? sourceId },
    restore: artifact.source.restore,
    engine: source.Engine ?? 'aurora-postgresql',
    engineVersion: source.EngineVersion ?? '',
    // The clone's port, not the artifact's: consumers connect to it.
    port: cluster.Port ?? target.port ?? source.Port ?? 5432,
    masterUsername: cluster.MasterUsername ?? source.MasterUsername ?? '',
    databaseName: cluster.DatabaseName ?? source.DatabaseName ?? 'postgres',
    network: {
      vpcId: network.vpcId,
      subnetIds: [],
      dbSubnetGroupName: cluster.DBSubnetGroup ?? '',
      createSubnetGroup: false,
      securityGroupName: cloneId,
      securityGroupId: network.groupId,
      allowedCidrs: [],
      clientSecurityGroupIds: [],
    },
    instanceClass: target.instanceClass,
    instanceIdentifiers: generationInstanceIds(cloneId, generation, target.instanceCount),
    dbClusterParameterGroupName:
      target.dbClusterParameterGroupName ?? (shared ? null : (source.DBClusterParameterGroup ?? null)),
    dbParameterGroupName,
    tags: cloneTags(
      { cloneId, source: sourceId, owner, expiresAt, executionArn: input.executionArn, createdAt },
      target.tags,
    ),
    owner,
    expiresAt,
    finalSnapshot: lifecycle.finalSnapshot,
    secretName,
    schedule: { name: ttlScheduleName(cloneId), groupName: config.scheduleGroupName },
  };
  return {
    mode: 'refresh',
    artifact: request.artifact,
    reason,
    cloneId,
    plan,
    swap: { retiredId: retiredClusterId(cloneId) },
  };
}
