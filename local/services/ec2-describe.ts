import type {
  AvailabilityZone,
  DescribeAvailabilityZonesRequest,
  DescribeSubnetsRequest,
  DescribeVpcsRequest,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../core/errors.js';
import type { ServiceContext } from '../core/service.js';
import { applyFilters, ec2Page } from './ec2-filters.js';
import { subnetView, vpcView, zones } from './ec2-network.js';
import { notFound } from './ec2-tags.js';

/** DescribeAvailabilityZones: the region's zones, by name, id or filter. */
export function describeAvailabilityZones(context: ServiceContext, input: DescribeAvailabilityZonesRequest) {
  let found = zones(context.account);
  for (const name of input.ZoneNames ?? []) {
    if (!found.some((z) => z.ZoneName === name)) {
      throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${name}]`);
    }
  }
  if (input.ZoneNames?.length) found = found.filter((z) => input.ZoneNames?.includes(z.ZoneName ?? ''));
  if (input.ZoneIds?.length) found = found.filter((z) => input.ZoneIds?.includes(z.ZoneId ?? ''));
  const fields = {
    'zone-name': (z: AvailabilityZone) => [z.ZoneName],
    'zone-id': (z: AvailabilityZone) => [z.ZoneId],
    state: (z: AvailabilityZone) => [z.State],
    'region-name': (z: AvailabilityZone) => [z.RegionName],
    'zone-type': (z: AvailabilityZone) => [z.ZoneType],
  };
  return { AvailabilityZones: applyFilters(found, input.Filters, fields, () => []) };
}

/** DescribeVpcs: the VPCs, by id or filter, paged. */
export function describeVpcs(context: ServiceContext, input: DescribeVpcsRequest) {
  const { account } = context;
  const all = Object.values(account.data.vpcs);
  for (const id of input.VpcIds ?? []) if (!account.data.vpcs[id]) throw notFound('vpc', id);
  const chosen = input.VpcIds?.length ? all.filter((v) => input.VpcIds?.includes(v.id)) : all;
  const filtered = applyFilters(
    chosen,
    input.Filters,
    {
      'vpc-id': (v) => [v.id],
      'cidr-block': (v) => [v.cidr],
      cidr: (v) => [v.cidr],
      'cidr-block-association.cidr-block': (v) => [v.cidr],
      'is-default': (v) => [String(v.isDefault)],
      state: () => ['available'],
      'owner-id': () => [account.accountId],
    },
    (v) => v.tags ?? [],
  );
  const page = ec2Page(filtered, input, { name: 'vpcIds', given: Boolean(input.VpcIds?.length) });
  return { Vpcs: page.items.map((v) => vpcView(account, v)), NextToken: page.nextToken };
}

/** DescribeSubnets: the subnets, by id or filter, paged. */
export function describeSubnets(context: ServiceContext, input: DescribeSubnetsRequest) {
  const { account } = context;
  const all = Object.values(account.data.subnets);
  for (const id of input.SubnetIds ?? []) if (!account.data.subnets[id]) throw notFound('subnet', id);
  const chosen = input.SubnetIds?.length ? all.filter((s) => input.SubnetIds?.includes(s.id)) : all;
  const filtered = applyFilters(
    chosen,
    input.Filters,
    {
      'subnet-id': (s) => [s.id],
      'vpc-id': (s) => [s.vpcId],
      'availability-zone': (s) => [s.availabilityZone],
      'availability-zone-id': (s) => [subnetView(account, s).AvailabilityZoneId],
      'cidr-block': (s) => [s.cidr],
      'default-for-az': (s) => [String(account.data.vpcs[s.vpcId]?.isDefault ?? false)],
      state: () => ['available'],
      'owner-id': () => [account.accountId],
    },
    (s) => s.tags ?? [],
  );
  const page = ec2Page(filtered, input, { name: 'subnetIds', given: Boolean(input.SubnetIds?.length) });
  return { Subnets: page.items.map((s) => subnetView(account, s)), NextToken: page.nextToken };
}

/** The network's describe actions, by action name. */
export const describeOperations = {
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
} as const;
