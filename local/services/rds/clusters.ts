import {
  DBClusterSnapshotNotFoundFault,
  type DeleteDBClusterMessage,
  type ModifyDBClusterMessage,
  type RestoreDBClusterFromSnapshotMessage,
  type RestoreDBClusterToPointInTimeMessage,
} from '@aws-sdk/client-rds';
import { RDS_ERRORS } from '../../../functions/shared/aws/rds-errors.js';
import { masterPasswordRefusal } from '../../../functions/shared/aws/rds-identifiers.js';
import {
  clusterIdentifierTaken,
  pointInTimeRestoreRefusal,
} from '../../../functions/shared/aws/rds-requests.js';
import { CLUSTER_LIFECYCLES } from '../../../functions/shared/aws/rds-statuses.js';
import { AwsError } from '../../core/errors.js';
import { type ClusterRecord, toTags } from '../../core/state.js';
import {
  clusterOf,
  defaultParameterGroup,
  identifier,
  meta,
  quota,
  type Rds,
  rdsError,
  required,
  resourceId,
  subnetGroupNotFound,
} from './lookups.js';
import { clusterView, membersOf } from './views.js';

/** The restore's parameters RDS refuses before it looks at the source (and what the stand-in cannot do). */
function checkRestore(input: RestoreDBClusterToPointInTimeMessage): void {
  if (input.RestoreType !== 'copy-on-write') {
    throw new AwsError(
      'InvalidParameterValue',
      'The local stand-in restores copy-on-write clones only: set RestoreType=copy-on-write.',
    );
  }
  const refusal = pointInTimeRestoreRefusal(input);
  if (refusal) throw rdsError(refusal);
}

/** A new cluster restored from `source`: `creating`, until the lifecycle has copied its data. */
async function restore(
  rds: Rds,
  input: RestoreDBClusterToPointInTimeMessage | RestoreDBClusterFromSnapshotMessage,
  source: ClusterRecord,
  action: string,
) {
  const { account, data } = rds;
  const id = identifier(input.DBClusterIdentifier, 'DBClusterIdentifier');
  if (clusterIdentifierTaken(id, Object.values(data.clusters)))
    throw rdsError(RDS_ERRORS.clusterAlreadyExists());
  if (Object.keys(data.clusters).length >= quota(rds, 'DBClusters'))
    throw rdsError(RDS_ERRORS.clusterQuotaExceeded(quota(rds, 'DBClusters')));
  const subnetGroup = input.DBSubnetGroupName ?? source.subnetGroup;
  if (!data.subnetGroups[subnetGroup.toLowerCase()]) throw subnetGroupNotFound(`'${subnetGroup}'`);
  const created: ClusterRecord = {
    ...source,
    id,
    arn: account.arn('rds', `cluster:${id}`),
    resourceId: resourceId('cluster'),
    status: CLUSTER_LIFECYCLES.restore[0],
    port: await rds.lifecycle.portFor(id),
    subnetGroup: subnetGroup.toLowerCase(),
    securityGroupIds: input.VpcSecurityGroupIds ?? [],
    clusterParameterGroup: input.DBClusterParameterGroupName ?? defaultParameterGroup(source.engineVersion),
    tags: toTags(input.Tags),
    createdAt: new Date().toISOString(),
    cloneOf: source.id,
    deletionProtection: input.DeletionProtection ?? false,
    pendingPassword: false,
  };
  data.clusters[id] = created;
  rds.lifecycle.restored(created, source, rds.faults.outcome('rds', action) ?? 'available');
  return { DBCluster: clusterView(account, created) };
}

/** RestoreDBClusterToPointInTime: a copy-on-write clone of an available cluster. */
export function restoreDBClusterToPointInTime(rds: Rds, input: RestoreDBClusterToPointInTimeMessage) {
  const source = clusterOf(rds, required(input.SourceDBClusterIdentifier, 'SourceDBClusterIdentifier'));
  checkRestore(input);
  if (
    source.status !== 'available' ||
    !membersOf(rds.account, source.id).some((i) => i.status === 'available')
  ) {
    throw rdsError(RDS_ERRORS.sourceNotCloneable(source.id));
  }
  return restore(rds, input, source, 'RestoreDBClusterToPointInTime');
}

