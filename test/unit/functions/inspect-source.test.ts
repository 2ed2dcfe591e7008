import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  type DBCluster,
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, type Input, inspectSource } from '../../../functions/inspect-source/handler.js';
import { MANAGED_BY, TAG } from '../../../functions/shared/tags.js';
import { lambdaContext } from '../../support/context.js';
import { resetAfterEach } from '../../support/mocks.js';
import { EXECUTION_ARN, samplePlan } from '../../support/plan.js';

const rdsMock = mockClient(RDSClient);
const ec2Mock = mockClient(EC2Client);

const SOURCE_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:legacy-prod';
const SHARED_ARN = 'arn:aws:rds:us-east-1:210987654321:cluster:partner-prod';

const sourceCluster: DBCluster = {
  DBClusterIdentifier: 'legacy-prod',
  DBClusterArn: SOURCE_ARN,
  Engine: 'aurora-postgresql',
  EngineVersion: '16.4',
  Status: 'available',
  Port: 5432,
  MasterUsername: 'postgres_admin',
  DatabaseName: 'app',
  DBSubnetGroup: 'prod-subnets',
  DBClusterParameterGroup: 'prod-cluster-params',
  DBClusterMembers: [
    { DBInstanceIdentifier: 'legacy-prod-reader', IsClusterWriter: false },
    { DBInstanceIdentifier: 'legacy-prod-writer', IsClusterWriter: true },
  ],
  TagList: [],
};

function artifact(overrides: { target?: object; source?: object; lifecycle?: object } = {}) {
  return {
    version: 1,
    source: { clusterIdentifier: 'legacy-prod', ...overrides.source },
    target: {
      cloneName: 'reporting',
      instanceClass: 'db.r6g.large',
      allowedCidrs: ['10.0.0.0/16'],
      ...overrides.target,
    },
    lifecycle: { ttl: '8h', owner: 'ana@example.com', ...overrides.lifecycle },
  };
}

function input(doc: unknown = artifact()): Input {
  return {
    artifact: doc,
    executionArn: EXECUTION_ARN,
    executionName: 'run-1',
    startTime: '2026-11-21T10:00:00.123Z',
  };
}

const notFound = () => new DBClusterNotFoundFault({ $metadata: {}, message: 'DBCluster not found' });

function givenSource(cluster: DBCluster = sourceCluster, identifier = 'legacy-prod') {
  rdsMock.on(DescribeDBClustersCommand).rejects(notFound());
  rdsMock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: identifier })
    .resolves({ DBClusters: [cluster] });
  rdsMock.on(DescribeDBSubnetGroupsCommand, { DBSubnetGroupName: 'prod-subnets' }).resolves({
    DBSubnetGroups: [
      {
        DBSubnetGroupName: 'prod-subnets',
        VpcId: 'vpc-0prod',
        Subnets: [
          { SubnetIdentifier: 'subnet-0a1b2c3d', SubnetAvailabilityZone: { Name: 'us-east-1a' } },
          { SubnetIdentifier: 'subnet-1a1b2c3d', SubnetAvailabilityZone: { Name: 'us-east-1b' } },
        ],
      },
    ],
  });
  rdsMock
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'legacy-prod-writer' })
    .resolves({ DBInstances: [{ DBParameterGroups: [{ DBParameterGroupName: 'prod-instance-params' }] }] });
  rdsMock.on(DescribeAccountAttributesCommand).resolves({
    AccountQuotas: [
      { AccountQuotaName: 'DBInstances', Used: 1, Max: 1 },
      { AccountQuotaName: 'DBClusters', Used: 10, Max: 40 },
    ],
  });
}

function givenClone(tags: { Key: string; Value: string }[]) {
  rdsMock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'dbaf-reporting' })
    .resolves({ DBClusters: [{ DBClusterIdentifier: 'dbaf-reporting', TagList: tags }] });
}

function expectNoAwsCall() {
  expect(rdsMock).not.toHaveReceivedAnyCommand();
  expect(ec2Mock).not.toHaveReceivedAnyCommand();
}

beforeEach(() => {
  vi.stubEnv('ALLOWED_SOURCES', `legacy-prod,${SHARED_ARN}`);
  vi.stubEnv('DEFAULT_ALLOWED_CIDRS', '');
  givenSource();
});

resetAfterEach(rdsMock, ec2Mock);

