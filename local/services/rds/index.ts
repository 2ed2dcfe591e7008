import { randomBytes } from 'node:crypto';
import * as sdk from '@aws-sdk/client-rds';
import {
  type AddTagsToResourceMessage,
  type CreateDBInstanceMessage,
  type CreateDBSubnetGroupMessage,
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  DBClusterQuotaExceededFault,
  DBClusterSnapshotNotFoundFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSubnetGroupAlreadyExistsFault,
  DBSubnetGroupNotFoundFault,
  type DeleteDBClusterMessage,
  type DeleteDBInstanceMessage,
  type DeleteDBSubnetGroupMessage,
  type DescribeDBClustersMessage,
  type DescribeDBInstancesMessage,
  type DescribeDBSubnetGroupsMessage,
  InstanceQuotaExceededFault,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
  InvalidDBSubnetGroupStateFault,
  type ListTagsForResourceMessage,
  type ModifyDBClusterMessage,
  type RemoveTagsFromResourceMessage,
  type RestoreDBClusterFromSnapshotMessage,
  type RestoreDBClusterToPointInTimeMessage,
} from '@aws-sdk/client-rds';
import { AwsError, missingParameter } from '../../core/errors.js';
import type { ServiceContext, ServiceDefinition } from '../../core/service.js';
import { type ClusterRecord, type InstanceRecord, toTags } from '../../core/state.js';
import { type DataPlanePort, RdsLifecycle } from './lifecycle.js';
import { filterValues, page } from './paging.js';
import { RDS_QUOTAS } from './timing.js';
import { clusterView, instanceView, membersOf, subnetGroupView } from './views.js';

const meta = { $metadata: {} };

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

