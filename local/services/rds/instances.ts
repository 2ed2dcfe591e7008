import {
  type CreateDBInstanceMessage,
  DBInstanceAlreadyExistsFault,
  type DeleteDBInstanceMessage,
  InstanceQuotaExceededFault,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
} from '@aws-sdk/client-rds';
import { type ClusterRecord, type InstanceRecord, toTags } from '../../core/state.js';
import {
  clusterOf,
  defaultParameterGroup,
  identifier,
  instanceOf,
  meta,
  quota,
  type Rds,
  required,
  resourceId,
} from './lookups.js';
import { instanceView, membersOf } from './views.js';

/** The zone of a cluster's next instance: its subnet group's zones in turn, as RDS spreads them. */
function nextZone(rds: Rds, parent: ClusterRecord): string {
  const { account, data } = rds;
  const subnets = data.subnetGroups[parent.subnetGroup]?.subnetIds ?? [];
  const zones = subnets.map((s) => data.subnets[s]?.availabilityZone).filter((z) => z !== undefined);
  return zones[membersOf(account, parent.id).length % Math.max(zones.length, 1)] ?? `${account.region}a`;
}

/** CreateDBInstance: a new instance in an available cluster, `creating` until the lifecycle is done. */
export function createDBInstance(rds: Rds, input: CreateDBInstanceMessage) {
  const { account, data } = rds;
  const id = identifier(input.DBInstanceIdentifier, 'DBInstanceIdentifier');
  required(input.DBInstanceClass, 'DBInstanceClass');
  required(input.Engine, 'Engine');
  const parent = clusterOf(rds, required(input.DBClusterIdentifier, 'DBClusterIdentifier'));
  if (data.instances[id])
    throw new DBInstanceAlreadyExistsFault({ message: 'DB instance already exists', ...meta });
  if (Object.keys(data.instances).length >= quota(rds, 'DBInstances')) {
    throw new InstanceQuotaExceededFault({
      message: `Cannot create more than ${quota(rds, 'DBInstances')} DB instances.`,
      ...meta,
    });
  }
  if (parent.status !== 'available') {
    throw new InvalidDBClusterStateFault({
      message: `DB Cluster ${parent.id} is in ${parent.status} state.`,
      ...meta,
    });
  }
  const created: InstanceRecord = {
    id,
    arn: account.arn('rds', `db:${id}`),
    resourceId: resourceId('db'),
    clusterId: parent.id,
    instanceClass: input.DBInstanceClass ?? '',
    status: 'creating',
    parameterGroup: input.DBParameterGroupName ?? defaultParameterGroup(parent.engineVersion),
    availabilityZone: input.AvailabilityZone ?? nextZone(rds, parent),
    tags: toTags(input.Tags),
    createdAt: new Date().toISOString(),
  };
  data.instances[id] = created;
  rds.lifecycle.instanceCreated(created, rds.faults.outcome('rds', 'CreateDBInstance') ?? 'available');
  return { DBInstance: instanceView(account, created) };
}

/** DeleteDBInstance: the instance goes `deleting`, then away; refused when it already is. */
export function deleteDBInstance(rds: Rds, input: DeleteDBInstanceMessage) {
  const found = instanceOf(rds, required(input.DBInstanceIdentifier, 'DBInstanceIdentifier'));
  if (found.status === 'deleting') {
    throw new InvalidDBInstanceStateFault({
      message: `Instance ${found.id} is already being deleted.`,
      ...meta,
    });
  }
  rds.lifecycle.instanceDeleting(found);
  return { DBInstance: instanceView(rds.account, found) };
}

/** The DB instance actions, by action name. */
export const instanceOperations = {
  CreateDBInstance: createDBInstance,
  DeleteDBInstance: deleteDBInstance,
} as const;
