import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import {
  CreateDBSubnetGroupCommand,
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  DBClusterQuotaExceededFault,
  DBClusterSnapshotNotFoundFault,
  DBSubnetGroupAlreadyExistsFault,
  DescribeDBClustersCommand,
  DescribeDBSubnetGroupsCommand,
  InsufficientDBClusterCapacityFault,
  InvalidDBClusterStateFault,
  InvalidVPCNetworkStateFault,
  KMSKeyNotAccessibleFault,
  ListTagsForResourceCommand,
  RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler, restoreCloneCluster } from '../../../functions/restore-clone-cluster/handler.js';
import { pointInTimeRestoreRefusal } from '../../../functions/shared/aws/rds-requests.js';
import type { ClonePlan } from '../../../functions/shared/plan.js';
import { TAG } from '../../../functions/shared/tags.js';
import { lambdaContext } from '../../support/context.js';
import { rdsFault, resetAfterEach } from '../../support/mocks.js';
import { EXECUTION_ARN, SAMPLE_TAGS, samplePlan } from '../../support/plan.js';

const rdsMock = mockClient(RDSClient);
const ec2Mock = mockClient(EC2Client);

const CLONE_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:dbaf-reporting';
const SUBNET_GROUP_ARN = 'arn:aws:rds:us-east-1:123456789012:subgrp:dbaf-reporting';

/** The sample plan, with the values these tests check, admitting an IPv6 network and a client group too. */
function plan(overrides: Partial<ClonePlan> = {}, network: Partial<ClonePlan['network']> = {}): ClonePlan {
  return samplePlan(
    { cloneId: 'dbaf-reporting', engineVersion: '16.4', port: 5432, ...overrides },
    {
      vpcId: 'vpc-0prod',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-1a1b2c3d'],
      dbSubnetGroupName: 'prod-subnets',
      allowedCidrs: ['10.0.0.0/16', '2001:db8::/32'],
      clientSecurityGroupIds: ['sg-0000000a'],
      ...network,
    },
  );
}

const ec2Error = (name: string) =>
  new EC2ServiceException({ name, $fault: 'client', $metadata: {}, message: `${name} from EC2` });

const restored = {
  DBClusterIdentifier: 'dbaf-reporting',
  DBClusterArn: CLONE_ARN,
  Status: 'creating',
  Endpoint: 'dbaf-reporting.cluster-abc.us-east-1.rds.amazonaws.com',
  ReaderEndpoint: 'dbaf-reporting.cluster-ro-abc.us-east-1.rds.amazonaws.com',
  Port: 5432,
  TagList: SAMPLE_TAGS,
};

const expectedOutput = {
  clusterIdentifier: 'dbaf-reporting',
  clusterArn: CLONE_ARN,
  endpoint: 'dbaf-reporting.cluster-abc.us-east-1.rds.amazonaws.com',
  readerEndpoint: 'dbaf-reporting.cluster-ro-abc.us-east-1.rds.amazonaws.com',
  port: 5432,
  dbSubnetGroupName: 'prod-subnets',
  securityGroupId: 'sg-0c10e',
};

beforeEach(() => {
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0c10e' });
  ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  rdsMock.on(DescribeDBClustersCommand).rejects(rdsFault(DBClusterNotFoundFault, 'not found'));
  rdsMock.on(RestoreDBClusterToPointInTimeCommand).resolves({ DBCluster: restored });
  rdsMock.on(RestoreDBClusterFromSnapshotCommand).resolves({ DBCluster: restored });
});

resetAfterEach(rdsMock, ec2Mock);

