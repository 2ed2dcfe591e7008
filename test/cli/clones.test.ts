import {
  type DBCluster,
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { type CloneInstance, cloneStatus, findClone, listClones } from '../../cli/clones.js';
import { MANAGED_BY, TAG } from '../../functions/shared/tags.js';
import { rdsFault, resetAfterEach } from '../support/mocks.js';

const rdsMock = mockClient(RDSClient);
resetAfterEach(rdsMock);
const rds = new RDSClient({ region: 'eu-west-1' });

function managed(id: string, owner: string): DBCluster {
  return {
    DBClusterIdentifier: id,
    DBClusterArn: `arn:aws:rds:eu-west-1:123456789012:cluster:${id}`,
    Status: 'available',
    Endpoint: `${id}.cluster-abc.eu-west-1.rds.amazonaws.com`,
    Port: 5432,
    ClusterCreateTime: new Date('2026-11-21T08:00:00Z'),
    DBClusterMembers: [{ DBInstanceIdentifier: `${id}-1`, IsClusterWriter: true }],
    TagList: [
      { Key: TAG.managedBy, Value: MANAGED_BY },
      { Key: TAG.cloneId, Value: id },
      { Key: TAG.source, Value: 'legacy-prod' },
      { Key: TAG.owner, Value: owner },
      { Key: TAG.expiresAt, Value: '2026-11-21T16:00:00Z' },
      { Key: 'team', Value: 'billing' },
    ],
  };
}

const source: DBCluster = {
  DBClusterIdentifier: 'legacy-prod',
  Status: 'available',
  TagList: [{ Key: 'environment', Value: 'production' }],
};

describe('listClones', () => {
  it('reads every clone with one paginated DescribeDBClusters and one DescribeDBInstances, whatever their number', async () => {
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [managed('dbaf-b', 'bob'), source], Marker: 'page-2' })
      .resolvesOnce({ DBClusters: [managed('dbaf-a', 'alice'), managed('dbaf-c', 'carol')] });
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        { DBInstanceIdentifier: 'dbaf-a-1', DBClusterIdentifier: 'dbaf-a', DBInstanceStatus: 'available' },
        { DBInstanceIdentifier: 'dbaf-b-1', DBClusterIdentifier: 'dbaf-b', DBInstanceStatus: 'creating' },
        { DBInstanceIdentifier: 'legacy-prod-writer', DBClusterIdentifier: 'legacy-prod' },
      ],
    });

    const clones = await listClones(rds);

    expect(clones.map((clone) => [clone.cloneId, clone.owner, clone.status])).toEqual([
      ['dbaf-a', 'alice', 'available'],
      ['dbaf-b', 'bob', 'instance-creating'],
      ['dbaf-c', 'carol', 'no-instances'],
    ]);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBClustersCommand, 2);
    expect(rdsMock).toHaveReceivedNthCommandWith(DescribeDBClustersCommand, 2, { Marker: 'page-2' });
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 1);
    expect(clones[0]).toMatchObject({
      source: 'legacy-prod',
      expiresAt: '2026-11-21T16:00:00Z',
      createdAt: '2026-11-21T08:00:00.000Z',
      tags: { team: 'billing' },
      instances: [{ id: 'dbaf-a-1', writer: true, status: 'available' }],
    });
  });

  it('makes no instance call when there is no clone', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [source] });
    expect(await listClones(rds)).toEqual([]);
    expect(rdsMock).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
  });
});

describe('findClone', () => {
  it('is undefined when no cluster has the name', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(rdsFault(DBClusterNotFoundFault));
    expect(await findClone(rds, 'dbaf-gone')).toBeUndefined();
  });

  it('refuses a cluster that db-artifact-factory did not make, so no command touches it', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [source] });
    await expect(findClone(rds, 'legacy-prod')).rejects.toMatchObject({
      exitCode: 6,
      message: expect.stringContaining('did not make'),
    });
    expect(rdsMock).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
  });

  it('reads the instances of that cluster only', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [managed('dbaf-a', 'alice')] });
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    await findClone(rds, 'dbaf-a');
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: 'db-cluster-id', Values: ['dbaf-a'] }],
    });
  });
});

describe('cloneStatus', () => {
  const instance = (status: string): CloneInstance => ({ id: 'i', instanceClass: 'c', status, writer: true });
  it.each([
    ['creating', [], 'creating'],
    ['deleting', [instance('deleting')], 'deleting'],
    ['available', [], 'no-instances'],
    ['available', [instance('available'), instance('backing-up')], 'instance-backing-up'],
    ['available', [instance('available')], 'available'],
  ])('a cluster %s with instances %j reads %s', (cluster, instances, expected) => {
    expect(cloneStatus(cluster, instances)).toBe(expected);
  });
});
