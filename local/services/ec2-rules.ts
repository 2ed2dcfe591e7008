import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { AwsError } from '../core/errors.js';
import type { Account, IngressRule, SecurityGroupRecord } from '../core/state.js';

/**
 * Security group ingress rules as EC2 counts them: one rule per protocol, port range and peer
 * (an IPv4 range, an IPv6 range or a security group).
 */
export interface RuleAtom {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly kind: 'cidr' | 'cidr6' | 'group';
  readonly peer: string;
  readonly description?: string;
}

/** AWS's quota of inbound rules per security group. */
const MAX_RULES = 60;

const PROTOCOLS: Record<string, string> = {
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  icmpv6: 'icmpv6',
  '58': 'icmpv6',
  '-1': '-1',
  all: '-1',
};

function protocolOf(value: string | undefined): string {
  const text = (value ?? '').toLowerCase();
  const known = PROTOCOLS[text];
  if (known) return known;
  if (/^\d+$/.test(text) && Number(text) <= 255) return text;
  throw new AwsError(
    'InvalidParameterValue',
    `Invalid value '${value ?? ''}' for IP protocol. Unknown protocol.`,
  );
}

function portsOf(protocol: string, from: number | undefined, to: number | undefined) {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (from === undefined || to === undefined) {
      throw new AwsError(
        'InvalidParameterValue',
        'Invalid value. Must specify both from and to ports with TCP/UDP.',
      );
    }
    if (from < 0 || to > 65535 || from > to) {
      throw new AwsError(
        'InvalidParameterValue',
        `Invalid port range: ${from}-${to}. Ports run from 0 to 65535.`,
      );
    }
    return { fromPort: from, toPort: to };
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') return { fromPort: from ?? -1, toPort: to ?? -1 };
  return {};
}

function checkCidr(cidr: string, ipv6: boolean): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const valid = ipv6
    ? /^[0-9a-fA-F:]+\/\d{1,3}$/.test(cidr) && Number(cidr.split('/')[1]) <= 128
    : Boolean(v4?.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(v4?.[5]) <= 32);
  if (!valid) throw new AwsError('InvalidParameterValue', `CIDR block ${cidr} is malformed`);
  return cidr;
}

/** The atoms of a request's IpPermissions, validated; group peers must exist in the group's VPC. */
export function atomsOf(
  account: Account,
  group: SecurityGroupRecord,
  permissions: readonly IpPermission[],
): RuleAtom[] {
  const atoms: RuleAtom[] = [];
  for (const permission of permissions) {
    const protocol = protocolOf(permission.IpProtocol);
    const ports = portsOf(protocol, permission.FromPort, permission.ToPort);
    for (const range of permission.IpRanges ?? []) {
      const peer = checkCidr(range.CidrIp ?? '', false);
      atoms.push({ protocol, ...ports, kind: 'cidr', peer, description: range.Description });
    }
    for (const range of permission.Ipv6Ranges ?? []) {
      const peer = checkCidr(range.CidrIpv6 ?? '', true);
      atoms.push({ protocol, ...ports, kind: 'cidr6', peer, description: range.Description });
    }
    for (const pair of permission.UserIdGroupPairs ?? []) {
      const groups = Object.values(account.data.securityGroups);
      const peer = pair.GroupId
        ? account.data.securityGroups[pair.GroupId]
        : groups.find((g) => g.name === pair.GroupName && g.vpcId === group.vpcId);
      if (!peer) {
        throw new AwsError(
          'InvalidGroup.NotFound',
          `The security group '${pair.GroupId ?? pair.GroupName}' does not exist`,
        );
      }
      if (peer.vpcId !== group.vpcId) {
        throw new AwsError(
          'InvalidGroup.NotFound',
          'You have specified two resources that belong to different networks.',
        );
      }
      atoms.push({ protocol, ...ports, kind: 'group', peer: peer.id, description: pair.Description });
    }
    if (
      !permission.IpRanges?.length &&
      !permission.Ipv6Ranges?.length &&
      !permission.UserIdGroupPairs?.length
    ) {
      throw new AwsError(
        'MissingParameter',
        'The request must contain a source: IpRanges, Ipv6Ranges or UserIdGroupPairs.',
      );
    }
  }
  return atoms;
}

/** The atoms a group's stored rules hold. */
export function atomsIn(group: SecurityGroupRecord): RuleAtom[] {
  return group.ingress.flatMap((rule) => {
    const base = { protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort };
    return [
      ...rule.ipRanges.map((r) => ({
        ...base,
        kind: 'cidr' as const,
        peer: r.cidr,
        description: r.description,
      })),
      ...(rule.ipv6Ranges ?? []).map((r) => ({
        ...base,
        kind: 'cidr6' as const,
        peer: r.cidr,
        description: r.description,
      })),
      ...rule.groupIds.map((id) => ({
        ...base,
        kind: 'group' as const,
        peer: id,
        description: rule.groupDescriptions?.[id],
      })),
    ];
  });
}