describe('restore-clone-cluster', () => {
  it('creates the clone security group, admits only the planned clients, and starts a copy-on-write clone', async () => {
    const output = await restoreCloneCluster({ plan: plan() });

    expect(output).toEqual(expectedOutput);
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
      Filters: [
        { Name: 'vpc-id', Values: ['vpc-0prod'] },
        { Name: 'group-name', Values: ['dbaf-reporting'] },
      ],
    });
    expect(ec2Mock).toHaveReceivedCommandWith(CreateSecurityGroupCommand, {
      GroupName: 'dbaf-reporting',
      Description: 'db-artifact-factory clone dbaf-reporting: clients allowed on port 5432',
      VpcId: 'vpc-0prod',
      TagSpecifications: [{ ResourceType: 'security-group', Tags: SAMPLE_TAGS }],
    });
    expect(ec2Mock).toHaveReceivedCommandExactlyOnceWith(AuthorizeSecurityGroupIngressCommand, {
      GroupId: 'sg-0c10e',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 5432,
          ToPort: 5432,
          IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'db-artifact-factory clone dbaf-reporting' }],
          Ipv6Ranges: [
            { CidrIpv6: '2001:db8::/32', Description: 'db-artifact-factory clone dbaf-reporting' },
          ],
          UserIdGroupPairs: [
            { GroupId: 'sg-0000000a', Description: 'db-artifact-factory clone dbaf-reporting' },
          ],
        },
      ],
    });
    expect(rdsMock).toHaveReceivedCommandExactlyOnceWith(RestoreDBClusterToPointInTimeCommand, {
      DBClusterIdentifier: 'dbaf-reporting',
      SourceDBClusterIdentifier: 'legacy-prod',
      RestoreType: 'copy-on-write',
      UseLatestRestorableTime: true,
      DBSubnetGroupName: 'prod-subnets',
      VpcSecurityGroupIds: ['sg-0c10e'],
      Port: 5432,
      DBClusterParameterGroupName: 'prod-cluster-params',
      Tags: SAMPLE_TAGS,
      CopyTagsToSnapshot: true,
      DeletionProtection: false,
    });
    const sent = rdsMock.commandCalls(RestoreDBClusterToPointInTimeCommand)[0]?.args[0].input;
    expect(
      Object.keys(sent ?? {}).filter((key) => /Monitoring|PerformanceInsights|RestoreToTime/.test(key)),
    ).toEqual([]);
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBSubnetGroupCommand);
  });

  it('restores to a point in time as a full copy (RDS refuses RestoreToTime with copy-on-write), without a cluster parameter group when the plan has none', async () => {
    await restoreCloneCluster({
      plan: plan({
        restore: { type: 'point-in-time', restoreTime: '2026-11-20T06:00:00Z' },
        dbClusterParameterGroupName: null,
      }),
    });

    const sent = rdsMock.commandCalls(RestoreDBClusterToPointInTimeCommand)[0]?.args[0].input;
    expect(sent?.RestoreToTime).toEqual(new Date('2026-11-20T06:00:00Z'));
    expect(sent?.RestoreType).toBe('full-copy');
    expect(pointInTimeRestoreRefusal(sent ?? {})).toBeUndefined();
    expect(sent).not.toHaveProperty('UseLatestRestorableTime');
    expect(sent).not.toHaveProperty('DBClusterParameterGroupName');
  });

  it('restores from a snapshot with the planned engine and version', async () => {
    await restoreCloneCluster({
      plan: plan({ restore: { type: 'snapshot', snapshotIdentifier: 'nightly-1' } }),
    });

    expect(rdsMock).toHaveReceivedCommandWith(RestoreDBClusterFromSnapshotCommand, {
      DBClusterIdentifier: 'dbaf-reporting',
      SnapshotIdentifier: 'nightly-1',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      DBSubnetGroupName: 'prod-subnets',
      VpcSecurityGroupIds: ['sg-0c10e'],
      Port: 5432,
      Tags: SAMPLE_TAGS,
      CopyTagsToSnapshot: true,
      DeletionProtection: false,
    });
    expect(rdsMock).not.toHaveReceivedCommand(RestoreDBClusterToPointInTimeCommand);
  });

  it('creates its own subnet group when the plan names subnets', async () => {
    const output = await restoreCloneCluster({
      plan: plan({}, { dbSubnetGroupName: 'dbaf-reporting', createSubnetGroup: true }),
    });

    expect(rdsMock).toHaveReceivedCommandWith(CreateDBSubnetGroupCommand, {
      DBSubnetGroupName: 'dbaf-reporting',
      SubnetIds: ['subnet-0a1b2c3d', 'subnet-1a1b2c3d'],
      Tags: SAMPLE_TAGS,
    });
    expect(rdsMock).toHaveReceivedCommandWith(RestoreDBClusterToPointInTimeCommand, {
      DBSubnetGroupName: 'dbaf-reporting',
    });
    expect(output.dbSubnetGroupName).toBe('dbaf-reporting');
  });

  it('reuses everything it made when repeated, creating nothing new', async () => {
    const networked = plan({}, { dbSubnetGroupName: 'dbaf-reporting', createSubnetGroup: true });
    rdsMock.on(CreateDBSubnetGroupCommand).rejects(rdsFault(DBSubnetGroupAlreadyExistsFault));
    rdsMock.on(DescribeDBSubnetGroupsCommand).resolves({
      DBSubnetGroups: [{ DBSubnetGroupName: 'dbaf-reporting', DBSubnetGroupArn: SUBNET_GROUP_ARN }],
    });
    rdsMock
      .on(ListTagsForResourceCommand, { ResourceName: SUBNET_GROUP_ARN })
      .resolves({ TagList: SAMPLE_TAGS });
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-0c10e', GroupName: 'dbaf-reporting', VpcId: 'vpc-0prod', Tags: SAMPLE_TAGS },
      ],
    });
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).rejects(ec2Error('InvalidPermission.Duplicate'));
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'dbaf-reporting' })
      .resolves({ DBClusters: [restored] });

    const output = await restoreCloneCluster({ plan: networked });

    expect(output).toEqual({ ...expectedOutput, dbSubnetGroupName: 'dbaf-reporting' });
    expect(ec2Mock).not.toHaveReceivedCommand(CreateSecurityGroupCommand);
    expect(rdsMock).not.toHaveReceivedCommand(RestoreDBClusterToPointInTimeCommand);
  });

  it('accepts a cluster a concurrent attempt of this execution restored first', async () => {
    rdsMock.on(RestoreDBClusterToPointInTimeCommand).rejects(rdsFault(DBClusterAlreadyExistsFault));
    rdsMock
      .on(DescribeDBClustersCommand)
      .rejectsOnce(rdsFault(DBClusterNotFoundFault))
      .resolves({ DBClusters: [restored] });

    await expect(restoreCloneCluster({ plan: plan() })).resolves.toEqual(expectedOutput);
  });

  it('re-reads a security group a concurrent attempt created first', async () => {
    ec2Mock
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({ SecurityGroups: [] })
      .resolves({ SecurityGroups: [{ GroupId: 'sg-0race', Tags: SAMPLE_TAGS }] });
    ec2Mock.on(CreateSecurityGroupCommand).rejects(ec2Error('InvalidGroup.Duplicate'));

    const output = await restoreCloneCluster({ plan: plan() });

    expect(output.securityGroupId).toBe('sg-0race');
    expect(ec2Mock).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, { GroupId: 'sg-0race' });
  });

  it.each([
    { owner: 'nobody we know', clusterTags: [] },
    {
      owner: 'another execution',
      clusterTags: SAMPLE_TAGS.map((tag) =>
        tag.Key === TAG.executionArn ? { ...tag, Value: `${EXECUTION_ARN}-old` } : tag,
      ),
    },
  ])('refuses a cluster of the same name made by $owner as CloneConflict', async ({ clusterTags }) => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ ...restored, TagList: clusterTags }] });

    await expect(restoreCloneCluster({ plan: plan() })).rejects.toMatchObject({
      name: 'CloneConflict',
      message: expect.stringContaining('"dbaf-reporting" already exists'),
    });
    expect(rdsMock).not.toHaveReceivedCommand(RestoreDBClusterToPointInTimeCommand);
  });

  it("refuses a racing cluster that turns out to be someone else's", async () => {
    rdsMock.on(RestoreDBClusterToPointInTimeCommand).rejects(rdsFault(DBClusterAlreadyExistsFault));
    rdsMock
      .on(DescribeDBClustersCommand)
      .rejectsOnce(rdsFault(DBClusterNotFoundFault))
      .resolves({ DBClusters: [{ ...restored, TagList: [] }] });

    await expect(restoreCloneCluster({ plan: plan() })).rejects.toMatchObject({ name: 'CloneConflict' });
  });

  it('refuses a security group of the same name it did not create, and adds no rule to it', async () => {
    ec2Mock
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-0theirs', Tags: [{ Key: 'team', Value: 'x' }] }] });

    await expect(restoreCloneCluster({ plan: plan() })).rejects.toMatchObject({
      name: 'CloneConflict',
      message: expect.stringContaining('Security group "dbaf-reporting" (sg-0theirs)'),
    });
    expect(ec2Mock).not.toHaveReceivedCommand(AuthorizeSecurityGroupIngressCommand);
    expect(rdsMock).not.toHaveReceivedCommand(RestoreDBClusterToPointInTimeCommand);
  });

  it('refuses a subnet group of the same name made for another clone', async () => {
    rdsMock.on(CreateDBSubnetGroupCommand).rejects(rdsFault(DBSubnetGroupAlreadyExistsFault));
    rdsMock.on(DescribeDBSubnetGroupsCommand).resolves({
      DBSubnetGroups: [{ DBSubnetGroupName: 'dbaf-reporting', DBSubnetGroupArn: SUBNET_GROUP_ARN }],
    });
    rdsMock.on(ListTagsForResourceCommand).resolves({
      TagList: SAMPLE_TAGS.map((tag) => (tag.Key === TAG.cloneId ? { ...tag, Value: 'dbaf-other' } : tag)),
    });

    await expect(
      restoreCloneCluster({
        plan: plan({}, { dbSubnetGroupName: 'dbaf-reporting', createSubnetGroup: true }),
      }),
    ).rejects.toMatchObject({
      name: 'CloneConflict',
      message: expect.stringContaining('DB subnet group named "dbaf-reporting"'),
    });
    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });

  it('never opens the clone to every address, even if the plan asks', async () => {
    await expect(
      restoreCloneCluster({ plan: plan({}, { allowedCidrs: ['0.0.0.0/0'] }) }),
    ).rejects.toMatchObject({ name: 'NetworkInvalid' });
    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });

  it.each([
    { fault: DBClusterQuotaExceededFault, name: 'QuotaExceeded', message: /raise the DBClusters quota/ },
    { fault: DBClusterSnapshotNotFoundFault, name: 'SourceNotFound', message: /snapshot/ },
    { fault: InvalidVPCNetworkStateFault, name: 'NetworkInvalid', message: /"prod-subnets" \(vpc-0prod\)/ },
    { fault: KMSKeyNotAccessibleFault, name: 'SourceNotCloneable', message: /not the default RDS key/ },
    { fault: InvalidDBClusterStateFault, name: 'NotReady', message: /will be retried/ },
    {
      fault: InsufficientDBClusterCapacityFault,
      name: 'ResourceFailed',
      message: /try another target.instanceClass or subnets in other availability zones/,
    },
  ])('maps $fault.name to $name, naming the clone', async ({ fault, name, message }) => {
    rdsMock.on(RestoreDBClusterToPointInTimeCommand).rejects(rdsFault(fault));

    const error = await restoreCloneCluster({ plan: plan() }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name, message });
    expect((error as Error).message).toContain('"dbaf-reporting"');
    expect((error as Error).cause).toBeInstanceOf(fault);
  });

  it('maps a missing snapshot on a snapshot restore to SourceNotFound naming it', async () => {
    rdsMock.on(RestoreDBClusterFromSnapshotCommand).rejects(rdsFault(DBClusterSnapshotNotFoundFault));

    await expect(
      restoreCloneCluster({ plan: plan({ restore: { type: 'snapshot', snapshotIdentifier: 'nightly-1' } }) }),
    ).rejects.toMatchObject({ name: 'SourceNotFound', message: expect.stringContaining('"nightly-1"') });
  });

  it('lets an error it does not understand through unchanged', async () => {
    const unknown = Object.assign(new Error('bad parameters'), { name: 'InvalidParameterCombination' });
    rdsMock.on(RestoreDBClusterToPointInTimeCommand).rejects(unknown);

    await expect(handler({ plan: plan() }, lambdaContext())).rejects.toBe(unknown);
  });
});
