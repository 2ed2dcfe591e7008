import type {
  AuthorizeSecurityGroupIngressRequest,
  CreateSecurityGroupRequest,
  DeleteSecurityGroupRequest,
  DescribeSecurityGroupsRequest,
  IpPermission,
  RevokeSecurityGroupIngressRequest,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import { EC2_ERRORS } from '../../functions/shared/aws/ec2.js';
import { AwsError, missingParameter } from '../core/errors.js';
import type { ServiceContext } from '../core/service.js';
import type { Account, SecurityGroupRecord, Tag } from '../core/state.js';
import { applyFilters, ec2Page } from './ec2-filters.js';
import { groupView } from './ec2-network.js';
import { atomsOf, authorize, permissionsOf, revoke } from './ec2-rules.js';
import { checkTags, mergeTags, notFound } from './ec2-tags.js';

/** The account's default VPC, where a group named without a VpcId lives. */
function defaultVpcId(account: Account): string {
  const vpc = Object.values(account.data.vpcs).find((v) => v.isDefault);
  if (!vpc) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user');
  return vpc.id;
}

/** The security group a GroupId names, or a GroupName in the default VPC. */
function securityGroupOf(account: Account, id: string | undefined, name?: string): SecurityGroupRecord {
  if (id) {
    const found = account.data.securityGroups[id];
    if (!found) throw notFound('group', id);
    return found;
  }
  if (!name) throw missingParameter('GroupId');
  const vpcId = defaultVpcId(account);
  const found = Object.values(account.data.securityGroups).find((g) => g.name === name && g.vpcId === vpcId);
  if (!found) {
    throw new AwsError(
      'InvalidGroup.NotFound',
      `The security group '${name}' does not exist in default VPC '${vpcId}'`,
    );
  }
  return found;
}

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

/** DescribeSecurityGroups: by id, name or filter, paged. */
export function describeSecurityGroups(context: ServiceContext, input: DescribeSecurityGroupsRequest) {
  const { account } = context;
  let chosen = Object.values(account.data.securityGroups);
  if (input.GroupIds?.length) chosen = input.GroupIds.map((id) => securityGroupOf(account, id));
  if (input.GroupNames?.length) {
    const byName = input.GroupNames.map((name) => securityGroupOf(account, undefined, name));
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
}

/** The name and description of a new group, refused as EC2 refuses them. */
function checkNewGroup(input: CreateSecurityGroupRequest): { name: string; description: string } {
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
  return { name, description: input.Description };
}

/** The tags of a new group's TagSpecifications, which may only name `security-group`. */
function specifiedTags(specs: readonly TagSpecification[] | undefined): Tag[] {
  const tags: Tag[] = [];
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== 'security-group') {
      throw new AwsError(
        'InvalidParameterValue',
        `'${spec.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`,
      );
    }
    tags.push(...checkTags(spec.Tags ?? []));
  }
  return tags;
}

/** CreateSecurityGroup: a new group, with no ingress rule, in the given or default VPC. */
export function createSecurityGroup(context: ServiceContext, input: CreateSecurityGroupRequest) {
  const { account } = context;
  const { name, description } = checkNewGroup(input);
  const vpcId = input.VpcId ?? defaultVpcId(account);
  if (!account.data.vpcs[vpcId]) throw notFound('vpc', vpcId);
  if (name === 'default')
    throw new AwsError('InvalidGroup.Reserved', "The security group 'default' is reserved");
  if (Object.values(account.data.securityGroups).some((g) => g.vpcId === vpcId && g.name === name)) {
    const refusal = EC2_ERRORS.groupDuplicate(name, vpcId);
    throw new AwsError(refusal.name, refusal.message);
  }
  const tags = specifiedTags(input.TagSpecifications);
  const id = account.id('sg');
  const record = { id, name, description, vpcId, tags: mergeTags([], tags), ingress: [] };
  account.data.securityGroups[id] = record;
  context.log(`ec2: created security group ${id} (${name}) in ${vpcId}`);
  return { GroupId: id, Tags: record.tags, SecurityGroupArn: account.arn('ec2', `security-group/${id}`) };
}

/** AuthorizeSecurityGroupIngress: adds rules, given as IpPermissions or the legacy parameters. */
export function authorizeSecurityGroupIngress(
  context: ServiceContext,
  input: AuthorizeSecurityGroupIngressRequest,
) {
  const { account } = context;
  const target = securityGroupOf(account, input.GroupId, input.GroupName);
  const permissions = legacyPermissions(input);
  if (permissions.length === 0) throw missingParameter('IpPermissions');
  const rules = authorize(account, target, atomsOf(account, target, permissions));
  return { Return: true, SecurityGroupRules: rules };
}

/** RevokeSecurityGroupIngress: removes rules; those the group does not have come back as unknown. */
export function revokeSecurityGroupIngress(
  context: ServiceContext,
  input: RevokeSecurityGroupIngressRequest,
) {
  const { account } = context;
  if (input.SecurityGroupRuleIds?.length) {
    throw new AwsError(
      'InvalidParameterValue',
      'The local stand-in revokes rules by IpPermissions only, not by SecurityGroupRuleIds.',
    );
  }
  const target = securityGroupOf(account, input.GroupId, input.GroupName);
  const permissions = legacyPermissions(input);
  if (permissions.length === 0) throw missingParameter('IpPermissions');
  const unknown = revoke(target, atomsOf(account, target, permissions));
  return {
    Return: true,
    ...(unknown.length > 0 ? { UnknownIpPermissions: permissionsOf(unknown) } : {}),
  };
}

/** DeleteSecurityGroup: refused for `default` and for a group a cluster or another group's rule uses. */
export function deleteSecurityGroup(context: ServiceContext, input: DeleteSecurityGroupRequest) {
  const { account } = context;
  const target = securityGroupOf(account, input.GroupId, input.GroupName);
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
    const refusal = EC2_ERRORS.dependencyViolation(target.id);
    throw new AwsError(refusal.name, refusal.message);
  }
  delete account.data.securityGroups[target.id];
  context.log(`ec2: deleted security group ${target.id} (${target.name})`);
  return { Return: true, GroupId: target.id };
}

/** The security group actions, by action name. */
export const groupOperations = {
  DescribeSecurityGroups: describeSecurityGroups,
  CreateSecurityGroup: createSecurityGroup,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
  DeleteSecurityGroup: deleteSecurityGroup,
} as const;
