import {
  CreateDBInstanceCommand,
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  InvalidDBClusterStateFault,
  ModifyDBClusterCommand,
  RDSClient,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rdsService } from '../../../local/services/rds/index.js';
import type { DataPlanePort } from '../../../local/services/rds/lifecycle.js';
import { serve } from './harness.js';

/** A data plane that records what it was asked and does nothing real. */
function recordingDataPlane() {
  const calls: string[] = [];
  const running = new Set<string>();
  const plane: DataPlanePort = {
    clone: async (from, to) => {
      calls.push(`clone ${from} ${to}`);
    },
    start: async (key) => {
      calls.push(`start ${key}`);
      running.add(key);
    },
    stop: async (key) => {
      calls.push(`stop ${key}`);
      running.delete(key);
    },
    remove: async (key) => {
      calls.push(`remove ${key}`);
      running.delete(key);
    },
    setPassword: async (key, user) => {
      calls.push(`password ${key} ${user}`);
    },
    isRunning: (key) => running.has(key),
  };
  return { plane, calls };
}

describe('the stand-in RDS over the awsQuery protocol', () => {
  let stand: Awaited<ReturnType<typeof serve>>;
  let rds: RDSClient;
  let recorded: ReturnType<typeof recordingDataPlane>;

  beforeEach(async () => {
    recorded = recordingDataPlane();
    stand = await serve((context) => {
      const { data } = context.account;
      data.subnets['subnet-a'] = {
        id: 'subnet-a',
        vpcId: 'vpc-1',
        availabilityZone: 'us-east-1a',
        cidr: '10.0.0.0/24',
      };
      data.subnetGroups.prod = {
        name: 'prod',
        arn: 'arn:aws:rds:us-east-1:000000000000:subgrp:prod',
        description: '',
        vpcId: 'vpc-1',
        subnetIds: ['subnet-a'],
        tags: [],
      };
      data.clusters.prod = {
        id: 'prod',
        arn: 'arn:aws:rds:us-east-1:000000000000:cluster:prod',
        resourceId: 'cluster-PROD',
        engine: 'aurora-postgresql',
        engineVersion: '15.4',
        status: 'available',
        port: 5432,
        masterUsername: 'admin',
        databaseName: 'app',
        subnetGroup: 'prod',
        clusterParameterGroup: 'default.aurora-postgresql15',
        securityGroupIds: [],
        tags: [],
        createdAt: new Date().toISOString(),
        deletionProtection: true,
        pendingPassword: false,
      };
      data.instances['prod-1'] = {
        id: 'prod-1',
        arn: 'arn:aws:rds:us-east-1:000000000000:db:prod-1',
        resourceId: 'db-1',
        clusterId: 'prod',
        instanceClass: 'db.r6g.large',
        status: 'available',
        parameterGroup: 'default',
        availabilityZone: 'us-east-1a',
        tags: [],
        createdAt: new Date().toISOString(),
      };
      return [rdsService(context, recorded.plane)];
    });
    rds = new RDSClient(stand.config);
  });

  afterEach(async () => {
    await stand.close();
  });

  const restore = (id: string) =>
    rds.send(
      new RestoreDBClusterToPointInTimeCommand({
        DBClusterIdentifier: id,
        SourceDBClusterIdentifier: 'prod',
        RestoreType: 'copy-on-write',
        UseLatestRestorableTime: true,
        Tags: [{ Key: 'dbaf:managed-by', Value: 'db-artifact-factory' }],
        VpcSecurityGroupIds: ['sg-1', 'sg-2'],
      }),
    );

  const statusOf = async (id: string) =>
    (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0]?.Status;

  it('restores a clone that is creating, copies the source, and becomes available on the clock', async () => {
    const { DBCluster } = await restore('clone-a');
    expect(DBCluster).toMatchObject({
      DBClusterIdentifier: 'clone-a',
      Status: 'creating',
      TagList: [{ Key: 'dbaf:managed-by', Value: 'db-artifact-factory' }],
    });
    expect(DBCluster?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual(['sg-1', 'sg-2']);
    await expect.poll(() => statusOf('clone-a'), { timeout: 5_000 }).toBe('available');
    expect(recorded.calls[0]).toMatch(/^clone cluster-PROD cluster-/);
  });

  it('refuses an existing name with the SDK typed error', async () => {
    await expect(restore('prod')).rejects.toBeInstanceOf(DBClusterAlreadyExistsFault);
  });

  it('answers unknown clusters and instances with their typed not-found errors', async () => {
    await expect(
      rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'nope' })),
    ).rejects.toBeInstanceOf(DBClusterNotFoundFault);
    await expect(
      rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' })),
    ).rejects.toBeInstanceOf(DBInstanceNotFoundFault);
  });

  it('refuses an instance in a cluster that is not available, and deleting a protected cluster', async () => {
    await restore('clone-b');
    await expect(
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: 'clone-b-1',
          DBClusterIdentifier: 'clone-b',
          DBInstanceClass: 'db.r6g.large',
          Engine: 'aurora-postgresql',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidDBClusterStateFault);
    await expect(
      rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'prod', SkipFinalSnapshot: true })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
      message: expect.stringMatching(/deletion protection/),
    });
  });

  it('walks an instance through creating and backing-up to available, starting the server', async () => {
    await restore('clone-c');
    await expect.poll(() => statusOf('clone-c'), { timeout: 5_000 }).toBe('available');
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'clone-c-1',
        DBClusterIdentifier: 'clone-c',
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
      }),
    );
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const status =
            (
              await rds.send(
                new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['clone-c'] }] }),
              )
            ).DBInstances?.[0]?.DBInstanceStatus ?? '';
          seen.add(status);
          return status;
        },
        { timeout: 5_000, interval: 5 },
      )
      .toBe('available');
    expect(seen).toContain('creating');
    expect(recorded.calls.some((c) => c.startsWith('start cluster-'))).toBe(true);
    const modified = await rds.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: 'clone-c',
        MasterUserPassword: 'a-new-password-123',
        ApplyImmediately: true,
      }),
    );
    expect(modified.DBCluster?.PendingModifiedValues?.MasterUserPassword).toBeDefined();
    await expect.poll(() => statusOf('clone-c'), { timeout: 5_000 }).toBe('available');
    expect(recorded.calls).toContain(
      `password ${(await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'clone-c' }))).DBClusters?.[0]?.DbClusterResourceId} admin`,
    );
  });

  it('answers malformed requests with AWS-shaped errors, never a crash', async () => {
    const post = (body: string) =>
      fetch(stand.endpoint, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: 'AWS4-HMAC-SHA256 Credential=t/20261121/us-east-1/rds/aws4_request',
        },
      });
    const unknown = await post('Action=DescribeNothing&Version=2014-10-31');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/<Code>InvalidAction<\/Code>/);
    const missing = await post(
      'Action=CreateDBInstance&Version=2014-10-31&DBInstanceClass=db.r6g.large&Engine=aurora-postgresql',
    );
    expect(await missing.text()).toMatch(/<Code>MissingParameter<\/Code>.*DBInstanceIdentifier/);
    const noAction = await post('Version=2014-10-31');
    expect(await noAction.text()).toMatch(/<Code>MissingAction<\/Code>/);
    const badNumber = await post('Action=DescribeDBClusters&Version=2014-10-31&MaxRecords=many');
    expect(await badNumber.text()).toMatch(/<Code>InvalidParameterValue<\/Code>/);
    expect(await statusOf('prod')).toBe('available');
  });

  it('pages DescribeDBClusters with MaxRecords and Marker', async () => {
    const { clusters } = stand.context.account.data;
    const prod = clusters.prod;
    if (!prod) throw new Error('the seeded cluster is missing');
    for (let i = 0; i < 25; i += 1) clusters[`c${i}`] = { ...prod, id: `c${i}` };
    const first = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 20 }));
    expect(first.DBClusters).toHaveLength(20);
    const second = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 20, Marker: first.Marker }));
    expect(second.DBClusters).toHaveLength(6);
    expect(second.Marker).toBeUndefined();
  });
});
