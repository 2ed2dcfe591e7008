import type {
  AuthorizeSecurityGroupIngressRequest,
  CreateSecurityGroupRequest,
  DeleteSecurityGroupRequest,
  DescribeAvailabilityZonesRequest,
  DescribeSecurityGroupsRequest,
  DescribeSubnetsRequest,
  DescribeVpcsRequest,
  IpPermission,
  RevokeSecurityGroupIngressRequest,
} from '@aws-sdk/client-ec2';
import * as sdk from '@aws-sdk/client-ec2';
import { AwsError, missingParameter } from '../core/errors.js';
import type { Operation, ServiceContext, ServiceDefinition } from '../core/service.js';
import type { SecurityGroupRecord, Tag } from '../core/state.js';
import { applyFilters, ec2Page } from './ec2-filters.js';
import { groupView, seedNetwork, subnetView, vpcView, zones } from './ec2-network.js';
import { atomsOf, authorize, permissionsOf, revoke } from './ec2-rules.js';
import { checkTags, mergeTags, notFound, tagOperations } from './ec2-tags.js';

export { type SeededNetwork, seedNetwork } from './ec2-network.js';

/** Permissions of the legacy top-level parameters (CidrIp, IpProtocol, ports, SourceSecurityGroupName). */
function legacyPermissions(input: AuthorizeSecurityGroupIngressRequest): IpPermission[] {
  if (input.IpPermissions?.length) return input.IpPermissions;
  if (!input.CidrIp && !input.SourceSecurityGroupName) return [];
  return [
    {
      IpProtocol: input.IpProtocol ?? '-1',
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [],
      UserIdGroupPairs: input.SourceSecurityGroupName ? [{ GroupName: input.SourceSecurityGroupName }] : [],
    },
  ];
}

/**
 * Amazon EC2 (ec2Query): the network the clones need: VPCs, subnets, availability zones and
 * security groups with their ingress rules and tags, answered with EC2's error codes.
 */
