import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  type CreateSecurityGroupCommandInput,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DeleteTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterRecord } from '../../../local/core/state.js';
import { ec2Service, type SeededNetwork, seedNetwork } from '../../../local/services/ec2.js';
import { type Harness, hasCli, startHarness } from './support.js';

let h: Harness;
let ec2: EC2Client;
let network: SeededNetwork;

beforeAll(async () => {
  h = await startHarness((context) => [ec2Service(context)]);
  ec2 = new EC2Client(h.config);
  network = seedNetwork(h.context.account);
});
afterAll(() => h.close());

/** The error an EC2 call fails with (EC2 errors reach the SDK by code, as `name`). */
async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

async function newGroup(
  name: string,
  vpcId = network.sourceVpcId,
  tags = [{ Key: 'dbaf:clone-id', Value: name }],
) {
  const created = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: name,
      Description: `group ${name}`,
      VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: tags }],
    }),
  );
  return created.GroupId ?? '';
}

describe('the seeded network', () => {
  it('is seeded once: seeding again returns the same ids', () => {
    expect(seedNetwork(h.context.account)).toEqual(network);
    expect(network.sourceSubnetIds).toHaveLength(3);
  });

  it('has a default VPC and the legacy-prod VPC, each with subnets in zones a, b and c', async () => {
    const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({}));
    expect(Vpcs.map((v) => [v.CidrBlock, v.IsDefault])).toEqual(
      expect.arrayContaining([
        ['172.31.0.0/16', true],
        ['10.20.0.0/16', false],
      ]),
    );
    const { Subnets = [] } = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [network.sourceVpcId] }] }),
    );
    expect(Subnets.map((s) => s.AvailabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(Subnets.every((s) => s.State === 'available' && s.VpcId === network.sourceVpcId)).toBe(true);
  });

  it('answers DescribeSubnets by subnet-id filter as the handlers ask, and by id, zone and tag', async () => {
    const ids = network.sourceSubnetIds.slice(0, 2);
    const byFilter = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: ids }] }),
    );
    expect(byFilter.Subnets?.map((s) => s.SubnetId).sort()).toEqual([...ids].sort());
    const byId = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ids }));
    expect(byId.Subnets).toHaveLength(2);
    const byZone = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }] }),
    );
    expect(byZone.Subnets).toHaveLength(2);
    const byTag = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:Name', Values: ['legacy-prod-*'] }] }),
    );
    expect(byTag.Subnets?.map((s) => s.SubnetId).sort()).toEqual([...network.sourceSubnetIds].sort());
  });

  it('finds nothing for an unknown subnet-id filter, but fails for an unknown SubnetId', async () => {
    const none = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: ['subnet-0000000000000000'] }] }),
    );
    expect(none.Subnets).toEqual([]);
    const error = await failure(
      ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0000000000000000'] })),
    );
    expect(error).toMatchObject({ name: 'InvalidSubnetID.NotFound', status: 400 });
  });

  it('rejects an unknown filter name as EC2 does', async () => {
    const error = await failure(
      ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })),
    );
    expect(error).toMatchObject({ name: 'InvalidParameterValue', message: "The filter 'colour' is invalid" });
  });

  it('lists three available zones of the region', async () => {
    const { AvailabilityZones = [] } = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(AvailabilityZones.map((z) => [z.ZoneName, z.ZoneId, z.State])).toEqual([
      ['us-east-1a', 'use1-az1', 'available'],
      ['us-east-1b', 'use1-az2', 'available'],
      ['us-east-1c', 'use1-az3', 'available'],
    ]);
  });

  it('pages DescribeVpcs with MaxResults and NextToken', async () => {
    const first = await ec2.send(new DescribeVpcsCommand({ MaxResults: 5 }));
    expect(first.Vpcs?.length).toBeGreaterThan(0);
    const error = await failure(ec2.send(new DescribeVpcsCommand({ MaxResults: 2 })));
    expect(error.name).toBe('InvalidParameterValue');
  });
});

