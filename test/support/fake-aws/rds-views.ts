import { clusterEndpoints } from '../../../functions/shared/aws/rds-requests.js';
import { toTags } from '../../../functions/shared/aws/tags.js';
import { type FakeCluster, type FakeInstance, type FakeState, type FakeTag, REGION } from './state.js';

/** The fake account's endpoint suffix, as RDS makes one per account and region. */
export const ENDPOINT_SUFFIX = 'abcdefgh';

/** A cluster as DescribeDBClusters shows it: the endpoint follows the identifier, as RDS's DNS name does. */
export function clusterView(c: FakeCluster, state: FakeState) {
  return {
    DBClusterIdentifier: c.id,
    DBClusterArn: c.arn,
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    Status: c.status,
    Port: c.port,
    MasterUsername: c.masterUsername,
    DatabaseName: c.databaseName,
    ...clusterEndpoints(c.id, REGION, ENDPOINT_SUFFIX),
    DBSubnetGroup: c.subnetGroup,
    DBClusterParameterGroup: c.clusterParameterGroup,
    VpcSecurityGroups: c.securityGroupIds.map((VpcSecurityGroupId) => ({
      VpcSecurityGroupId,
      Status: 'active',
    })),
    DBClusterMembers: [...state.instances.values()]
      .filter((i) => i.clusterId === c.id)
      .map((i, index) => ({ DBInstanceIdentifier: i.id, IsClusterWriter: index === 0 })),
    TagList: c.tags,
    PendingModifiedValues:
      c.pendingPassword || c.pendingIdentifier !== undefined
        ? {
            ...(c.pendingPassword ? { MasterUserPassword: '****' } : {}),
            ...(c.pendingIdentifier !== undefined ? { DBClusterIdentifier: c.pendingIdentifier } : {}),
          }
        : undefined,
  };
}

/** An instance as DescribeDBInstances shows it. */
export function instanceView(i: FakeInstance) {
  return {
    DBInstanceIdentifier: i.id,
    DBClusterIdentifier: i.clusterId,
    DBInstanceStatus: i.status,
    DBInstanceClass: i.instanceClass,
    Engine: 'aurora-postgresql',
    DBParameterGroups: [{ DBParameterGroupName: i.parameterGroup, ParameterApplyStatus: 'in-sync' }],
    TagList: i.tags,
  };
}

/** Tags as the fake stores them. */
export function tagsOf(tags: { Key?: string; Value?: string }[] | undefined): FakeTag[] {
  return toTags(tags);
}