describe('inspect-source', () => {
  it('plans a clone of an allowed source in its own subnet group, with every value resolved', async () => {
    const { plan } = await inspectSource(input());

    // The shared sample plan is, by design, exactly what this artifact plans to (expiring 8h after the start).
    expect(plan).toEqual(samplePlan({ expiresAt: '2026-11-21T18:00:00Z' }));
  });

  it('reads the source, the clone name, the writer, the subnet group and the quota in at most 5 RDS calls', async () => {
    await inspectSource(input());

    expect(rdsMock.calls().length).toBeLessThanOrEqual(5);
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, {
      DBClusterIdentifier: 'legacy-prod',
    });
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)[0]?.args[0].input).not.toHaveProperty(
      'IncludeShared',
    );
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, {
      DBClusterIdentifier: 'dbaf-reporting',
    });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      DBInstanceIdentifier: 'legacy-prod-writer',
    });
    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });

  it('gives the same plan when repeated after the clone was created by this execution', async () => {
    const first = await inspectSource(input());
    givenClone(first.plan.tags.map((tag) => ({ ...tag })));
    // The clone already counts in Used: a full quota must not refuse the retry.
    rdsMock
      .on(DescribeAccountAttributesCommand)
      .resolves({ AccountQuotas: [{ AccountQuotaName: 'DBClusters', Used: 40, Max: 40 }] });

    const second = await inspectSource(input());

    expect(second).toEqual(first);
  });

  it('keeps a clone name that already has the prefix, and applies the artifact overrides', async () => {
    const doc = artifact({
      target: {
        cloneName: 'dbaf-reporting',
        port: 6543,
        instanceCount: 3,
        dbParameterGroupName: 'my-params',
        dbClusterParameterGroupName: 'my-cluster-params',
        tags: { team: 'data' },
      },
      lifecycle: { ttl: '1d', owner: undefined, finalSnapshot: true },
    });

    const { plan } = await inspectSource(input(doc));

    expect(plan).toMatchObject({
      cloneId: 'dbaf-reporting',
      port: 6543,
      instanceIdentifiers: ['dbaf-reporting-1', 'dbaf-reporting-2', 'dbaf-reporting-3'],
      dbParameterGroupName: 'my-params',
      dbClusterParameterGroupName: 'my-cluster-params',
      owner: 'unspecified',
      expiresAt: '2026-11-22T10:00:00Z',
      finalSnapshot: true,
    });
    expect(plan.tags).toContainEqual({ Key: 'team', Value: 'data' });
    expect(plan.tags).toContainEqual({ Key: TAG.owner, Value: 'unspecified' });
    expect(rdsMock).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
  });

  it('generates a valid clone name from the source and the execution, the same on every retry', async () => {
    const longId = `legacy-${'x'.repeat(55)}`;
    vi.stubEnv('ALLOWED_SOURCES', longId);
    givenSource({ ...sourceCluster, DBClusterIdentifier: longId }, longId);
    const doc = artifact({ source: { clusterIdentifier: longId }, target: { cloneName: undefined } });

    const first = await inspectSource(input(doc));
    const second = await inspectSource(input(doc));

    expect(first.plan.cloneId).toBe(second.plan.cloneId);
    expect(first.plan.cloneId).toMatch(/^dbaf-legacy-x+-[0-9a-f]{8}$/);
    expect(first.plan.cloneId.length).toBeLessThanOrEqual(60);
    const other = await inspectSource({ ...input(doc), executionArn: `${EXECUTION_ARN}-2` });
    expect(other.plan.cloneId).not.toBe(first.plan.cloneId);
  });

  it('admits the deployment default CIDRs when the artifact names neither networks nor groups', async () => {
    vi.stubEnv('DEFAULT_ALLOWED_CIDRS', '10.1.0.0/16, 10.2.0.0/16');

    const { plan } = await inspectSource(input(artifact({ target: { allowedCidrs: [] } })));

    expect(plan.network.allowedCidrs).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
  });

  it('plans its own subnet group on explicit subnets in one VPC and two AZs', async () => {
    ec2Mock.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        { SubnetId: 'subnet-0000000a', VpcId: 'vpc-0dev', AvailabilityZone: 'us-east-1a' },
        { SubnetId: 'subnet-0000000b', VpcId: 'vpc-0dev', AvailabilityZone: 'us-east-1b' },
      ],
    });
    const doc = artifact({ target: { subnets: ['subnet-0000000a', 'subnet-0000000b'] } });

    const { plan } = await inspectSource(input(doc));

    expect(ec2Mock).toHaveReceivedCommandWith(DescribeSubnetsCommand, {
      Filters: [{ Name: 'subnet-id', Values: ['subnet-0000000a', 'subnet-0000000b'] }],
    });
    expect(rdsMock).not.toHaveReceivedCommand(DescribeDBSubnetGroupsCommand);
    expect(plan.network).toMatchObject({
      vpcId: 'vpc-0dev',
      subnetIds: ['subnet-0000000a', 'subnet-0000000b'],
      dbSubnetGroupName: 'dbaf-reporting',
      createSubnetGroup: true,
    });
  });

  it.each([
    {
      problem: 'names every missing subnet',
      subnets: [{ SubnetId: 'subnet-0000000a', VpcId: 'vpc-0dev', AvailabilityZone: 'us-east-1a' }],
      message: /"subnet-0000000b", "subnet-0000000c" not found/,
    },
    {
      problem: 'names the VPCs of subnets spread over several',
      subnets: [
        { SubnetId: 'subnet-0000000a', VpcId: 'vpc-0dev', AvailabilityZone: 'us-east-1a' },
        { SubnetId: 'subnet-0000000b', VpcId: 'vpc-0other', AvailabilityZone: 'us-east-1b' },
        { SubnetId: 'subnet-0000000c', VpcId: 'vpc-0dev', AvailabilityZone: 'us-east-1c' },
      ],
      message: /2 VPCs \(vpc-0dev: subnet-0000000a, subnet-0000000c; vpc-0other: subnet-0000000b\)/,
    },
    {
      problem: 'refuses subnets in a single AZ',
      subnets: ['a', 'b', 'c'].map((x) => ({
        SubnetId: `subnet-0000000${x}`,
        VpcId: 'vpc-0dev',
        AvailabilityZone: 'us-east-1a',
      })),
      message: /all in availability zone us-east-1a; Aurora needs subnets in at least two/,
    },
  ])('$problem with NetworkInvalid', async ({ subnets, message }) => {
    ec2Mock.on(DescribeSubnetsCommand).resolves({ Subnets: subnets });
    const doc = artifact({ target: { subnets: ['subnet-0000000a', 'subnet-0000000b', 'subnet-0000000c'] } });

    await expect(inspectSource(input(doc))).rejects.toMatchObject({ name: 'NetworkInvalid', message });
  });

  it('checks the client security groups exist in the clone VPC', async () => {
    ec2Mock
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-0000000a', VpcId: 'vpc-0prod' }] });
    const doc = artifact({ target: { allowedCidrs: [], securityGroupIds: ['sg-0000000a'] } });

    const { plan } = await inspectSource(input(doc));

    expect(ec2Mock).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
      Filters: [{ Name: 'group-id', Values: ['sg-0000000a'] }],
    });
    expect(plan.network.clientSecurityGroupIds).toEqual(['sg-0000000a']);
    expect(plan.network.allowedCidrs).toEqual([]);
  });

  it.each([
    {
      problem: 'missing',
      groups: [{ GroupId: 'sg-0000000a', VpcId: 'vpc-0prod' }],
      message: /"sg-0000000b" not found/,
    },
    {
      problem: 'in another VPC',
      groups: [
        { GroupId: 'sg-0000000a', VpcId: 'vpc-0prod' },
        { GroupId: 'sg-0000000b', VpcId: 'vpc-0other' },
      ],
      message: /"sg-0000000b" \(in vpc-0other\) not in the clone's VPC vpc-0prod/,
    },
  ])('refuses client security groups $problem with NetworkInvalid', async ({ groups, message }) => {
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: groups });
    const doc = artifact({ target: { securityGroupIds: ['sg-0000000a', 'sg-0000000b'] } });

    await expect(inspectSource(input(doc))).rejects.toMatchObject({ name: 'NetworkInvalid', message });
  });

  it('describes a shared source by ARN and inherits none of its parameter groups', async () => {
    givenSource({ ...sourceCluster, DBClusterArn: SHARED_ARN }, SHARED_ARN);
    ec2Mock.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        { SubnetId: 'subnet-0000000a', VpcId: 'vpc-0dev', AvailabilityZone: 'us-east-1a' },
        { SubnetId: 'subnet-0000000b', VpcId: 'vpc-0dev', AvailabilityZone: 'us-east-1b' },
      ],
    });
    const doc = artifact({
      source: { clusterIdentifier: SHARED_ARN },
      target: { subnets: ['subnet-0000000a', 'subnet-0000000b'] },
    });

    const { plan } = await inspectSource(input(doc));

    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, {
      DBClusterIdentifier: SHARED_ARN,
      IncludeShared: true,
    });
    expect(rdsMock).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
    expect(plan.source).toEqual({ clusterIdentifier: SHARED_ARN, clusterArn: SHARED_ARN });
    expect(plan.dbParameterGroupName).toBeNull();
    expect(plan.dbClusterParameterGroupName).toBeNull();
  });

  it('accepts a source given by identifier when the deployment allows its ARN', async () => {
    vi.stubEnv('ALLOWED_SOURCES', SOURCE_ARN);

    await expect(inspectSource(input())).resolves.toHaveProperty('plan.cloneId', 'dbaf-reporting');
  });

  it('refuses an identifier whose ARN turns out not to be the allowed one', async () => {
    vi.stubEnv('ALLOWED_SOURCES', 'arn:aws:rds:us-east-1:999999999999:cluster:legacy-prod');

    await expect(inspectSource(input())).rejects.toMatchObject({
      name: 'SourceNotCloneable',
      message: expect.stringContaining('not an allowed source'),
    });
  });

  it('reports a missing source as SourceNotFound with what to check', async () => {
    rdsMock.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'legacy-prod' }).rejects(notFound());

    await expect(inspectSource(input())).rejects.toMatchObject({
      name: 'SourceNotFound',
      message:
        'Cluster "legacy-prod" was not found in this region/account; check the identifier, or for a cluster shared through AWS RAM give its ARN.',
    });
  });

  it.each([
    { problem: 'another engine', change: { Engine: 'aurora-mysql' }, message: /engine is "aurora-mysql"/ },
    {
      problem: 'a busy cluster',
      change: { Status: 'modifying' },
      message: /status is "modifying"; try again when it is available/,
    },
    {
      problem: 'a cluster without instances',
      change: { DBClusterMembers: [] },
      message: /has no instance; Aurora can only clone a cluster with at least one instance/,
    },
  ])('refuses $problem as SourceNotCloneable before creating anything', async ({ change, message }) => {
    givenSource({ ...sourceCluster, ...change });

    await expect(inspectSource(input())).rejects.toMatchObject({ name: 'SourceNotCloneable', message });
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBClustersCommand, 1);
  });

  it.each([
    { owner: 'a cluster not made by the project', tags: [], message: /not made by db-artifact-factory/ },
    {
      owner: 'a clone of another execution',
      tags: [
        { Key: TAG.managedBy, Value: 'db-artifact-factory' },
        { Key: TAG.cloneId, Value: 'dbaf-reporting' },
        { Key: TAG.executionArn, Value: 'arn:aws:states:us-east-1:123456789012:execution:dbaf-clone:old' },
      ],
      message: /another db-artifact-factory execution: .*:old/,
    },
  ])('refuses a clone name taken by $owner as CloneConflict', async ({ tags, message }) => {
    givenClone(tags);

    const error = inspectSource(input());

    await expect(error).rejects.toMatchObject({ name: 'CloneConflict', message });
    await expect(error).rejects.toThrow(/choose another target.cloneName or delete it first/);
  });

  it('reports a vanished source subnet group as NetworkInvalid', async () => {
    rdsMock
      .on(DescribeDBSubnetGroupsCommand)
      .rejects(new DBSubnetGroupNotFoundFault({ $metadata: {}, message: 'not found' }));

    await expect(inspectSource(input())).rejects.toMatchObject({
      name: 'NetworkInvalid',
      message: expect.stringContaining('"prod-subnets"'),
    });
  });

  it('waits (NotReady) when the source writer disappears while reading its parameter group', async () => {
    rdsMock
      .on(DescribeDBInstancesCommand)
      .rejects(new DBInstanceNotFoundFault({ $metadata: {}, message: 'not found' }));

    await expect(inspectSource(input())).rejects.toMatchObject({ name: 'NotReady' });
  });

  it.each([
    { used: 40, max: 40, headroom: '0' },
    { used: 37, max: 40, headroom: '3' },
  ])('refuses with QuotaExceeded when $used of $max clusters are used (headroom $headroom)', async (quota) => {
    vi.stubEnv('QUOTA_HEADROOM', quota.headroom);
    rdsMock
      .on(DescribeAccountAttributesCommand)
      .resolves({ AccountQuotas: [{ AccountQuotaName: 'DBClusters', Used: quota.used, Max: quota.max }] });

    await expect(inspectSource(input())).rejects.toMatchObject({
      name: 'QuotaExceeded',
      message: expect.stringMatching(
        new RegExp(`has ${quota.used} of ${quota.max} DB clusters.*ask AWS to raise the DBClusters quota`),
      ),
    });
  });

  describe('the per-owner limit (MAX_CLONES_PER_OWNER)', () => {
    const cluster = (id: string, owner: string, status = 'available', managed = true): DBCluster => ({
      DBClusterIdentifier: id,
      Status: status,
      TagList: [
        ...(managed ? [{ Key: TAG.managedBy, Value: MANAGED_BY }] : []),
        { Key: TAG.owner, Value: owner },
      ],
    });
    function givenClusters(...clusters: DBCluster[]) {
      // The last matching stub wins: the listing first, then the lookups by identifier.
      rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: clusters });
      rdsMock
        .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'legacy-prod' })
        .resolves({ DBClusters: [sourceCluster] });
      rdsMock.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'dbaf-reporting' }).rejects(notFound());
    }

    it('refuses a clone when its owner has the maximum, naming the clones, the limit and how to free room', async () => {
      vi.stubEnv('MAX_CLONES_PER_OWNER', '2');
      givenClusters(
        cluster('dbaf-b', 'ana@example.com'),
        cluster('dbaf-a', 'ana@example.com'),
        cluster('dbaf-c', 'bo@example.com'),
      );
      await expect(inspectSource(input())).rejects.toMatchObject({
        name: 'QuotaExceeded',
        message: expect.stringMatching(
          /^Owner "ana@example\.com" already has 2 clones \(dbaf-a, dbaf-b\), the most this deployment allows one owner \(MAX_CLONES_PER_OWNER=2\)\. Delete one \("dbaf delete <clone>"\)/,
        ),
      });
    });

    it("counts neither other owners' clones, unmanaged clusters, clusters being deleted nor this clone (a retry)", async () => {
      vi.stubEnv('MAX_CLONES_PER_OWNER', '2');
      givenClusters(
        cluster('dbaf-a', 'ana@example.com'),
        cluster('dbaf-b', 'ana@example.com', 'deleting'),
        cluster('dbaf-c', 'bo@example.com'),
        cluster('legacy-prod', 'ana@example.com', 'available', false),
        cluster('dbaf-reporting', 'ana@example.com', 'creating'),
      );
      await expect(inspectSource(input())).resolves.toMatchObject({ plan: { owner: 'ana@example.com' } });
    });

    it('lists no clusters when there is no limit (the default)', async () => {
      await inspectSource(input());
      const scans = rdsMock
        .commandCalls(DescribeDBClustersCommand)
        .filter((call) => call.args[0].input.DBClusterIdentifier === undefined);
      expect(scans).toHaveLength(0);
    });

    it('names a limit that is not a whole number as a configuration error', async () => {
      vi.stubEnv('MAX_CLONES_PER_OWNER', 'a few');
      await expect(inspectSource(input())).rejects.toMatchObject({
        name: 'ConfigurationError',
        message: 'MAX_CLONES_PER_OWNER="a few" must be a whole number, 0 or more.',
      });
    });
  });

  it('keeps the error names through the Lambda handler, and turns throttling into AwsTransient', async () => {
    await expect(handler(input({ version: 2 }), lambdaContext())).rejects.toMatchObject({
      name: 'InvalidArtifact',
    });
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    rdsMock.on(DescribeDBClustersCommand).rejects(throttled);
    await expect(handler(input(), lambdaContext())).rejects.toMatchObject({ name: 'AwsTransient' });
  });

  describe('before any AWS call', () => {
    it.each([
      { what: 'no document', doc: null, problem: /\(document\)/ },
      { what: 'a wrong version', doc: { ...artifact(), version: 2 }, problem: /version: 2 is not valid/ },
      {
        what: 'a source that is not an identifier',
        doc: artifact({ source: { clusterIdentifier: 'not an id!' } }),
        problem: /source.clusterIdentifier/,
      },
      {
        what: 'no instance class',
        doc: artifact({ target: { instanceClass: undefined } }),
        problem: /target.instanceClass: missing/,
      },
      {
        what: 'an open CIDR',
        doc: artifact({ target: { allowedCidrs: ['0.0.0.0/0'] } }),
        problem: /narrower than \/0/,
      },
      {
        what: 'a single subnet',
        doc: artifact({ target: { subnets: ['subnet-0000000a'] } }),
        problem: /target.subnets/,
      },
      {
        what: 'a reserved tag key',
        doc: artifact({ target: { tags: { 'dbaf:owner': 'x' } } }),
        problem: /reserved/,
      },
      { what: 'an unknown field', doc: { ...artifact(), extra: 1 }, problem: /extra: unknown field/ },
      { what: 'a bad TTL', doc: artifact({ lifecycle: { ttl: 'forever' } }), problem: /lifecycle.ttl/ },
    ])('refuses $what as InvalidArtifact', async ({ doc, problem }) => {
      await expect(inspectSource(input(doc))).rejects.toMatchObject({
        name: 'InvalidArtifact',
        message: problem,
      });
      expectNoAwsCall();
    });

    it.each([
      {
        what: 'a TTL over the maximum',
        doc: artifact({ lifecycle: { ttl: '8d' } }),
        problem: 'lifecycle.ttl: "8d" is not valid; expected at most 7d',
      },
      {
        what: 'a clone name too long with the prefix',
        doc: artifact({ target: { cloneName: `r${'e'.repeat(47)}` } }),
        problem: 'it would be "dbaf-ree',
      },
      {
        what: 'a restore time in the future',
        doc: artifact({
          source: { restore: { type: 'point-in-time', restoreTime: '2999-01-01T00:00:00Z' } },
        }),
        problem:
          'source.restore.restoreTime: "2999-01-01T00:00:00Z" is not valid; expected a time in the past',
      },
      {
        what: 'no way for anyone to connect',
        doc: artifact({ target: { allowedCidrs: [] } }),
        problem: 'target.allowedCidrs: missing; expected client CIDR blocks or target.securityGroupIds',
      },
    ])('refuses $what as InvalidArtifact', async ({ doc, problem }) => {
      const error = await inspectSource(input(doc)).catch((e: unknown) => e);

      expect(error).toMatchObject({ name: 'InvalidArtifact' });
      expect((error as { problems: string[] }).problems).toEqual([expect.stringContaining(problem)]);
      expectNoAwsCall();
    });

    it('lists every configuration problem in one InvalidArtifact', async () => {
      const doc = artifact({
        source: { restore: { type: 'point-in-time', restoreTime: '2999-01-01T00:00:00Z' } },
        target: { allowedCidrs: [], cloneName: `r${'e'.repeat(47)}` },
        lifecycle: { ttl: '30d' },
      });

      const error = await inspectSource(input(doc)).catch((e: unknown) => e);

      expect((error as { problems: string[] }).problems).toHaveLength(4);
      expectNoAwsCall();
    });

    it('honours a lower MAX_TTL and says the maximum', async () => {
      vi.stubEnv('MAX_TTL', '1d');
      vi.stubEnv('DEFAULT_TTL', '8h');

      await expect(inspectSource(input(artifact({ lifecycle: { ttl: '2d' } })))).rejects.toThrow(
        /expected at most 1d/,
      );
      expectNoAwsCall();
    });

    it('refuses a source outside ALLOWED_SOURCES as SourceNotCloneable, listing the allowed ones', async () => {
      vi.stubEnv('ALLOWED_SOURCES', 'other-prod,third-prod');

      await expect(inspectSource(input())).rejects.toMatchObject({
        name: 'SourceNotCloneable',
        message:
          'Cluster "legacy-prod" is not an allowed source for this deployment (allowed: "other-prod", "third-prod"); clone one of those, or ask an operator to add it to ALLOWED_SOURCES.',
      });
      expectNoAwsCall();
    });

    it('refuses a shared source that would use its own subnet group as NetworkInvalid', async () => {
      const doc = artifact({ source: { clusterIdentifier: SHARED_ARN } });

      await expect(inspectSource(input(doc))).rejects.toMatchObject({
        name: 'NetworkInvalid',
        message: expect.stringContaining('give target.subnets'),
      });
      expectNoAwsCall();
    });

    it('refuses a deployment default that opens clones to every address', async () => {
      vi.stubEnv('DEFAULT_ALLOWED_CIDRS', '0.0.0.0/0');

      await expect(inspectSource(input())).rejects.toMatchObject({ name: 'ConfigurationError' });
      expectNoAwsCall();
    });
  });
});