/** RDS identifiers: a letter first, then letters, digits and single hyphens; 1 to 63; case-insensitive. */
function identifier(value: string | undefined, name: string): string {
  const id = required(value, name).toLowerCase();
  if (!/^[a-z](?:-?[a-z0-9])*$/.test(id) || id.length > 63) {
    throw new AwsError(
      'InvalidParameterValue',
      `The parameter ${name} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return id;
}

/**
 * Amazon RDS (awsQuery), for Aurora PostgreSQL: what the handlers and the CLI call, with
 * RDS's lifecycle states and error codes, over real PostgreSQL servers.
 */
export function rdsService(
  context: ServiceContext,
  dataPlane: DataPlanePort,
): ServiceDefinition & { lifecycle: RdsLifecycle } {
  const { account, faults } = context;
  const { data } = account;
  const lifecycle = new RdsLifecycle(context, dataPlane);
  const quota = (name: keyof typeof RDS_QUOTAS) => data.quotas[name] ?? RDS_QUOTAS[name];

  const cluster = (id: string | undefined): ClusterRecord => {
    const found = data.clusters[(id ?? '').split(':').pop()?.toLowerCase() ?? ''];
    if (!found) throw new DBClusterNotFoundFault({ message: `DBCluster ${id} not found.`, ...meta });
    return found;
  };
  const instance = (id: string | undefined): InstanceRecord => {
    const found = data.instances[(id ?? '').toLowerCase()];
    if (!found) throw new DBInstanceNotFoundFault({ message: `DBInstance ${id} not found.`, ...meta });
    return found;
  };
  const taggable = (arn: string | undefined) => {
    const name = required(arn, 'ResourceName');
    const [, , , , , kind, id = ''] = name.split(':');
    const found =
      kind === 'cluster'
        ? data.clusters[id]
        : kind === 'db'
          ? data.instances[id]
          : kind === 'subgrp'
            ? data.subnetGroups[id]
            : undefined;
    if (!found) {
      if (kind === 'db')
        throw new DBInstanceNotFoundFault({ message: `DBInstance ${id} not found.`, ...meta });
      if (kind === 'subgrp')
        throw new DBSubnetGroupNotFoundFault({ message: `DBSubnetGroup ${id} not found.`, ...meta });
      throw new DBClusterNotFoundFault({ message: `DBCluster ${id} not found.`, ...meta });
    }
    return found;
  };

  async function restore(
    input: RestoreDBClusterToPointInTimeMessage | RestoreDBClusterFromSnapshotMessage,
    source: ClusterRecord,
    action: string,
  ) {
    const id = identifier(input.DBClusterIdentifier, 'DBClusterIdentifier');
    if (data.clusters[id])
      throw new DBClusterAlreadyExistsFault({ message: `DB Cluster already exists`, ...meta });
    if (Object.keys(data.clusters).length >= quota('DBClusters')) {
      throw new DBClusterQuotaExceededFault({
        message: `Cannot create more than ${quota('DBClusters')} DB clusters for this account.`,
        ...meta,
      });
    }
    const subnetGroup = input.DBSubnetGroupName ?? source.subnetGroup;
    if (!data.subnetGroups[subnetGroup.toLowerCase()]) {
      throw new DBSubnetGroupNotFoundFault({ message: `DBSubnetGroup '${subnetGroup}' not found.`, ...meta });
    }
    const created: ClusterRecord = {
      ...source,
      id,
      arn: account.arn('rds', `cluster:${id}`),
      resourceId: `cluster-${randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`,
      status: 'creating',
      port: await lifecycle.portFor(id),
      subnetGroup: subnetGroup.toLowerCase(),
      securityGroupIds: input.VpcSecurityGroupIds ?? [],
      clusterParameterGroup:
        input.DBClusterParameterGroupName ?? `default.aurora-postgresql${source.engineVersion.split('.')[0]}`,
      tags: toTags(input.Tags),
      createdAt: new Date().toISOString(),
      cloneOf: source.id,
      deletionProtection: input.DeletionProtection ?? false,
      pendingPassword: false,
    };
    data.clusters[id] = created;
    lifecycle.restored(created, source, faults.outcome('rds', action) ?? 'available');
    return { DBCluster: clusterView(account, created) };
  }

  const operations = {
    DescribeDBClusters(input: DescribeDBClustersMessage) {
      let found = input.DBClusterIdentifier
        ? [cluster(input.DBClusterIdentifier)]
        : Object.values(data.clusters);
      const ids = filterValues(input.Filters, 'db-cluster-id');
      if (ids) found = found.filter((c) => ids.includes(c.id) || ids.includes(c.arn));
      const engines = filterValues(input.Filters, 'engine');
      if (engines) found = found.filter((c) => engines.includes(c.engine));
      const { items, marker } = page(found, input.MaxRecords, input.Marker);
      return { DBClusters: items.map((c) => clusterView(account, c)), Marker: marker };
    },
    DescribeDBInstances(input: DescribeDBInstancesMessage) {
      let found = input.DBInstanceIdentifier
        ? [instance(input.DBInstanceIdentifier)]
        : Object.values(data.instances);
      const clusters = filterValues(input.Filters, 'db-cluster-id');
      if (clusters)
        found = found.filter(
          (i) =>
            clusters.includes(i.clusterId) || clusters.includes(account.arn('rds', `cluster:${i.clusterId}`)),
        );
      const ids = filterValues(input.Filters, 'db-instance-id');
      if (ids) found = found.filter((i) => ids.includes(i.id) || ids.includes(i.arn));
      const { items, marker } = page(found, input.MaxRecords, input.Marker);
      return { DBInstances: items.map((i) => instanceView(account, i)), Marker: marker };
    },
    DescribeDBSubnetGroups(input: DescribeDBSubnetGroupsMessage) {
      const name = input.DBSubnetGroupName?.toLowerCase();
      const found = name ? [data.subnetGroups[name]] : Object.values(data.subnetGroups);
      if (name && !found[0])
        throw new DBSubnetGroupNotFoundFault({
          message: `DBSubnetGroup ${input.DBSubnetGroupName} not found.`,
          ...meta,
        });
      const { items, marker } = page(
        found.filter((g) => g !== undefined),
        input.MaxRecords,
        input.Marker,
      );
      return { DBSubnetGroups: items.map((g) => subnetGroupView(account, g)), Marker: marker };
    },
    DescribeAccountAttributes() {
      return {
        AccountQuotas: [
          {
            AccountQuotaName: 'DBClusters',
            Used: Object.keys(data.clusters).length,
            Max: quota('DBClusters'),
          },
          {
            AccountQuotaName: 'DBInstances',
            Used: Object.keys(data.instances).length,
            Max: quota('DBInstances'),
          },
        ],
      };
    },
    CreateDBSubnetGroup(input: CreateDBSubnetGroupMessage) {
      const name = required(input.DBSubnetGroupName, 'DBSubnetGroupName').toLowerCase();
      required(input.DBSubnetGroupDescription, 'DBSubnetGroupDescription');
      const subnetIds = required(input.SubnetIds, 'SubnetIds');
      if (data.subnetGroups[name])
        throw new DBSubnetGroupAlreadyExistsFault({
          message: `The DB subnet group '${name}' already exists.`,
          ...meta,
        });
      const subnets = subnetIds.map((id) => data.subnets[id]);
      const missing = subnetIds.filter((id) => !data.subnets[id]);
      if (missing.length > 0)
        throw new AwsError('InvalidSubnet', `Some input subnets in :[${missing.join(', ')}] are invalid.`);
      const vpcs = new Set(subnets.map((s) => s?.vpcId));
      if (vpcs.size > 1)
        throw new AwsError(
          'InvalidParameterValue',
          'Some of the subnets to be added do not belong to the same VPC.',
        );
      if (new Set(subnets.map((s) => s?.availabilityZone)).size < 2) {
        throw new AwsError(
          'DBSubnetGroupDoesNotCoverEnoughAZs',
          "The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: 1. Add subnets to cover at least 2 AZs.",
        );
      }
      data.subnetGroups[name] = {
        name,
        arn: account.arn('rds', `subgrp:${name}`),
        description: input.DBSubnetGroupDescription ?? '',
        vpcId: subnets[0]?.vpcId ?? '',
        subnetIds,
        tags: toTags(input.Tags),
      };
      return { DBSubnetGroup: subnetGroupView(account, data.subnetGroups[name]) };
    },
    DeleteDBSubnetGroup(input: DeleteDBSubnetGroupMessage) {
      const name = required(input.DBSubnetGroupName, 'DBSubnetGroupName').toLowerCase();
      if (!data.subnetGroups[name])
        throw new DBSubnetGroupNotFoundFault({ message: `DBSubnetGroup ${name} not found.`, ...meta });
      if (Object.values(data.clusters).some((c) => c.subnetGroup === name)) {
        throw new InvalidDBSubnetGroupStateFault({
          message: `Cannot delete the subnet group '${name}' because at least one database cluster: ${Object.values(data.clusters).find((c) => c.subnetGroup === name)?.id} is still using it.`,
          ...meta,
        });
      }
      delete data.subnetGroups[name];
      return {};
    },
    ListTagsForResource(input: ListTagsForResourceMessage) {
      return { TagList: taggable(input.ResourceName).tags };
    },
    AddTagsToResource(input: AddTagsToResourceMessage) {
      const resource = taggable(input.ResourceName);
      for (const tag of toTags(required(input.Tags, 'Tags'))) {
        resource.tags = [...resource.tags.filter((t) => t.Key !== tag.Key), tag];
      }
      return {};
    },
    RemoveTagsFromResource(input: RemoveTagsFromResourceMessage) {
      const resource = taggable(input.ResourceName);
      const keys = required(input.TagKeys, 'TagKeys');
      resource.tags = resource.tags.filter((t) => !keys.includes(t.Key));
      return {};
    },
    async RestoreDBClusterToPointInTime(input: RestoreDBClusterToPointInTimeMessage) {
      const source = cluster(required(input.SourceDBClusterIdentifier, 'SourceDBClusterIdentifier'));
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
      if (
        source.status !== 'available' ||
        !membersOf(account, source.id).some((i) => i.status === 'available')
      ) {
        throw new InvalidDBClusterStateFault({
          message: `DBCluster ${source.id} is not in available state or has no available instance.`,
          ...meta,
        });
      }
      return restore(input, source, 'RestoreDBClusterToPointInTime');
    },
    RestoreDBClusterFromSnapshot(input: RestoreDBClusterFromSnapshotMessage) {
      throw new DBClusterSnapshotNotFoundFault({
        message: `DBClusterSnapshot ${input.SnapshotIdentifier} not found. (The local stand-in keeps no snapshots.)`,
        ...meta,
      });
    },
    async CreateDBInstance(input: CreateDBInstanceMessage) {
      const id = identifier(input.DBInstanceIdentifier, 'DBInstanceIdentifier');
      required(input.DBInstanceClass, 'DBInstanceClass');
      required(input.Engine, 'Engine');
      const parent = cluster(required(input.DBClusterIdentifier, 'DBClusterIdentifier'));
      if (data.instances[id])
        throw new DBInstanceAlreadyExistsFault({ message: 'DB instance already exists', ...meta });
      if (Object.keys(data.instances).length >= quota('DBInstances')) {
        throw new InstanceQuotaExceededFault({
          message: `Cannot create more than ${quota('DBInstances')} DB instances.`,
          ...meta,
        });
      }
      if (parent.status !== 'available') {
        throw new InvalidDBClusterStateFault({
          message: `DB Cluster ${parent.id} is in ${parent.status} state.`,
          ...meta,
        });
      }
      const subnets = data.subnetGroups[parent.subnetGroup]?.subnetIds ?? [];
      const zones = subnets.map((s) => data.subnets[s]?.availabilityZone).filter((z) => z !== undefined);
      const created: InstanceRecord = {
        id,
        arn: account.arn('rds', `db:${id}`),
        resourceId: `db-${randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`,
        clusterId: parent.id,
        instanceClass: input.DBInstanceClass ?? '',
        status: 'creating',
        parameterGroup:
          input.DBParameterGroupName ?? `default.aurora-postgresql${parent.engineVersion.split('.')[0]}`,
        availabilityZone:
          input.AvailabilityZone ??
          zones[membersOf(account, parent.id).length % Math.max(zones.length, 1)] ??
          `${account.region}a`,
        tags: toTags(input.Tags),
        createdAt: new Date().toISOString(),
      };
      data.instances[id] = created;
      lifecycle.instanceCreated(created, faults.outcome('rds', 'CreateDBInstance') ?? 'available');
      return { DBInstance: instanceView(account, created) };
    },
    DeleteDBInstance(input: DeleteDBInstanceMessage) {
      const found = instance(required(input.DBInstanceIdentifier, 'DBInstanceIdentifier'));
      if (found.status === 'deleting') {
        throw new InvalidDBInstanceStateFault({
          message: `Instance ${found.id} is already being deleted.`,
          ...meta,
        });
      }
      lifecycle.instanceDeleting(found);
      return { DBInstance: instanceView(account, found) };
    },
    ModifyDBCluster(input: ModifyDBClusterMessage) {
      const found = cluster(required(input.DBClusterIdentifier, 'DBClusterIdentifier'));
      if (found.status !== 'available') {
        throw new InvalidDBClusterStateFault({
          message: `DB cluster ${found.id} is not available (it is ${found.status}).`,
          ...meta,
        });
      }
      const newId = input.NewDBClusterIdentifier
        ? identifier(input.NewDBClusterIdentifier, 'NewDBClusterIdentifier')
        : undefined;
      if (newId && data.clusters[newId])
        throw new DBClusterAlreadyExistsFault({ message: `DB Cluster ${newId} already exists`, ...meta });
      if (input.DeletionProtection !== undefined) found.deletionProtection = input.DeletionProtection;
      if (input.VpcSecurityGroupIds) found.securityGroupIds = input.VpcSecurityGroupIds;
      const view = clusterView(account, found);
      if (input.MasterUserPassword !== undefined) {
        if (
          input.MasterUserPassword.length < 8 ||
          input.MasterUserPassword.length > 128 ||
          /[/"@ ]/.test(input.MasterUserPassword)
        ) {
          throw new AwsError(
            'InvalidParameterValue',
            "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used, 8 to 128 of them.",
          );
        }
        lifecycle.passwordChanged(found, input.MasterUserPassword);
        view.PendingModifiedValues = { MasterUserPassword: '****' };
      }
      if (newId) lifecycle.renaming(found, newId);
      return { DBCluster: view };
    },
    DeleteDBCluster(input: DeleteDBClusterMessage) {
      const found = cluster(required(input.DBClusterIdentifier, 'DBClusterIdentifier'));
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
      const live = membersOf(account, found.id).filter((i) => i.status !== 'deleting');
      if (live.length > 0 || found.status === 'deleting' || found.status === 'creating') {
        throw new InvalidDBClusterStateFault({
          message:
            found.status === 'available'
              ? 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.'
              : `DB cluster ${found.id} is ${found.status}.`,
          ...meta,
        });
      }
      const view = clusterView(account, found);
      lifecycle.clusterDeleting(found);
      return { DBCluster: { ...view, Status: 'deleting' } };
    },
  };
  return {
    id: 'rds',
    protocol: 'query',
    sdk: sdk as unknown as Record<string, unknown>,
    xmlNamespace: 'http://rds.amazonaws.com/doc/2014-10-31/',
    version: '2014-10-31',
    operations,
    lifecycle,
  };
}
