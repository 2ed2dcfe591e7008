import type { AvailabilityZone, SecurityGroup, Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { Account, SecurityGroupRecord, SubnetRecord, Tag, VpcRecord } from '../core/state.js';

/** The seeded network: where the stand-in's source cluster lives. */
export interface SeededNetwork {
  /** The account's default VPC (172.31.0.0/16). */
  readonly defaultVpcId: string;
  /** The `legacy-prod` VPC (10.20.0.0/16) of the seeded source cluster. */
  readonly sourceVpcId: string;
  /** Its three subnets, in zones a, b and c. */
  readonly sourceSubnetIds: readonly string[];
}

const ZONES = ['a', 'b', 'c'] as const;
const SOURCE_VPC_NAME = 'legacy-prod';
const DIRECTIONS: Record<string, string> = {
  east: 'e',
  west: 'w',
  north: 'n',
  south: 's',
  central: 'c',
  northeast: 'ne',
  southeast: 'se',
  northwest: 'nw',
  southwest: 'sw',
};

/** AWS's zone id of a zone letter (`use1-az1` for us-east-1a; AWS maps them per account, we don't). */
export function zoneId(region: string, zoneName: string): string {
  const [geo = '', direction = '', number = ''] = region.split('-');
  const letter = zoneName.slice(region.length);
  return `${geo}${DIRECTIONS[direction] ?? direction.charAt(0)}${number}-az${letter.charCodeAt(0) - 96}`;
}

/** The availability zones of the account's region: a, b and c. */
export function zones(account: Account): AvailabilityZone[] {
  return ZONES.map((letter) => ({
    ZoneName: `${account.region}${letter}`,
    ZoneId: zoneId(account.region, `${account.region}${letter}`),
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: account.region,
    GroupName: account.region,
    NetworkBorderGroup: account.region,
    ZoneType: 'availability-zone',
  }));
}

function nameTag(tags: Tag[] | undefined): string | undefined {
  return tags?.find((tag) => tag.Key === 'Name')?.Value;
}

function addVpc(account: Account, cidr: string, isDefault: boolean, name?: string): VpcRecord {
  const vpc: VpcRecord = {
    id: account.id('vpc'),
    cidr,
    isDefault,
    tags: name ? [{ Key: 'Name', Value: name }] : [],
  };
  account.data.vpcs[vpc.id] = vpc;
  const [a = 0, b = 0] = cidr.split('.').map(Number);
  ZONES.forEach((letter, i) => {
    // Default VPCs get /20 subnets as AWS makes them; the source VPC gets /24s.
    const subnetCidr = isDefault ? `${a}.${b}.${i * 16}.0/20` : `${a}.${b}.${i + 1}.0/24`;
    const subnet: SubnetRecord = {
      id: account.id('subnet'),
      vpcId: vpc.id,
      availabilityZone: `${account.region}${letter}`,
      cidr: subnetCidr,
      tags: name ? [{ Key: 'Name', Value: `${name}-${letter}` }] : [],
    };
    account.data.subnets[subnet.id] = subnet;
  });
  return vpc;
}

/** Every VPC has its `default` security group, admitting traffic from its own members. */
function ensureDefaultGroup(account: Account, vpc: VpcRecord): void {
  const groups = Object.values(account.data.securityGroups);
  if (groups.some((g) => g.vpcId === vpc.id && g.name === 'default')) return;
  const id = account.id('sg');
  account.data.securityGroups[id] = {
    id,
    name: 'default',
    description: 'default VPC security group',
    vpcId: vpc.id,
    tags: [],
    ingress: [{ protocol: '-1', ipRanges: [], groupIds: [id] }],
  };
}

/**
 * Creates the default VPC and the `legacy-prod` VPC (three subnets each, in zones a, b, c,
 * and a `default` security group each) unless they exist; returns their ids.
 */
export function seedNetwork(account: Account): SeededNetwork {
  const vpcs = Object.values(account.data.vpcs);
  const defaultVpc = vpcs.find((v) => v.isDefault) ?? addVpc(account, '172.31.0.0/16', true);
  const sourceVpc =
    vpcs.find((v) => nameTag(v.tags) === SOURCE_VPC_NAME) ??
    addVpc(account, '10.20.0.0/16', false, SOURCE_VPC_NAME);
  for (const vpc of Object.values(account.data.vpcs)) ensureDefaultGroup(account, vpc);
  const sourceSubnetIds = Object.values(account.data.subnets)
    .filter((s) => s.vpcId === sourceVpc.id)
    .sort((x, y) => x.availabilityZone.localeCompare(y.availabilityZone))
    .map((s) => s.id);
  return { defaultVpcId: defaultVpc.id, sourceVpcId: sourceVpc.id, sourceSubnetIds };
}

/** A VPC as DescribeVpcs answers it. */
export function vpcView(account: Account, vpc: VpcRecord): Vpc {
  return {
    VpcId: vpc.id,
    CidrBlock: vpc.cidr,
    State: 'available',
    IsDefault: vpc.isDefault,
    OwnerId: account.accountId,
    InstanceTenancy: 'default',
    DhcpOptionsId: `dopt-${vpc.id.slice(4, 12)}`,
    CidrBlockAssociationSet: [
      {
        AssociationId: `vpc-cidr-assoc-${vpc.id.slice(4)}`,
        CidrBlock: vpc.cidr,
        CidrBlockState: { State: 'associated' },
      },
    ],
    Tags: vpc.tags ?? [],
  };
}

/** Free addresses of a subnet: its size less AWS's five reserved addresses. */
function freeAddresses(cidr: string): number {
  const bits = Number(cidr.split('/')[1] ?? 32);
  return 2 ** (32 - bits) - 5;
}

/** A subnet as DescribeSubnets answers it. */
export function subnetView(account: Account, subnet: SubnetRecord): Subnet {
  const vpc = account.data.vpcs[subnet.vpcId];
  return {
    SubnetId: subnet.id,
    SubnetArn: account.arn('ec2', `subnet/${subnet.id}`),
    VpcId: subnet.vpcId,
    CidrBlock: subnet.cidr,
    AvailabilityZone: subnet.availabilityZone,
    AvailabilityZoneId: zoneId(account.region, subnet.availabilityZone),
    State: 'available',
    AvailableIpAddressCount: freeAddresses(subnet.cidr),
    DefaultForAz: vpc?.isDefault ?? false,
    MapPublicIpOnLaunch: vpc?.isDefault ?? false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    OwnerId: account.accountId,
    Tags: subnet.tags ?? [],
  };
}

/** A security group as DescribeSecurityGroups answers it (egress: AWS's default allow-all rule). */
export function groupView(account: Account, group: SecurityGroupRecord): SecurityGroup {
  return {
    GroupId: group.id,
    GroupName: group.name,
    Description: group.description,
    VpcId: group.vpcId,
    OwnerId: account.accountId,
    SecurityGroupArn: account.arn('ec2', `security-group/${group.id}`),
    Tags: group.tags,
    IpPermissions: group.ingress.map((rule) => ({
      IpProtocol: rule.protocol,
      ...(rule.protocol === '-1' ? {} : { FromPort: rule.fromPort, ToPort: rule.toPort }),
      IpRanges: rule.ipRanges.map((r) => ({ CidrIp: r.cidr, Description: r.description })),
      Ipv6Ranges: (rule.ipv6Ranges ?? []).map((r) => ({ CidrIpv6: r.cidr, Description: r.description })),
      UserIdGroupPairs: rule.groupIds.map((id) => ({
        GroupId: id,
        UserId: account.accountId,
        Description: rule.groupDescriptions?.[id],
      })),
      PrefixListIds: [],
    })),
    IpPermissionsEgress: [
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [],
        PrefixListIds: [],
      },
    ],
  };
}