function same(a: RuleAtom, b: RuleAtom): boolean {
  return (
    a.protocol === b.protocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    a.kind === b.kind &&
    a.peer.toLowerCase() === b.peer.toLowerCase()
  );
}

function describe(atom: RuleAtom): string {
  const protocol = atom.protocol === '-1' ? 'ALL' : atom.protocol.toUpperCase();
  const ports = atom.fromPort === undefined ? '' : `, from port: ${atom.fromPort}, to port: ${atom.toPort}`;
  return `peer: ${atom.peer}, ${protocol}${ports}, ALLOW`;
}

/** The rules a group holds, rebuilt from atoms (one stored rule per protocol and port range). */
function rulesOf(atoms: readonly RuleAtom[]): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const atom of atoms) {
    let rule = rules.find(
      (r) => r.protocol === atom.protocol && r.fromPort === atom.fromPort && r.toPort === atom.toPort,
    );
    if (!rule) {
      rule = {
        protocol: atom.protocol,
        fromPort: atom.fromPort,
        toPort: atom.toPort,
        ipRanges: [],
        groupIds: [],
      };
      rules.push(rule);
    }
    const range = {
      cidr: atom.peer,
      ...(atom.description === undefined ? {} : { description: atom.description }),
    };
    if (atom.kind === 'cidr') rule.ipRanges.push(range);
    else if (atom.kind === 'cidr6') rule.ipv6Ranges = [...(rule.ipv6Ranges ?? []), range];
    else {
      rule.groupIds.push(atom.peer);
      if (atom.description !== undefined)
        rule.groupDescriptions = { ...rule.groupDescriptions, [atom.peer]: atom.description };
    }
  }
  return rules;
}

/** Adds rules all or nothing: one that exists already fails the whole request, as in EC2. */
export function authorize(
  account: Account,
  group: SecurityGroupRecord,
  adding: readonly RuleAtom[],
): SecurityGroupRule[] {
  const existing = atomsIn(group);
  adding.forEach((atom, i) => {
    if (existing.some((e) => same(e, atom)) || adding.slice(0, i).some((e) => same(e, atom))) {
      throw new AwsError(
        'InvalidPermission.Duplicate',
        `the specified rule "${describe(atom)}" already exists`,
      );
    }
  });
  if (existing.length + adding.length > MAX_RULES) {
    throw new AwsError(
      'RulesPerSecurityGroupLimitExceeded',
      'The maximum number of rules per security group has been reached.',
    );
  }
  group.ingress = rulesOf([...existing, ...adding]);
  return adding.map((atom) => ({
    SecurityGroupRuleId: account.id('sgr'),
    GroupId: group.id,
    GroupOwnerId: account.accountId,
    IsEgress: false,
    IpProtocol: atom.protocol,
    FromPort: atom.fromPort ?? -1,
    ToPort: atom.toPort ?? -1,
    ...(atom.kind === 'cidr' ? { CidrIpv4: atom.peer } : {}),
    ...(atom.kind === 'cidr6' ? { CidrIpv6: atom.peer } : {}),
    ...(atom.kind === 'group'
      ? { ReferencedGroupInfo: { GroupId: atom.peer, UserId: account.accountId } }
      : {}),
    Description: atom.description,
  }));
}

/** Removes the rules that exist; the unknown ones are returned, or fail the request when none is known. */
export function revoke(group: SecurityGroupRecord, removing: readonly RuleAtom[]): RuleAtom[] {
  const existing = atomsIn(group);
  const unknown = removing.filter((atom) => !existing.some((e) => same(e, atom)));
  if (unknown.length === removing.length) {
    throw new AwsError(
      'InvalidPermission.NotFound',
      'The specified rule does not exist in this security group.',
    );
  }
  group.ingress = rulesOf(existing.filter((e) => !removing.some((atom) => same(e, atom))));
  return unknown;
}

/** Atoms back as IpPermissions (for RevokeSecurityGroupIngress's UnknownIpPermissions). */
export function permissionsOf(atoms: readonly RuleAtom[]): IpPermission[] {
  return atoms.map((atom) => ({
    IpProtocol: atom.protocol,
    FromPort: atom.fromPort,
    ToPort: atom.toPort,
    IpRanges: atom.kind === 'cidr' ? [{ CidrIp: atom.peer }] : [],
    Ipv6Ranges: atom.kind === 'cidr6' ? [{ CidrIpv6: atom.peer }] : [],
    UserIdGroupPairs: atom.kind === 'group' ? [{ GroupId: atom.peer }] : [],
  }));
}
