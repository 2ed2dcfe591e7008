import type { AwsRefusal } from './refusal.js';

/**
 * RDS's error answers that both fakes of AWS give, by what went wrong: the SDK exception's name
 * (RDS API Reference, each action's "Errors") and RDS's message.
 *
 * A handler narrows on the name (`instanceof DBClusterNotFoundFault`), never on the message; the
 * messages are here so that the fakes cannot word the same answer two ways.
 */
export const RDS_ERRORS = {
  /** Describe/Modify/Delete of a cluster that does not exist. */
  clusterNotFound: (id: string | undefined): AwsRefusal => ({
    name: 'DBClusterNotFoundFault',
    message: `DBCluster ${id} not found.`,
  }),
  /** Describe/Delete of an instance that does not exist (wire code `DBInstanceNotFound`). */
  instanceNotFound: (id: string | undefined): AwsRefusal => ({
    name: 'DBInstanceNotFoundFault',
    message: `DBInstance ${id} not found.`,
  }),
  /** A subnet group that does not exist (the restore quotes the name, other actions do not). */
  subnetGroupNotFound: (name: string | undefined): AwsRefusal => ({
    name: 'DBSubnetGroupNotFoundFault',
    message: `DBSubnetGroup ${name} not found.`,
  }),
  /** A restore onto an identifier a cluster has, or is being renamed to. */
  clusterAlreadyExists: (): AwsRefusal => ({
    name: 'DBClusterAlreadyExistsFault',
    message: 'DB Cluster already exists',
  }),
  /** A rename onto an identifier a cluster has, or is being renamed to. */
  renameTargetExists: (newId: string): AwsRefusal => ({
    name: 'DBClusterAlreadyExistsFault',
    message: `DB Cluster ${newId} already exists`,
  }),
  /** CreateDBInstance with an identifier in use (wire code `DBInstanceAlreadyExists`). */
  instanceAlreadyExists: (): AwsRefusal => ({
    name: 'DBInstanceAlreadyExistsFault',
    message: 'DB instance already exists',
  }),
  /** CreateDBSubnetGroup with a name in use (wire code `DBSubnetGroupAlreadyExists`). */
  subnetGroupAlreadyExists: (name: string): AwsRefusal => ({
    name: 'DBSubnetGroupAlreadyExistsFault',
    message: `The DB subnet group '${name}' already exists.`,
  }),
  /** DeleteDBSubnetGroup of a group a cluster uses. */
  subnetGroupInUse: (name: string, clusterId: string): AwsRefusal => ({
    name: 'InvalidDBSubnetGroupStateFault',
    message: `Cannot delete the subnet group '${name}' because at least one database cluster: ${clusterId} is still using it.`,
  }),
  /** A restore beyond the region's `DBClusters` quota. */
  clusterQuotaExceeded: (max: number): AwsRefusal => ({
    name: 'DBClusterQuotaExceededFault',
    message: `Cannot create more than ${max} DB clusters for this account.`,
  }),
  /** CreateDBInstance beyond the region's `DBInstances` quota (wire code `InstanceQuotaExceeded`). */
  instanceQuotaExceeded: (max: number): AwsRefusal => ({
    name: 'InstanceQuotaExceededFault',
    message: `Cannot create more than ${max} DB instances.`,
  }),
  /** A clone of a source that is not `available` or has no available instance. */
  sourceNotCloneable: (id: string): AwsRefusal => ({
    name: 'InvalidDBClusterStateFault',
    message: `DBCluster ${id} is not in available state or has no available instance.`,
  }),
  /** CreateDBInstance in a cluster that is not `available`. */
  clusterNotAvailableForInstance: (id: string, status: string): AwsRefusal => ({
    name: 'InvalidDBClusterStateFault',
    message: `DB Cluster ${id} is in ${status} state.`,
  }),
  /** ModifyDBCluster of a cluster that is not `available`. */
  clusterNotAvailableForChange: (id: string, status: string): AwsRefusal => ({
    name: 'InvalidDBClusterStateFault',
    message: `DB cluster ${id} is not available (it is ${status}).`,
  }),
  /** DeleteDBCluster of a cluster with live instances, or that is `creating` or `deleting`. */
  clusterNotDeletable: (id: string, status: string): AwsRefusal => ({
    name: 'InvalidDBClusterStateFault',
    message:
      status === 'available'
        ? 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.'
        : `DB cluster ${id} is ${status}.`,
  }),
  /** DeleteDBInstance of an instance already `deleting` (wire code `InvalidDBInstanceState`). */
  instanceAlreadyDeleting: (id: string): AwsRefusal => ({
    name: 'InvalidDBInstanceStateFault',
    message: `Instance ${id} is already being deleted.`,
  }),
} as const;
