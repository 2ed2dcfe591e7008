import type {
  AddTagsToResourceMessage,
  DescribeDBClustersMessage,
  DescribeDBInstancesMessage,
  ListTagsForResourceMessage,
  RemoveTagsFromResourceMessage,
} from '@aws-sdk/client-rds';
import { withoutTags, withTags } from '../../../functions/shared/aws/tags.js';
import { clusterOf, instanceOf, quota, type Rds, required, taggable } from './lookups.js';
import { filterValues, page } from './paging.js';
import { clusterView, instanceView } from './views.js';

/** DescribeDBClusters: one cluster, or all of them filtered by `db-cluster-id` and `engine`, paged. */
export function describeDBClusters(rds: Rds, input: DescribeDBClustersMessage) {
  const { account, data } = rds;
  let found = input.DBClusterIdentifier
    ? [clusterOf(rds, input.DBClusterIdentifier)]
    : Object.values(data.clusters);
  const ids = filterValues(input.Filters, 'db-cluster-id');
  if (ids) found = found.filter((c) => ids.includes(c.id) || ids.includes(c.arn));
  const engines = filterValues(input.Filters, 'engine');
  if (engines) found = found.filter((c) => engines.includes(c.engine));
  const { items, marker } = page(found, input.MaxRecords, input.Marker);
  return { DBClusters: items.map((c) => clusterView(account, c)), Marker: marker };
}

/** DescribeDBInstances: one instance, or all of them filtered by `db-cluster-id` and `db-instance-id`, paged. */
export function describeDBInstances(rds: Rds, input: DescribeDBInstancesMessage) {
  const { account, data } = rds;
  let found = input.DBInstanceIdentifier
    ? [instanceOf(rds, input.DBInstanceIdentifier)]
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
}

/** DescribeAccountAttributes: the DB cluster and instance quotas, with how much of each is used. */
export function describeAccountAttributes(rds: Rds) {
  const { data } = rds;
  return {
    AccountQuotas: [
      {
        AccountQuotaName: 'DBClusters',
        Used: Object.keys(data.clusters).length,
        Max: quota(rds, 'DBClusters'),
      },
      {
        AccountQuotaName: 'DBInstances',
        Used: Object.keys(data.instances).length,
        Max: quota(rds, 'DBInstances'),
      },
    ],
  };
}

/** ListTagsForResource: the tags of a cluster, instance or subnet group. */
export function listTagsForResource(rds: Rds, input: ListTagsForResourceMessage) {
  return { TagList: taggable(rds, input.ResourceName).tags };
}

/** AddTagsToResource: adds tags, replacing the values of keys already there. */
export function addTagsToResource(rds: Rds, input: AddTagsToResourceMessage) {
  const resource = taggable(rds, input.ResourceName);
  resource.tags = withTags(resource.tags, required(input.Tags, 'Tags'));
  return {};
}

/** RemoveTagsFromResource: removes the tags of the given keys. */
export function removeTagsFromResource(rds: Rds, input: RemoveTagsFromResourceMessage) {
  const resource = taggable(rds, input.ResourceName);
  const keys = required(input.TagKeys, 'TagKeys');
  resource.tags = withoutTags(resource.tags, keys);
  return {};
}

/** The describe and tagging actions, by action name. */
export const describeOperations = {
  DescribeDBClusters: describeDBClusters,
  DescribeDBInstances: describeDBInstances,
  DescribeAccountAttributes: describeAccountAttributes,
  ListTagsForResource: listTagsForResource,
  AddTagsToResource: addTagsToResource,
  RemoveTagsFromResource: removeTagsFromResource,
} as const;