describe('security groups', () => {
  it('are created with tags and found by vpc-id and group-name, as restore-clone-cluster asks', async () => {
    const id = await newGroup('dbaf-clone-a');
    const { SecurityGroups = [] } = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [network.sourceVpcId] },
          { Name: 'group-name', Values: ['dbaf-clone-a'] },
        ],
      }),
    );
    expect(SecurityGroups).toHaveLength(1);
    expect(SecurityGroups[0]).toMatchObject({
      GroupId: id,
      GroupName: 'dbaf-clone-a',
      Description: 'group dbaf-clone-a',
      VpcId: network.sourceVpcId,
      OwnerId: '000000000000',
      Tags: [{ Key: 'dbaf:clone-id', Value: 'dbaf-clone-a' }],
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
  });

  it('answers tag:<key> and tag-key filters, ANDed, as teardown asks', async () => {
    await newGroup('dbaf-clone-b', network.sourceVpcId, [
      { Key: 'dbaf:clone-id', Value: 'dbaf-clone-b' },
      { Key: 'dbaf:managed-by', Value: 'db-artifact-factory' },
    ]);
    const { SecurityGroups = [] } = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'tag:dbaf:clone-id', Values: ['dbaf-clone-b'] },
          { Name: 'tag:dbaf:managed-by', Values: ['db-artifact-factory'] },
        ],
      }),
    );
    expect(SecurityGroups.map((g) => g.GroupName)).toEqual(['dbaf-clone-b']);
    const byKey = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag-key', Values: ['dbaf:managed-by'] }] }),
    );
    expect(byKey.SecurityGroups?.map((g) => g.GroupName)).toEqual(['dbaf-clone-b']);
  });

  it('refuses a second group of the same name in a VPC with InvalidGroup.Duplicate', async () => {
    await newGroup('dbaf-dup');
    const error = await failure(newGroup('dbaf-dup'));
    expect(error).toMatchObject({
      name: 'InvalidGroup.Duplicate',
      message: `The security group 'dbaf-dup' already exists for VPC '${network.sourceVpcId}'`,
    });
    // The same name in another VPC is fine.
    await expect(newGroup('dbaf-dup', network.defaultVpcId)).resolves.toMatch(/^sg-/);
  });

  it.each<[Partial<CreateSecurityGroupCommandInput>, string]>([
    [{ GroupName: 'x', Description: 'd', VpcId: 'vpc-0123456789abcdef0' }, 'InvalidVpcID.NotFound'],
    [{ GroupName: 'x', VpcId: 'vpc-0123456789abcdef0' }, 'MissingParameter'],
    [{ GroupName: 'sg-x', Description: 'd' }, 'InvalidParameterValue'],
    [{ GroupName: 'default', Description: 'd' }, 'InvalidGroup.Reserved'],
  ])('refuses CreateSecurityGroup %j with %s', async (input, code) => {
    expect(
      (await failure(ec2.send(new CreateSecurityGroupCommand(input as CreateSecurityGroupCommandInput))))
        .name,
    ).toBe(code);
  });

  it('admits CIDRs and groups on a port, and refuses the same rule again with InvalidPermission.Duplicate', async () => {
    const id = await newGroup('dbaf-rules');
    const client = await newGroup('dbaf-client');
    const permission = {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office' }],
      Ipv6Ranges: [],
      UserIdGroupPairs: [{ GroupId: client, Description: 'app' }],
    };
    const added = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [permission] }),
    );
    expect(added.Return).toBe(true);
    expect(added.SecurityGroupRules).toHaveLength(2);
    const { SecurityGroups = [] } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
    expect(SecurityGroups[0]?.IpPermissions).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office' }],
        Ipv6Ranges: [],
        UserIdGroupPairs: [{ GroupId: client, UserId: '000000000000', Description: 'app' }],
        PrefixListIds: [],
      },
    ]);
    const again = await failure(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: id,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
          ],
        }),
      ),
    );
    expect(again).toMatchObject({
      name: 'InvalidPermission.Duplicate',
      message:
        'the specified rule "peer: 10.0.0.0/8, TCP, from port: 5432, to port: 5432, ALLOW" already exists',
    });
  });

  it('revokes a rule, and reports InvalidPermission.NotFound for one that is not there', async () => {
    const id = await newGroup('dbaf-revoke');
    const permission = {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      IpRanges: [{ CidrIp: '192.168.0.0/16' }],
    };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [permission] }));
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [permission] }));
    const { SecurityGroups = [] } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
    expect(SecurityGroups[0]?.IpPermissions).toEqual([]);
    const error = await failure(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [permission] })),
    );
    expect(error.name).toBe('InvalidPermission.NotFound');
  });

  it.each([
    [
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0/8' }] },
      'InvalidParameterValue',
    ],
    [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }, 'InvalidParameterValue'],
    [
      { IpProtocol: 'tcp', FromPort: 1, ToPort: 2, UserIdGroupPairs: [{ GroupId: 'sg-0nope' }] },
      'InvalidGroup.NotFound',
    ],
  ])('refuses the ingress rule %j with %s', async (permission, code) => {
    const id = await newGroup(`dbaf-bad-${code}-${Math.random().toString(36).slice(2, 6)}`);
    const error = await failure(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [permission] })),
    );
    expect(error.name).toBe(code);
  });

  it('deletes a group; an unknown group is InvalidGroup.NotFound', async () => {
    const id = await newGroup('dbaf-delete');
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: id }));
    const error = await failure(ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })));
    expect(error).toMatchObject({
      name: 'InvalidGroup.NotFound',
      message: `The security group '${id}' does not exist`,
    });
    const described = await failure(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })));
    expect(described.name).toBe('InvalidGroup.NotFound');
  });

  it('refuses to delete a group a cluster uses, or another group references, with DependencyViolation', async () => {
    const id = await newGroup('dbaf-in-use');
    h.context.account.data.clusters.c1 = { id: 'c1', securityGroupIds: [id] } as ClusterRecord;
    const error = await failure(ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })));
    expect(error).toMatchObject({
      name: 'DependencyViolation',
      message: `resource ${id} has a dependent object`,
    });
    delete h.context.account.data.clusters.c1;

    const referrer = await newGroup('dbaf-referrer');
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: referrer,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: id }] },
        ],
      }),
    );
    expect((await failure(ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })))).name).toBe(
      'DependencyViolation',
    );
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: referrer }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: id }));
  });

  it('adds and removes tags with CreateTags and DeleteTags', async () => {
    const id = await newGroup('dbaf-tags');
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'team', Value: 'data' }] }));
    await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'dbaf:clone-id' }] }));
    const { SecurityGroups = [] } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
    expect(SecurityGroups[0]?.Tags).toEqual([{ Key: 'team', Value: 'data' }]);
    const error = await failure(
      ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'aws:x', Value: '1' }] })),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('answers DryRun with DryRunOperation', async () => {
    const error = await failure(ec2.send(new DescribeVpcsCommand({ DryRun: true })));
    expect(error).toMatchObject({ name: 'DryRunOperation', status: 412 });
  });
});

