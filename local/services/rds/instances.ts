import type { CreateDBInstanceMessage, DeleteDBInstanceMessage } from '@aws-sdk/client-rds';
import { RDS_ERRORS } from '../../../functions/shared/aws/rds-errors.js';
import { INSTANCE_LIFECYCLES } from '../../../functions/shared/aws/rds-statuses.js';
import { type ClusterRecord, type InstanceRecord, toTags } from '../../core/state.js';
import {
  clusterOf,
  defaultParameterGroup,
  identifier,
  instanceOf,
  quota,
  type Rds,
  rdsError,
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
  if (data.instances[id]) throw rdsError(RDS_ERRORS.instanceAlreadyExists());
  if (Object.keys(data.instances).length >= quota(rds, 'DBInstances'))
    throw rdsError(RDS_ERRORS.instanceQuotaExceeded(quota(rds, 'DBInstances')));
  if (parent.status !== 'available')
    throw rdsError(RDS_ERRORS.clusterNotAvailableForInstance(parent.id, parent.status));
  const created: InstanceRecord = {
    id,
    arn: account.arn('rds', `db:${id}`),
    resourceId: resourceId('db'),
    clusterId: parent.id,
    instanceClass: input.DBInstanceClass ?? '',
    status: INSTANCE_LIFECYCLES.create[0],
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
  if (found.status === 'deleting') throw rdsError(RDS_ERRORS.instanceAlreadyDeleting(found.id));
  rds.lifecycle.instanceDeleting(found);
  return { DBInstance: instanceView(rds.account, found) };
}

/** The DB instance actions, by action name. */
export const instanceOperations = {
  CreateDBInstance: createDBInstance,
  DeleteDBInstance: deleteDBInstance,
} as const;
