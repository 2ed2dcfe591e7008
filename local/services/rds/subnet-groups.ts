import type {
  CreateDBSubnetGroupMessage,
  DeleteDBSubnetGroupMessage,
  DescribeDBSubnetGroupsMessage,
} from '@aws-sdk/client-rds';
import { RDS_ERRORS } from '../../../functions/shared/aws/rds-errors.js';
import { subnetGroupRefusal } from '../../../functions/shared/aws/rds-requests.js';
import { type SubnetRecord, toTags } from '../../core/state.js';
import { type Rds, rdsError, required, subnetGroupNotFound } from './lookups.js';
import { page } from './paging.js';
import { subnetGroupView } from './views.js';

/** The subnets of a new group, refused as RDS refuses them (`functions/shared/aws/rds-requests.ts`). */
function checkSubnets(rds: Rds, subnetIds: string[]): SubnetRecord[] {
  const refusal = subnetGroupRefusal(subnetIds, (id) => rds.data.subnets[id]);
  if (refusal) throw rdsError(refusal);
  return subnetIds.map((id) => rds.data.subnets[id]).filter((s) => s !== undefined);
}

/** CreateDBSubnetGroup: a named group of subnets of one VPC, in two zones or more. */
export function createDBSubnetGroup(rds: Rds, input: CreateDBSubnetGroupMessage) {
  const { account, data } = rds;
  const name = required(input.DBSubnetGroupName, 'DBSubnetGroupName').toLowerCase();
  required(input.DBSubnetGroupDescription, 'DBSubnetGroupDescription');
  const subnetIds = required(input.SubnetIds, 'SubnetIds');
  if (data.subnetGroups[name]) throw rdsError(RDS_ERRORS.subnetGroupAlreadyExists(name));
  const subnets = checkSubnets(rds, subnetIds);
  const group = {
    name,
    arn: account.arn('rds', `subgrp:${name}`),
    description: input.DBSubnetGroupDescription ?? '',
    vpcId: subnets[0]?.vpcId ?? '',
    subnetIds,
    tags: toTags(input.Tags),
  };
  data.subnetGroups[name] = group;
  return { DBSubnetGroup: subnetGroupView(account, group) };
}

/** DeleteDBSubnetGroup: refused while a cluster still uses the group. */
export function deleteDBSubnetGroup(rds: Rds, input: DeleteDBSubnetGroupMessage) {
  const { data } = rds;
  const name = required(input.DBSubnetGroupName, 'DBSubnetGroupName').toLowerCase();
  if (!data.subnetGroups[name]) throw subnetGroupNotFound(name);
  const user = Object.values(data.clusters).find((c) => c.subnetGroup === name);
  if (user) throw rdsError(RDS_ERRORS.subnetGroupInUse(name, user.id));
  delete data.subnetGroups[name];
  return {};
}

/** DescribeDBSubnetGroups: one group by name, or all of them, paged. */
export function describeDBSubnetGroups(rds: Rds, input: DescribeDBSubnetGroupsMessage) {
  const { account, data } = rds;
  const name = input.DBSubnetGroupName?.toLowerCase();
  const found = name ? [data.subnetGroups[name]] : Object.values(data.subnetGroups);
  if (name && !found[0]) throw subnetGroupNotFound(input.DBSubnetGroupName);
  const { items, marker } = page(
    found.filter((g) => g !== undefined),
    input.MaxRecords,
    input.Marker,
  );
  return { DBSubnetGroups: items.map((g) => subnetGroupView(account, g)), Marker: marker };
}

/** The subnet group actions, by action name. */
export const subnetGroupOperations = {
  CreateDBSubnetGroup: createDBSubnetGroup,
  DeleteDBSubnetGroup: deleteDBSubnetGroup,
  DescribeDBSubnetGroups: describeDBSubnetGroups,
} as const;