export function ec2Service(context: ServiceContext): ServiceDefinition {
  const { account } = context;
  seedNetwork(account);

  const defaultVpcId = (): string => {
    const vpc = Object.values(account.data.vpcs).find((v) => v.isDefault);
    if (!vpc) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user');
    return vpc.id;
  };
  const group = (id: string | undefined, name?: string): SecurityGroupRecord => {
    if (id) {
      const found = account.data.securityGroups[id];
      if (!found) throw notFound('group', id);
      return found;
    }
    if (!name) throw missingParameter('GroupId');
    const vpcId = defaultVpcId();
    const found = Object.values(account.data.securityGroups).find(
      (g) => g.name === name && g.vpcId === vpcId,
    );
    if (!found) {
      throw new AwsError(
        'InvalidGroup.NotFound',
        `The security group '${name}' does not exist in default VPC '${vpcId}'`,
      );
    }
    return found;
  };

  const operations: Record<string, Operation> = {
    DescribeAvailabilityZones: (input: DescribeAvailabilityZonesRequest) => {
      let found = zones(account);
      for (const name of input.ZoneNames ?? []) {
        if (!found.some((z) => z.ZoneName === name)) {
          throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${name}]`);
        }
      }
      if (input.ZoneNames?.length) found = found.filter((z) => input.ZoneNames?.includes(z.ZoneName ?? ''));
      if (input.ZoneIds?.length) found = found.filter((z) => input.ZoneIds?.includes(z.ZoneId ?? ''));
      const fields = {
        'zone-name': (z: sdk.AvailabilityZone) => [z.ZoneName],
        'zone-id': (z: sdk.AvailabilityZone) => [z.ZoneId],
        state: (z: sdk.AvailabilityZone) => [z.State],
        'region-name': (z: sdk.AvailabilityZone) => [z.RegionName],
        'zone-type': (z: sdk.AvailabilityZone) => [z.ZoneType],
      };
      return { AvailabilityZones: applyFilters(found, input.Filters, fields, () => []) };
    },

    DescribeVpcs: (input: DescribeVpcsRequest) => {
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
    },

    DescribeSubnets: (input: DescribeSubnetsRequest) => {
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
    },

    DescribeSecurityGroups: (input: DescribeSecurityGroupsRequest) => {
      let chosen = Object.values(account.data.securityGroups);
      if (input.GroupIds?.length) chosen = input.GroupIds.map((id) => group(id));
      if (input.GroupNames?.length) {
        const byName = input.GroupNames.map((name) => group(undefined, name));
        chosen = chosen.filter((g) => byName.includes(g));
      }
      const filtered = applyFilters(
        chosen,
        input.Filters,
        {
          'group-id': (g) => [g.id],
          'group-name': (g) => [g.name],
          'vpc-id': (g) => [g.vpcId],
          description: (g) => [g.description],
          'owner-id': () => [account.accountId],
        },
        (g) => g.tags,
      );
      const given = Boolean(input.GroupIds?.length || input.GroupNames?.length);
      const page = ec2Page(filtered, input, { name: 'groupIds', given });
      return { SecurityGroups: page.items.map((g) => groupView(account, g)), NextToken: page.nextToken };
    },

    CreateSecurityGroup: (input: CreateSecurityGroupRequest) => {
      const name = input.GroupName ?? '';
      if (name === '') throw missingParameter('GroupName');
      if (!input.Description) throw missingParameter('GroupDescription');
      if (name.length > 255 || input.Description.length > 255) {
        throw new AwsError(
          'InvalidParameterValue',
          'Group names and descriptions are at most 255 characters long.',
        );
      }
      if (name.toLowerCase().startsWith('sg-')) {
        throw new AwsError(
          'InvalidParameterValue',
          `Value (${name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.`,
        );
      }
      const vpcId = input.VpcId ?? defaultVpcId();
      if (!account.data.vpcs[vpcId]) throw notFound('vpc', vpcId);
      if (name === 'default')
        throw new AwsError('InvalidGroup.Reserved', "The security group 'default' is reserved");
      const groups = Object.values(account.data.securityGroups);
      if (groups.some((g) => g.vpcId === vpcId && g.name === name)) {
        throw new AwsError(
          'InvalidGroup.Duplicate',
          `The security group '${name}' already exists for VPC '${vpcId}'`,
        );
      }
      const tags: Tag[] = [];
      for (const spec of input.TagSpecifications ?? []) {
        if (spec.ResourceType !== 'security-group') {
          throw new AwsError(
            'InvalidParameterValue',
            `'${spec.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`,
          );
        }
        tags.push(...checkTags(spec.Tags ?? []));
      }
      const id = account.id('sg');
      const record = {
        id,
        name,
        description: input.Description,
        vpcId,
        tags: mergeTags([], tags),
        ingress: [],
      };
      account.data.securityGroups[id] = record;
      context.log(`ec2: created security group ${id} (${name}) in ${vpcId}`);
      return { GroupId: id, Tags: record.tags, SecurityGroupArn: account.arn('ec2', `security-group/${id}`) };
    },

    AuthorizeSecurityGroupIngress: (input: AuthorizeSecurityGroupIngressRequest) => {
      const target = group(input.GroupId, input.GroupName);
      const permissions = legacyPermissions(input);
      if (permissions.length === 0) throw missingParameter('IpPermissions');
      const rules = authorize(account, target, atomsOf(account, target, permissions));
      return { Return: true, SecurityGroupRules: rules };
    },

    RevokeSecurityGroupIngress: (input: RevokeSecurityGroupIngressRequest) => {
      if (input.SecurityGroupRuleIds?.length) {
        throw new AwsError(
          'InvalidParameterValue',
          'The local stand-in revokes rules by IpPermissions only, not by SecurityGroupRuleIds.',
        );
      }
      const target = group(input.GroupId, input.GroupName);
      const permissions = legacyPermissions(input);
      if (permissions.length === 0) throw missingParameter('IpPermissions');
      const unknown = revoke(target, atomsOf(account, target, permissions));
      return {
        Return: true,
        ...(unknown.length > 0 ? { UnknownIpPermissions: permissionsOf(unknown) } : {}),
      };
    },

    DeleteSecurityGroup: (input: DeleteSecurityGroupRequest) => {
      const target = group(input.GroupId, input.GroupName);
      if (target.name === 'default') {
        throw new AwsError(
          'CannotDelete',
          `the specified group: "${target.id}" name: "default" cannot be deleted by a user`,
        );
      }
      const usedByCluster = Object.values(account.data.clusters).some((c) =>
        c.securityGroupIds.includes(target.id),
      );
      const referenced = Object.values(account.data.securityGroups).some(
        (g) => g.id !== target.id && g.ingress.some((rule) => rule.groupIds.includes(target.id)),
      );
      if (usedByCluster || referenced) {
        throw new AwsError('DependencyViolation', `resource ${target.id} has a dependent object`);
      }
      delete account.data.securityGroups[target.id];
      context.log(`ec2: deleted security group ${target.id} (${target.name})`);
      return { Return: true, GroupId: target.id };
    },
    ...tagOperations(account),
  };

  return {
    id: 'ec2',
    protocol: 'ec2',
    sdk,
    xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    version: '2016-11-15',
    operations: withDryRun(operations),
  };
}

/** EC2's DryRun: every action answers DryRunOperation (412) instead of acting. */
function withDryRun(operations: Record<string, Operation>): Record<string, Operation> {
  return Object.fromEntries(
    Object.entries(operations).map(([action, operation]) => [
      action,
      (input: { DryRun?: boolean }, request) => {
        if (input?.DryRun) {
          throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
        }
        return operation(input, request);
      },
    ]),
  );
}
