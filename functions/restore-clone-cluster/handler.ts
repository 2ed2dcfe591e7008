import {
  type DBCluster,
  DBClusterAlreadyExistsFault,
  DBClusterQuotaExceededFault,
  DBClusterSnapshotNotFoundFault,
  InsufficientDBClusterCapacityFault,
  InvalidDBClusterStateFault,
  InvalidVPCNetworkStateFault,
  KMSKeyNotAccessibleFault,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { rds } from '../shared/clients/rds.js';
import {
  NetworkInvalid,
  NotReady,
  QuotaExceeded,
  ResourceFailed,
  SourceNotCloneable,
  SourceNotFound,
} from '../shared/errors.js';
import { createHandler } from '../shared/handler.js';
import type { CloneCluster, ClonePlan } from '../shared/plan.js';
import { assertMadeByExecution, findCluster } from '../shared/rds.js';
import { ensureSecurityGroup, ensureSubnetGroup } from './network.js';

/** The plan made by inspect-source. */
export interface Input {
  readonly plan: ClonePlan;
}

/** The clone cluster, stored by the state machine as `$.cluster`. */
export type Output = CloneCluster;

async function restore(plan: ClonePlan, securityGroupId: string): Promise<DBCluster | undefined> {
  const common = {
    DBClusterIdentifier: plan.clusterIdentifier,
    DBSubnetGroupName: plan.network.dbSubnetGroupName,
    VpcSecurityGroupIds: [securityGroupId],
    Port: plan.port,
    ...(plan.dbClusterParameterGroupName === null
      ? {}
      : { DBClusterParameterGroupName: plan.dbClusterParameterGroupName }),
    Tags: [...plan.tags],
    CopyTagsToSnapshot: true,
    DeletionProtection: false,
  };
  const { restore: how } = plan;
  if (how.type === 'snapshot') {
    const response = await rds.send(
      new RestoreDBClusterFromSnapshotCommand({
        ...common,
        SnapshotIdentifier: how.snapshotIdentifier,
        Engine: plan.engine,
        EngineVersion: plan.engineVersion,
      }),
    );
    return response.DBCluster;
  }
  // No monitoring or Performance Insights options: Aurora PostgreSQL refuses them on this call.
  // A copy-on-write clone is of the latest restorable time only: RDS refuses RestoreToTime with
  // it (functions/shared/aws/rds-requests.ts), so an earlier time is restored as a full copy.
  const response = await rds.send(
    new RestoreDBClusterToPointInTimeCommand({
      ...common,
      SourceDBClusterIdentifier: plan.source.clusterIdentifier,
      ...(how.type === 'point-in-time'
        ? { RestoreType: 'full-copy', RestoreToTime: new Date(how.restoreTime) }
        : { RestoreType: 'copy-on-write', UseLatestRestorableTime: true }),
    }),
  );
  return response.DBCluster;
}

/** Turns the restore's refusals into errors a person can act on; returns nothing it does not know. */
function mapRestoreError(plan: ClonePlan, error: unknown): Error | undefined {
  const clone =
    plan.clusterIdentifier === plan.cloneId
      ? `clone "${plan.cloneId}" of "${plan.source.clusterIdentifier}"`
      : `cluster "${plan.clusterIdentifier}" (the refresh of clone "${plan.cloneId}") from "${plan.source.clusterIdentifier}"`;
  const options = { cause: error };
  if (error instanceof DBClusterQuotaExceededFault) {
    return new QuotaExceeded(
      `Cannot create ${clone}: this region's DB cluster quota is used up; delete unused clones or ask AWS to raise the DBClusters quota.`,
      options,
    );
  }
  if (error instanceof DBClusterSnapshotNotFoundFault) {
    const snapshot = plan.restore.type === 'snapshot' ? plan.restore.snapshotIdentifier : 'the snapshot';
    return new SourceNotFound(
      `Cluster snapshot "${snapshot}" for ${clone} was not found; check source.restore.snapshotIdentifier (an ARN for a snapshot shared from another account).`,
      options,
    );
  }
  if (error instanceof InvalidVPCNetworkStateFault) {
    return new NetworkInvalid(
      `Cannot create ${clone} in DB subnet group "${plan.network.dbSubnetGroupName}" (${plan.network.vpcId}): the VPC or subnets cannot host it (AWS: ${error.message}); check the subnets and their availability zones.`,
      options,
    );
  }
  if (error instanceof KMSKeyNotAccessibleFault) {
    return new SourceNotCloneable(
      `Cannot create ${clone}: its KMS key is not accessible to this account. For a cross-account source the key must be a customer managed key shared with this account, not the default RDS key.`,
      options,
    );
  }
  if (error instanceof InvalidDBClusterStateFault) {
    return new NotReady(
      `Cannot create ${clone} yet: the source is busy (AWS: ${error.message}); this step will be retried.`,
      options,
    );
  }
  if (error instanceof InsufficientDBClusterCapacityFault) {
    return new ResourceFailed(
      `AWS has no capacity for ${clone} now; try another target.instanceClass or subnets in other availability zones.`,
      options,
    );
  }
  return undefined;
}

function output(plan: ClonePlan, cluster: DBCluster | undefined, securityGroupId: string): Output {
  return {
    clusterIdentifier: cluster?.DBClusterIdentifier ?? plan.clusterIdentifier,
    clusterArn: cluster?.DBClusterArn ?? '',
    endpoint: cluster?.Endpoint ?? '',
    readerEndpoint: cluster?.ReaderEndpoint ?? '',
    port: cluster?.Port ?? plan.port,
    dbSubnetGroupName: plan.network.dbSubnetGroupName,
    securityGroupId,
  };
}

/**
 * Creates the clone's network (when needed) and starts the copy-on-write restore of its cluster.
 *
 * The cluster has no instance yet (create-instance adds them). Every resource is checked for
 * ownership first, so a retry resumes and a name taken by someone else is never touched.
 */
export async function restoreCloneCluster(input: Input): Promise<Output> {
  const { plan } = input;
  // A refresh builds beside the clone, in the clone's own network: nothing to create there.
  let securityGroupId = plan.network.securityGroupId;
  if (securityGroupId === null) {
    await ensureSubnetGroup(plan);
    securityGroupId = await ensureSecurityGroup(plan);
  }
  const existing = await findCluster(plan.clusterIdentifier);
  if (existing !== undefined)
    return output(plan, assertMadeByExecution(existing, plan.cloneId, plan.executionArn), securityGroupId);
  try {
    return output(plan, await restore(plan, securityGroupId), securityGroupId);
  } catch (error) {
    if (error instanceof DBClusterAlreadyExistsFault) {
      // Another attempt of this step raced us: apply the same ownership check to what it made.
      const raced = await findCluster(plan.clusterIdentifier);
      if (raced === undefined) {
        throw new NotReady(
          `Cluster "${plan.clusterIdentifier}" is reported as existing but cannot be described yet; this step will be retried.`,
          { cause: error },
        );
      }
      return output(plan, assertMadeByExecution(raced, plan.cloneId, plan.executionArn), securityGroupId);
    }
    throw mapRestoreError(plan, error) ?? error;
  }
}

/** Lambda entry point of the `restore-clone-cluster` state. */
export const handler = createHandler('restore-clone-cluster', restoreCloneCluster);