/** RestoreDBClusterFromSnapshot: the stand-in keeps no snapshots, so none is ever found. */
export function restoreDBClusterFromSnapshot(_rds: Rds, input: RestoreDBClusterFromSnapshotMessage): never {
  throw new DBClusterSnapshotNotFoundFault({
    message: `DBClusterSnapshot ${input.SnapshotIdentifier} not found. (The local stand-in keeps no snapshots.)`,
    ...meta,
  });
}

/**
 * ModifyDBCluster: deletion protection and security groups at once; the password and, with
 * ApplyImmediately, a new name in time. A new name without ApplyImmediately waits for the
 * maintenance window, which the stand-in does not model: it stays pending.
 */
export function modifyDBCluster(rds: Rds, input: ModifyDBClusterMessage) {
  const found = clusterOf(rds, required(input.DBClusterIdentifier, 'DBClusterIdentifier'));
  if (found.status !== 'available')
    throw rdsError(RDS_ERRORS.clusterNotAvailableForChange(found.id, found.status));
  const newId = input.NewDBClusterIdentifier
    ? identifier(input.NewDBClusterIdentifier, 'NewDBClusterIdentifier')
    : undefined;
  if (newId && clusterIdentifierTaken(newId, Object.values(rds.data.clusters)))
    throw rdsError(RDS_ERRORS.renameTargetExists(newId));
  const password =
    input.MasterUserPassword === undefined ? undefined : masterPasswordRefusal(input.MasterUserPassword);
  if (password) throw rdsError(password);
  if (input.DeletionProtection !== undefined) found.deletionProtection = input.DeletionProtection;
  if (input.VpcSecurityGroupIds) found.securityGroupIds = input.VpcSecurityGroupIds;
  if (newId && !input.ApplyImmediately) found.pendingIdentifier = newId;
  // The answer shows the cluster as the request found it, with what is now pending.
  const view = clusterView(rds.account, found);
  if (input.MasterUserPassword !== undefined) {
    rds.lifecycle.passwordChanged(found, input.MasterUserPassword);
    view.PendingModifiedValues = { ...view.PendingModifiedValues, MasterUserPassword: '****' };
  }
  if (newId && input.ApplyImmediately) rds.lifecycle.renaming(found, newId);
  return { DBCluster: view };
}

/** DeleteDBCluster: without a final snapshot, once the cluster has no live instance left. */
export function deleteDBCluster(rds: Rds, input: DeleteDBClusterMessage) {
  const found = clusterOf(rds, required(input.DBClusterIdentifier, 'DBClusterIdentifier'));
  if (found.deletionProtection) {
    throw new AwsError(
      'InvalidParameterCombination',
      'Cannot delete protected Cluster, please disable deletion protection and try again.',
    );
  }
  if (!input.SkipFinalSnapshot) {
    throw new AwsError(
      'InvalidParameterCombination',
      'The local stand-in takes no final snapshots: set SkipFinalSnapshot=true.',
    );
  }
  const live = membersOf(rds.account, found.id).filter((i) => i.status !== 'deleting');
  if (live.length > 0 || found.status === 'deleting' || found.status === 'creating')
    throw rdsError(RDS_ERRORS.clusterNotDeletable(found.id, found.status));
  const view = clusterView(rds.account, found);
  rds.lifecycle.clusterDeleting(found);
  return { DBCluster: { ...view, Status: 'deleting' } };
}

/** The DB cluster actions, by action name. */
export const clusterOperations = {
  RestoreDBClusterToPointInTime: restoreDBClusterToPointInTime,
  RestoreDBClusterFromSnapshot: restoreDBClusterFromSnapshot,
  ModifyDBCluster: modifyDBCluster,
  DeleteDBCluster: deleteDBCluster,
} as const;
