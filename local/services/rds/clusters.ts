import {
  DBClusterAlreadyExistsFault,
  DBClusterQuotaExceededFault,
  DBClusterSnapshotNotFoundFault,
  type DeleteDBClusterMessage,
  InvalidDBClusterStateFault,
  type ModifyDBClusterMessage,
  type RestoreDBClusterFromSnapshotMessage,
  type RestoreDBClusterToPointInTimeMessage,
} from '@aws-sdk/client-rds';
import { AwsError } from '../../core/errors.js';
import { type ClusterRecord, toTags } from '../../core/state.js';
import {
  clusterOf,
  defaultParameterGroup,
  identifier,
  meta,
  quota,
  type Rds,
  required,
  resourceId,
  subnetGroupNotFound,
} from './lookups.js';
import { clusterView, membersOf } from './views.js';

/** The restore's parameters RDS refuses before it looks at the source. */
function checkRestore(input: RestoreDBClusterToPointInTimeMessage): void {
  if (input.RestoreType !== 'copy-on-write') {
    throw new AwsError(
      'InvalidParameterValue',
      'The local stand-in restores copy-on-write clones only: set RestoreType=copy-on-write.',
    );
  }
  if (!input.UseLatestRestorableTime && !input.RestoreToTime) {
    throw new AwsError(
      'InvalidParameterCombination',
      'Either RestoreToTime or UseLatestRestorableTime must be specified.',
    );
  }
  if (input.UseLatestRestorableTime && input.RestoreToTime) {
    throw new AwsError(
      'InvalidParameterCombination',
      'Cannot specify both RestoreToTime and UseLatestRestorableTime.',
    );
  }
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
  if (data.clusters[id])
    throw new DBClusterAlreadyExistsFault({ message: `DB Cluster already exists`, ...meta });
  if (Object.keys(data.clusters).length >= quota(rds, 'DBClusters')) {
    throw new DBClusterQuotaExceededFault({
      message: `Cannot create more than ${quota(rds, 'DBClusters')} DB clusters for this account.`,
      ...meta,
    });
  }
  const subnetGroup = input.DBSubnetGroupName ?? source.subnetGroup;
  if (!data.subnetGroups[subnetGroup.toLowerCase()]) throw subnetGroupNotFound(`'${subnetGroup}'`);
  const created: ClusterRecord = {
    ...source,
    id,
    arn: account.arn('rds', `cluster:${id}`),
    resourceId: resourceId('cluster'),
    status: 'creating',
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
    throw new InvalidDBClusterStateFault({
      message: `DBCluster ${source.id} is not in available state or has no available instance.`,
      ...meta,
    });
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

/** A master password RDS takes: printable ASCII but `/`, `@`, `"` and space, 8 to 128 of them. */
function checkMasterPassword(password: string): void {
  if (password.length < 8 || password.length > 128 || /[/"@ ]/.test(password)) {
    throw new AwsError(
      'InvalidParameterValue',
      "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used, 8 to 128 of them.",
    );
  }
}

/** ModifyDBCluster: deletion protection and security groups at once; the password and a new name in time. */
export function modifyDBCluster(rds: Rds, input: ModifyDBClusterMessage) {
  const found = clusterOf(rds, required(input.DBClusterIdentifier, 'DBClusterIdentifier'));
  if (found.status !== 'available') {
    throw new InvalidDBClusterStateFault({
      message: `DB cluster ${found.id} is not available (it is ${found.status}).`,
      ...meta,
    });
  }
  const newId = input.NewDBClusterIdentifier
    ? identifier(input.NewDBClusterIdentifier, 'NewDBClusterIdentifier')
    : undefined;
  if (newId && rds.data.clusters[newId])
    throw new DBClusterAlreadyExistsFault({ message: `DB Cluster ${newId} already exists`, ...meta });
  if (input.DeletionProtection !== undefined) found.deletionProtection = input.DeletionProtection;
  if (input.VpcSecurityGroupIds) found.securityGroupIds = input.VpcSecurityGroupIds;
  const view = clusterView(rds.account, found);
  if (input.MasterUserPassword !== undefined) {
    checkMasterPassword(input.MasterUserPassword);
    rds.lifecycle.passwordChanged(found, input.MasterUserPassword);
    view.PendingModifiedValues = { MasterUserPassword: '****' };
  }
  if (newId) rds.lifecycle.renaming(found, newId);
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
  if (live.length > 0 || found.status === 'deleting' || found.status === 'creating') {
    throw new InvalidDBClusterStateFault({
      message:
        found.status === 'available'
          ? 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.'
          : `DB cluster ${found.id} is ${found.status}.`,
      ...meta,
    });
  }
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
