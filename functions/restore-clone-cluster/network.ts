import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { CreateDBSubnetGroupCommand, DBSubnetGroupAlreadyExistsFault } from '@aws-sdk/client-rds';
import { ec2 } from '../shared/clients/ec2.js';
import { rds } from '../shared/clients/rds.js';
import { CloneConflict, isAwsError, NetworkInvalid, NotReady } from '../shared/errors.js';
import type { ClonePlan } from '../shared/plan.js';
import { findSubnetGroup, listTags } from '../shared/rds.js';
import { isManaged } from '../shared/tags.js';

/**
 * Creates the clone's own DB subnet group when the artifact named subnets; an existing group made
 * for this clone (a retry) is reused, anyone else's is left alone.
 */
export async function ensureSubnetGroup(plan: ClonePlan): Promise<void> {
  const { network, cloneId } = plan;
  if (!network.createSubnetGroup) return;
  try {
    await rds.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: network.dbSubnetGroupName,
        DBSubnetGroupDescription: `db-artifact-factory clone ${cloneId}`,
        SubnetIds: [...network.subnetIds],
        Tags: [...plan.tags],
      }),
    );
    return;
  } catch (error) {
    if (!(error instanceof DBSubnetGroupAlreadyExistsFault)) throw error;
  }
  const existing = await findSubnetGroup(network.dbSubnetGroupName);
  if (isManaged(await listTags(existing?.arn), cloneId)) return;
  throw new CloneConflict(
    `A DB subnet group named "${network.dbSubnetGroupName}" already exists and was not made for clone "${cloneId}"; choose another target.cloneName or delete that subnet group first.`,
  );
}

async function findSecurityGroup(plan: ClonePlan): Promise<SecurityGroup | undefined> {
  const response = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [plan.network.vpcId] },
        { Name: 'group-name', Values: [plan.network.securityGroupName] },
      ],
    }),
  );
  return response.SecurityGroups?.[0];
}

function owned(plan: ClonePlan, group: SecurityGroup): string {
  if (isManaged(group.Tags, plan.cloneId) && group.GroupId !== undefined) return group.GroupId;
  throw new CloneConflict(
    `Security group "${plan.network.securityGroupName}" (${group.GroupId}) already exists in ${plan.network.vpcId} and was not made for clone "${plan.cloneId}"; choose another target.cloneName or delete that security group first.`,
  );
}

async function ensureSecurityGroupExists(plan: ClonePlan): Promise<string> {
  const existing = await findSecurityGroup(plan);
  if (existing !== undefined) return owned(plan, existing);
  try {
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: plan.network.securityGroupName,
        Description: `db-artifact-factory clone ${plan.cloneId}: clients allowed on port ${plan.port}`,
        VpcId: plan.network.vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [...plan.tags] }],
      }),
    );
    if (created.GroupId !== undefined) return created.GroupId;
  } catch (error) {
    if (!isAwsError(error, 'InvalidGroup.Duplicate')) throw error;
  }
  // A concurrent retry created it between our describe and create.
  const raced = await findSecurityGroup(plan);
  if (raced !== undefined) return owned(plan, raced);
  throw new NotReady(
    `Security group "${plan.network.securityGroupName}" in ${plan.network.vpcId} is reported as existing but cannot be described yet; this step will be retried.`,
  );
}

/**
 * Creates (or reuses) the clone's security group and admits exactly the plan's clients on its port.
 *
 * Clients reach the clone only through this group, never through production's groups, so tearing
 * the clone down never changes who can reach production.
 */
export async function ensureSecurityGroup(plan: ClonePlan): Promise<string> {
  const { allowedCidrs, clientSecurityGroupIds } = plan.network;
  const open = allowedCidrs.find((cidr) => cidr.trim().endsWith('/0'));
  if (open !== undefined) {
    throw new NetworkInvalid(
      `The plan for clone "${plan.cloneId}" admits "${open}", every address; a clone is never opened to the world. Name narrower networks (check DEFAULT_ALLOWED_CIDRS).`,
    );
  }
  const groupId = await ensureSecurityGroupExists(plan);
  if (allowedCidrs.length === 0 && clientSecurityGroupIds.length === 0) return groupId;
  const description = `db-artifact-factory clone ${plan.cloneId}`;
  try {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: plan.port,
            ToPort: plan.port,
            IpRanges: allowedCidrs
              .filter((cidr) => !cidr.includes(':'))
              .map((CidrIp) => ({ CidrIp, Description: description })),
            Ipv6Ranges: allowedCidrs
              .filter((cidr) => cidr.includes(':'))
              .map((CidrIpv6) => ({ CidrIpv6, Description: description })),
            UserIdGroupPairs: clientSecurityGroupIds.map((GroupId) => ({
              GroupId,
              Description: description,
            })),
          },
        ],
      }),
    );
  } catch (error) {
    // The rules are already there: a retry after the first authorize succeeded.
    if (!isAwsError(error, 'InvalidPermission.Duplicate')) throw error;
  }
  return groupId;
}
