import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSubnetGroupAlreadyExistsFault,
  DBSubnetGroupNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
  InvalidDBSubnetGroupStateFault,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { binder, type Guard, type Stub } from './bind.js';
import { fakeRdsChanges } from './rds-modify.js';
import { clusterView, instanceView, tagsOf } from './rds-views.js';
import { type FakeCluster, type FakeInstance, type FakeState, rdsArn, SUBNETS } from './state.js';

const meta = { $metadata: {} };

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
  const cluster = (id: string | undefined) => {
    const found = state.clusters.get(id ?? '');
    if (!found) throw new DBClusterNotFoundFault({ message: `DBCluster ${id} not found.`, ...meta });
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
    const id = input.DBClusterIdentifier ?? '';
    if (state.clusterIdTaken(id))
      throw new DBClusterAlreadyExistsFault({ message: `DB Cluster ${id} already exists`, ...meta });
    const created: FakeCluster = {
      ...from,
      id,
      arn: rdsArn('cluster', id),
      status: 'creating',
      port: input.Port ?? from.port,
      subnetGroup: input.DBSubnetGroupName ?? from.subnetGroup,
      securityGroupIds: input.VpcSecurityGroupIds ?? [],
      parameterGroup: input.DBClusterParameterGroupName ?? 'default.aurora-postgresql15',
      tags: tagsOf(input.Tags),
      pendingPassword: false,
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
    if (input.DBInstanceIdentifier) {
      const found = state.instances.get(input.DBInstanceIdentifier);
      if (!found)
        throw new DBInstanceNotFoundFault({
          message: `DBInstance ${input.DBInstanceIdentifier} not found.`,
          ...meta,
        });
      return { DBInstances: [instanceView(found)] };
    }
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
    const group = state.subnetGroups.get(input.DBSubnetGroupName);
    if (!group)
      throw new DBSubnetGroupNotFoundFault({
        message: `DBSubnetGroup ${input.DBSubnetGroupName} not found.`,
        ...meta,
      });
    return {
      DBSubnetGroups: [
        {
          DBSubnetGroupName: group.name,
          DBSubnetGroupArn: group.arn,
          VpcId: group.vpcId,
          SubnetGroupStatus: 'Complete',
          Subnets: group.subnetIds.map((SubnetIdentifier) => ({
            SubnetIdentifier,
            SubnetAvailabilityZone: {
              Name: SUBNETS.find((s) => s.SubnetId === SubnetIdentifier)?.AvailabilityZone,
            },
          })),
        },
      ],
    };
  });
  on(DescribeAccountAttributesCommand, () => ({
    AccountQuotas: [
      { AccountQuotaName: 'DBClusters', Used: state.clusters.size, Max: state.clusterQuota },
      { AccountQuotaName: 'DBInstances', Used: state.instances.size, Max: 40 },
    ],
  }));
  on(CreateDBSubnetGroupCommand, (input) => {
    const name = input.DBSubnetGroupName ?? '';
    if (state.subnetGroups.has(name)) {
      throw new DBSubnetGroupAlreadyExistsFault({
        message: `DBSubnetGroup ${name} already exists.`,
        ...meta,
      });
    }
    state.subnetGroups.set(name, {
      name,
      arn: rdsArn('subgrp', name),
      vpcId: SUBNETS.find((s) => s.SubnetId === input.SubnetIds?.[0])?.VpcId ?? '',
      subnetIds: input.SubnetIds ?? [],
      tags: tagsOf(input.Tags),
    });
    return { DBSubnetGroup: { DBSubnetGroupName: name, DBSubnetGroupArn: rdsArn('subgrp', name) } };
  });
  on(DeleteDBSubnetGroupCommand, (input) => {
    const name = input.DBSubnetGroupName ?? '';
    if (!state.subnetGroups.has(name))
      throw new DBSubnetGroupNotFoundFault({ message: `DBSubnetGroup ${name} not found.`, ...meta });
    if ([...state.clusters.values()].some((c) => c.subnetGroup === name)) {
      throw new InvalidDBSubnetGroupStateFault({
        message: `Cannot delete the subnet group '${name}' because it is in use.`,
        ...meta,
      });
    }
    state.subnetGroups.delete(name);
    return {};
  });
  on(RestoreDBClusterToPointInTimeCommand, (input) =>
    restore(input, cluster(input.SourceDBClusterIdentifier?.split(':').pop())),
  );
  on(RestoreDBClusterFromSnapshotCommand, (input) => restore(input, cluster('legacy-prod')));
  on(CreateDBInstanceCommand, (input) => {
    const id = input.DBInstanceIdentifier ?? '';
    if (state.instances.has(id))
      throw new DBInstanceAlreadyExistsFault({ message: `DB instance already exists`, ...meta });
    const parent = cluster(input.DBClusterIdentifier);
    if (parent.status !== 'available') {
      throw new InvalidDBClusterStateFault({
        message: `DBCluster ${parent.id} is in ${parent.status} state.`,
        ...meta,
      });
    }
    const created: FakeInstance = {
      id,
      clusterId: parent.id,
      instanceClass: input.DBInstanceClass ?? '',
      status: 'creating',
      parameterGroup: input.DBParameterGroupName ?? 'default.aurora-postgresql15',
      tags: tagsOf(input.Tags),
      ticks: state.behaviour.instanceTicks,
    };
    state.instances.set(id, created);
    return { DBInstance: instanceView(created) };
  });
  on(DeleteDBInstanceCommand, (input) => {
    const found = state.instances.get(input.DBInstanceIdentifier ?? '');
    if (!found)
      throw new DBInstanceNotFoundFault({
        message: `DBInstance ${input.DBInstanceIdentifier} not found.`,
        ...meta,
      });
    if (found.status === 'deleting') {
      throw new InvalidDBInstanceStateFault({
        message: `Instance ${found.id} is already being deleted.`,
        ...meta,
      });
    }
    found.status = 'deleting';
    found.ticks = 1;
    return { DBInstance: instanceView(found) };
  });
  fakeRdsChanges(on, state, cluster);
  on(DeleteDBClusterCommand, (input) => {
    const found = cluster(input.DBClusterIdentifier);
    const live = [...state.instances.values()].filter(
      (i) => i.clusterId === found.id && i.status !== 'deleting',
    );
    if (live.length > 0 || found.status === 'deleting' || found.status === 'creating') {
      throw new InvalidDBClusterStateFault({
        message: `Cluster cannot be deleted, it still contains DB instances in non-deleting state.`,
        ...meta,
      });
    }
    found.status = 'deleting';
    found.ticks = 1;
    return { DBCluster: clusterView(found, state) };
  });
  return mock;
}
