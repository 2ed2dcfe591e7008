import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { RDS_ERRORS } from '../../../functions/shared/aws/rds-errors.js';
import { storedIdentifier } from '../../../functions/shared/aws/rds-identifiers.js';
import {
  clusterIdentifierTaken,
  pointInTimeRestoreRefusal,
  subnetGroupRefusal,
} from '../../../functions/shared/aws/rds-requests.js';
import { CLUSTER_LIFECYCLES, INSTANCE_LIFECYCLES } from '../../../functions/shared/aws/rds-statuses.js';
import { binder, type Guard, type Stub } from './bind.js';
import { fakeRdsChanges } from './rds-modify.js';
import { rdsError, rdsIdentifier } from './rds-rules.js';
import { clusterView, instanceView, tagsOf } from './rds-views.js';
import { type FakeCluster, type FakeInstance, type FakeState, rdsArn, SUBNETS } from './state.js';

/** The zone and VPC of one of the fake region's subnets. */
function placed(id: string) {
  const subnet = SUBNETS.find((s) => s.SubnetId === id);
  return subnet && { vpcId: subnet.VpcId, availabilityZone: subnet.AvailabilityZone };
}

/** Binds the fake's RDS behaviour to an aws-sdk-client-mock stub of RDSClient. */
export function fakeRds(mock: Stub, state: FakeState, guard: Guard) {
  // Time passes with every RDS call: lifecycles advance one step per call, so a retried
  // call (which in AWS comes seconds later) can find the resource ready.
  const on = binder(mock, (name, call) =>
    guard(name, () => {
      state.tick();
      return call();
    }),
  );
  // RDS identifiers are not case-sensitive; an ARN names a cluster too.
  const cluster = (id: string | undefined) => {
    const found = state.clusters.get(storedIdentifier((id ?? '').split(':').pop() ?? ''));
    if (!found) throw rdsError(RDS_ERRORS.clusterNotFound(id));
    return found;
  };
  const instance = (id: string | undefined) => {
    const found = state.instances.get(storedIdentifier(id ?? ''));
    if (!found) throw rdsError(RDS_ERRORS.instanceNotFound(id));
    return found;
  };
  const restore = (
    input: {
      DBClusterIdentifier?: string;
      Port?: number;
      DBSubnetGroupName?: string;
      VpcSecurityGroupIds?: string[];
      DBClusterParameterGroupName?: string;
      Tags?: { Key?: string; Value?: string }[];
    },
    from: FakeCluster,
  ) => {
    const id = rdsIdentifier(input.DBClusterIdentifier, 'DBClusterIdentifier');
    if (clusterIdentifierTaken(id, state.clusters.values()))
      throw rdsError(RDS_ERRORS.clusterAlreadyExists());
    if (state.clusters.size >= state.clusterQuota)
      throw rdsError(RDS_ERRORS.clusterQuotaExceeded(state.clusterQuota));
    const subnetGroup = storedIdentifier(input.DBSubnetGroupName ?? from.subnetGroup);
    if (!state.subnetGroups.has(subnetGroup))
      throw rdsError(RDS_ERRORS.subnetGroupNotFound(`'${input.DBSubnetGroupName ?? from.subnetGroup}'`));
    const created: FakeCluster = {
      ...from,
      id,
      arn: rdsArn('cluster', id),
      status: CLUSTER_LIFECYCLES.restore[0],
      port: input.Port ?? from.port,
      subnetGroup,
      securityGroupIds: input.VpcSecurityGroupIds ?? [],
      clusterParameterGroup: input.DBClusterParameterGroupName ?? 'default.aurora-postgresql15',
      tags: tagsOf(input.Tags),
      pendingPassword: false,
      renamingTo: undefined,
      pendingIdentifier: undefined,
      ticks: state.behaviour.clusterTicks,
    };
    state.clusters.set(id, created);
    return { DBCluster: clusterView(created, state) };
  };

  on(DescribeDBClustersCommand, (input) => {
    if (input.DBClusterIdentifier === undefined) {
      return { DBClusters: [...state.clusters.values()].map((c) => clusterView(c, state)) };
    }
    return { DBClusters: [clusterView(cluster(input.DBClusterIdentifier), state)] };
  });
  on(DescribeDBInstancesCommand, (input) => {
    if (input.DBInstanceIdentifier)
      return { DBInstances: [instanceView(instance(input.DBInstanceIdentifier))] };
    const clusterIds = input.Filters?.find((f) => f.Name === 'db-cluster-id')?.Values ?? [];
    return {
      DBInstances: [...state.instances.values()]
        .filter((i) => clusterIds.includes(i.clusterId))
        .map(instanceView),
    };
  });
  on(DescribeDBSubnetGroupsCommand, (input) => {
    if (input.DBSubnetGroupName === undefined) {
      return {
        DBSubnetGroups: [...state.subnetGroups.values()].map((g) => ({
          DBSubnetGroupName: g.name,
          DBSubnetGroupArn: g.arn,
          VpcId: g.vpcId,
        })),
      };
    }
    const group = state.subnetGroups.get(storedIdentifier(input.DBSubnetGroupName));
    if (!group) throw rdsError(RDS_ERRORS.subnetGroupNotFound(input.DBSubnetGroupName));
    return {
      DBSubnetGroups: [
        {
          DBSubnetGroupName: group.name,
          DBSubnetGroupArn: group.arn,
          VpcId: group.vpcId,
          SubnetGroupStatus: 'Complete',
          Subnets: group.subnetIds.map((SubnetIdentifier) => ({
            SubnetIdentifier,
            SubnetAvailabilityZone: { Name: placed(SubnetIdentifier)?.availabilityZone },
          })),
        },
      ],
    };
  });
  on(DescribeAccountAttributesCommand, () => ({
    AccountQuotas: [
      { AccountQuotaName: 'DBClusters', Used: state.clusters.size, Max: state.clusterQuota },
      { AccountQuotaName: 'DBInstances', Used: state.instances.size, Max: state.instanceQuota },
    ],
  }));
  on(CreateDBSubnetGroupCommand, (input) => {
    const name = storedIdentifier(input.DBSubnetGroupName ?? '');
    if (state.subnetGroups.has(name)) throw rdsError(RDS_ERRORS.subnetGroupAlreadyExists(name));
    const subnetIds = input.SubnetIds ?? [];
    const refusal = subnetGroupRefusal(subnetIds, placed);
    if (refusal) throw rdsError(refusal);
    state.subnetGroups.set(name, {
      name,
      arn: rdsArn('subgrp', name),
      vpcId: placed(subnetIds[0] ?? '')?.vpcId ?? '',
      subnetIds,
      tags: tagsOf(input.Tags),
    });
    return { DBSubnetGroup: { DBSubnetGroupName: name, DBSubnetGroupArn: rdsArn('subgrp', name) } };
  });
  on(DeleteDBSubnetGroupCommand, (input) => {
    const name = storedIdentifier(input.DBSubnetGroupName ?? '');
    if (!state.subnetGroups.has(name)) throw rdsError(RDS_ERRORS.subnetGroupNotFound(name));
    const user = [...state.clusters.values()].find((c) => c.subnetGroup === name);
    if (user) throw rdsError(RDS_ERRORS.subnetGroupInUse(name, user.id));
    state.subnetGroups.delete(name);
    return {};
  });
  on(RestoreDBClusterToPointInTimeCommand, (input) => {
    const source = cluster(input.SourceDBClusterIdentifier);
    const refusal = pointInTimeRestoreRefusal(input);
    if (refusal) throw rdsError(refusal);
    const live = [...state.instances.values()].some(
      (i) => i.clusterId === source.id && i.status === INSTANCE_LIFECYCLES.create.at(-1),
    );
    if (source.status !== 'available' || !live) throw rdsError(RDS_ERRORS.sourceNotCloneable(source.id));
    return restore(input, source);
  });
  on(RestoreDBClusterFromSnapshotCommand, (input) => restore(input, cluster('legacy-prod')));
  on(CreateDBInstanceCommand, (input) => {
    const id = rdsIdentifier(input.DBInstanceIdentifier, 'DBInstanceIdentifier');
    const parent = cluster(input.DBClusterIdentifier);
    if (state.instances.has(id)) throw rdsError(RDS_ERRORS.instanceAlreadyExists());
    if (state.instances.size >= state.instanceQuota)
      throw rdsError(RDS_ERRORS.instanceQuotaExceeded(state.instanceQuota));
    if (parent.status !== 'available')
      throw rdsError(RDS_ERRORS.clusterNotAvailableForInstance(parent.id, parent.status));
    const created: FakeInstance = {
      id,
      clusterId: parent.id,
      instanceClass: input.DBInstanceClass ?? '',
      status: INSTANCE_LIFECYCLES.create[0],
      parameterGroup: input.DBParameterGroupName ?? 'default.aurora-postgresql15',
      tags: tagsOf(input.Tags),
      ticks: state.behaviour.instanceTicks,
    };
    state.instances.set(id, created);
    return { DBInstance: instanceView(created) };
  });
  on(DeleteDBInstanceCommand, (input) => {
    const found = instance(input.DBInstanceIdentifier);
    if (found.status === INSTANCE_LIFECYCLES.delete[0])
      throw rdsError(RDS_ERRORS.instanceAlreadyDeleting(found.id));
    [found.status] = INSTANCE_LIFECYCLES.delete;
    found.ticks = state.behaviour.deleteTicks;
    return { DBInstance: instanceView(found) };
  });
  fakeRdsChanges(on, state, cluster);
  on(DeleteDBClusterCommand, (input) => {
    const found = cluster(input.DBClusterIdentifier);
    const live = [...state.instances.values()].filter(
      (i) => i.clusterId === found.id && i.status !== INSTANCE_LIFECYCLES.delete[0],
    );
    if (live.length > 0 || found.status === 'deleting' || found.status === 'creating')
      throw rdsError(RDS_ERRORS.clusterNotDeletable(found.id, found.status));
    [found.status] = CLUSTER_LIFECYCLES.delete;
    found.ticks = state.behaviour.deleteTicks;
    return { DBCluster: clusterView(found, state) };
  });
  return mock;
}
