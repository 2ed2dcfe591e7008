import type { DBCluster, DBInstance, DBSubnetGroup } from '@aws-sdk/client-rds';
import type { Account, ClusterRecord, InstanceRecord, SubnetGroupRecord } from '../../core/state.js';

/** The host every emulated endpoint listens on: each cluster is a server on its own loopback port. */
export const ENDPOINT_HOST = '127.0.0.1';

/** The cluster's instances, oldest first (the first is the writer). */
export function membersOf(account: Account, clusterId: string): InstanceRecord[] {
  return Object.values(account.data.instances)
    .filter((i) => i.clusterId === clusterId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A cluster as DescribeDBClusters shows it. */
export function clusterView(account: Account, c: ClusterRecord): DBCluster {
  const members = membersOf(account, c.id);
  return {
    DBClusterIdentifier: c.id,
    DBClusterArn: c.arn,
    DbClusterResourceId: c.resourceId,
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    EngineMode: 'provisioned',
    Status: c.status,
    Port: c.port,
    MasterUsername: c.masterUsername,
    DatabaseName: c.databaseName,
    Endpoint: ENDPOINT_HOST,
    ReaderEndpoint: ENDPOINT_HOST,
    MultiAZ: members.length > 1,
    DBSubnetGroup: c.subnetGroup,
    DBClusterParameterGroup: c.clusterParameterGroup,
    VpcSecurityGroups: c.securityGroupIds.map((VpcSecurityGroupId) => ({
      VpcSecurityGroupId,
      Status: 'active',
    })),
    DBClusterMembers: members.map((i, index) => ({
      DBInstanceIdentifier: i.id,
      IsClusterWriter: index === 0,
      DBClusterParameterGroupStatus: 'in-sync',
      PromotionTier: 1,
    })),
    AvailabilityZones: [...new Set(members.map((i) => i.availabilityZone))],
    ClusterCreateTime: new Date(c.createdAt),
    StorageEncrypted: true,
    DeletionProtection: c.deletionProtection,
    CopyTagsToSnapshot: false,
    CrossAccountClone: false,
    CloneGroupId: c.cloneOf ? `clone-group-${c.cloneOf}` : undefined,
    TagList: c.tags,
    PendingModifiedValues:
      c.pendingPassword || c.pendingIdentifier
        ? {
            ...(c.pendingPassword ? { MasterUserPassword: '****' } : {}),
            ...(c.pendingIdentifier ? { DBClusterIdentifier: c.pendingIdentifier } : {}),
          }
        : undefined,
  };
}

/** An instance as DescribeDBInstances shows it. */
export function instanceView(account: Account, i: InstanceRecord): DBInstance {
  const cluster = account.data.clusters[i.clusterId];
  const available = i.status === 'available' || i.status === 'modifying';
  return {
    DBInstanceIdentifier: i.id,
    DBInstanceArn: i.arn,
    DbiResourceId: i.resourceId,
    DBClusterIdentifier: i.clusterId,
    DBInstanceClass: i.instanceClass,
    Engine: cluster?.engine ?? 'aurora-postgresql',
    EngineVersion: cluster?.engineVersion,
    DBInstanceStatus: i.status,
    MasterUsername: cluster?.masterUsername,
    Endpoint: available && cluster ? { Address: ENDPOINT_HOST, Port: cluster.port } : undefined,
    AvailabilityZone: i.availabilityZone,
    PubliclyAccessible: false,
    DBParameterGroups: [{ DBParameterGroupName: i.parameterGroup, ParameterApplyStatus: 'in-sync' }],
    InstanceCreateTime: new Date(i.createdAt),
    TagList: i.tags,
  };
}

/** A subnet group as DescribeDBSubnetGroups shows it. */
export function subnetGroupView(account: Account, g: SubnetGroupRecord): DBSubnetGroup {
  return {
    DBSubnetGroupName: g.name,
    DBSubnetGroupArn: g.arn,
    DBSubnetGroupDescription: g.description,
    VpcId: g.vpcId,
    SubnetGroupStatus: 'Complete',
    Subnets: g.subnetIds.map((id) => ({
      SubnetIdentifier: id,
      SubnetStatus: 'Active',
      SubnetAvailabilityZone: { Name: account.data.subnets[id]?.availabilityZone },
    })),
  };
}