describe.skipIf(!hasCli)('the AWS CLI', () => {
  it('describes the subnets and creates a security group', async () => {
    const subnets = (await h.cli('ec2', 'describe-subnets', '--subnet-ids', ...network.sourceSubnetIds)) as {
      Subnets: { SubnetId: string; VpcId: string }[];
    };
    expect(subnets.Subnets.map((s) => s.VpcId)).toEqual([
      network.sourceVpcId,
      network.sourceVpcId,
      network.sourceVpcId,
    ]);
    const created = (await h.cli(
      'ec2',
      'create-security-group',
      '--group-name',
      'cli-group',
      '--description',
      'made by the CLI',
      '--vpc-id',
      network.sourceVpcId,
    )) as { GroupId: string };
    await h.cli(
      'ec2',
      'authorize-security-group-ingress',
      '--group-id',
      created.GroupId,
      '--protocol',
      'tcp',
      '--port',
      '5432',
      '--cidr',
      '10.1.0.0/16',
    );
    const described = (await h.cli('ec2', 'describe-security-groups', '--group-ids', created.GroupId)) as {
      SecurityGroups: { IpPermissions: { FromPort: number; IpRanges: { CidrIp: string }[] }[] }[];
    };
    expect(described.SecurityGroups[0]?.IpPermissions[0]).toMatchObject({
      FromPort: 5432,
      IpRanges: [{ CidrIp: '10.1.0.0/16' }],
    });
  });
});
