import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { DBSubnetGroupNotFoundFault, DescribeDBSubnetGroupsCommand } from '@aws-sdk/client-rds';
import { ec2 } from '../shared/clients/ec2.js';
import { rds } from '../shared/clients/rds.js';
import { NetworkInvalid } from '../shared/errors.js';

/** Where the clone lives: its VPC, subnets and DB subnet group. */
export interface CloneSubnets {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly dbSubnetGroupName: string;
  readonly createSubnetGroup: boolean;
}

/**
 * Reuses the source's DB subnet group, so the clone sits next to production with no new network
 * resource to clean up.
 */
export async function sourceSubnets(
  subnetGroupName: string | undefined,
  source: string,
): Promise<CloneSubnets> {
  if (subnetGroupName === undefined || subnetGroupName === '') {
    throw new NetworkInvalid(
      `Source cluster "${source}" has no DB subnet group; give target.subnets as two or more subnet ids.`,
    );
  }
  try {
    const response = await rds.send(
      new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: subnetGroupName }),
    );
    const group = response.DBSubnetGroups?.[0];
    const subnetIds = (group?.Subnets ?? []).flatMap((subnet) =>
      subnet.SubnetIdentifier === undefined ? [] : [subnet.SubnetIdentifier],
    );
    if (group?.VpcId === undefined) throw missingGroup(subnetGroupName, source);
    return { vpcId: group.VpcId, subnetIds, dbSubnetGroupName: subnetGroupName, createSubnetGroup: false };
  } catch (error) {
    if (error instanceof DBSubnetGroupNotFoundFault) throw missingGroup(subnetGroupName, source, error);
    throw error;
  }
}

function missingGroup(name: string, source: string, cause?: unknown): NetworkInvalid {
  return new NetworkInvalid(
    `DB subnet group "${name}" of source cluster "${source}" was not found; give target.subnets as two or more subnet ids.`,
    { cause },
  );
}

/**
 * Checks the subnets the artifact names: all exist, all in one VPC, at least two AZs (Aurora's rule
 * for a DB subnet group). Reports every problem at once.
 */
export async function explicitSubnets(subnetIds: readonly string[], cloneId: string): Promise<CloneSubnets> {
  const response = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: [...subnetIds] }] }),
  );
  const found = response.Subnets ?? [];
  const missing = subnetIds.filter((id) => !found.some((subnet) => subnet.SubnetId === id));
  if (missing.length > 0) {
    throw new NetworkInvalid(
      `target.subnets: ${missing.map((id) => `"${id}"`).join(', ')} not found in this region/account; check the subnet ids.`,
    );
  }
  const vpcs = [...new Set(found.map((subnet) => subnet.VpcId ?? 'unknown'))];
  if (vpcs.length > 1) {
    const byVpc = vpcs.map(
      (vpc) =>
        `${vpc}: ${found
          .filter((subnet) => (subnet.VpcId ?? 'unknown') === vpc)
          .map((subnet) => subnet.SubnetId)
          .join(', ')}`,
    );
    throw new NetworkInvalid(
      `target.subnets are in ${vpcs.length} VPCs (${byVpc.join('; ')}); give subnets of one VPC.`,
    );
  }
  const zones = new Set(found.map((subnet) => subnet.AvailabilityZone));
  if (zones.size < 2) {
    throw new NetworkInvalid(
      `target.subnets are all in availability zone ${[...zones].join(', ')}; Aurora needs subnets in at least two availability zones.`,
    );
  }
  return {
    vpcId: vpcs[0] ?? '',
    subnetIds: [...subnetIds],
    dbSubnetGroupName: cloneId,
    createSubnetGroup: true,
  };
}

/** Checks the client security groups the artifact names exist and sit in the clone's VPC. */
export async function checkClientSecurityGroups(groupIds: readonly string[], vpcId: string): Promise<void> {
  if (groupIds.length === 0) return;
  const response = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [...groupIds] }] }),
  );
  const found = response.SecurityGroups ?? [];
  const missing = groupIds.filter((id) => !found.some((group) => group.GroupId === id));
  if (missing.length > 0) {
    throw new NetworkInvalid(
      `target.securityGroupIds: ${missing.map((id) => `"${id}"`).join(', ')} not found in this region/account; check the security group ids.`,
    );
  }
  const elsewhere = found.filter((group) => group.VpcId !== vpcId);
  if (elsewhere.length > 0) {
    throw new NetworkInvalid(
      `target.securityGroupIds: ${elsewhere.map((group) => `"${group.GroupId}" (in ${group.VpcId})`).join(', ')} not in the clone's VPC ${vpcId}; give security groups of that VPC.`,
    );
  }
}
