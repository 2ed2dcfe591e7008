import {
  DBClusterNotFoundFault,
  type DBInstance,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { checkCloneStatus, handler, type Phase } from '../../../functions/check-clone-status/handler.js';
import { lambdaContext } from '../../support/context.js';
import { resetAfterEach } from '../../support/mocks.js';

const rdsMock = mockClient(RDSClient);

const id = 'dbaf-orders-pr-42';
const meta = { $metadata: {} };

function clusterIs(Status: string, pendingPassword = false): void {
  rdsMock.on(DescribeDBClustersCommand).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: id,
        Status,
        PendingModifiedValues: pendingPassword ? { MasterUserPassword: '****' } : {},
      },
    ],
  });
}

function clusterIsGone(): void {
  rdsMock
    .on(DescribeDBClustersCommand)
    .rejects(new DBClusterNotFoundFault({ message: `${id} not found`, ...meta }));
}

function instancesAre(...statuses: string[]): void {
  const DBInstances: DBInstance[] = statuses.map((status, index) => ({
    DBInstanceIdentifier: `${id}-${index + 1}`,
    DBClusterIdentifier: id,
    DBInstanceStatus: status,
  }));
  rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances });
}

function check(phase: Phase, attempt = 3) {
  return checkCloneStatus({ clusterIdentifier: id, phase, attempt });
}

resetAfterEach(rdsMock);

describe('check-clone-status', () => {
  describe("phase 'cluster'", () => {
    it.each([
      ['available', true, false],
      ['creating', false, false],
      ['modifying', false, false],
      ['backing-up', false, false],
      ['resetting-master-credentials', false, false],
      ['failed', false, true],
      ['cloning-failed', false, true],
      ['migration-failed', false, true],
      ['inaccessible-encryption-credentials', false, true],
      ['inaccessible-encryption-credentials-recoverable', false, true],
      ['incompatible-parameters', false, true],
      ['incompatible-restore', false, true],
      ['incompatible-network', false, true],
    ])('reads status %s as ready=%s failed=%s', async (status, ready, failed) => {
      clusterIs(status);

      const output = await check('cluster');

      expect(output).toEqual({
        phase: 'cluster',
        resource: id,
        attempt: 3,
        ready,
        failed,
        state: status,
        detail: expect.stringContaining(`Cluster ${id} is ${status}`),
      });
      expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, { DBClusterIdentifier: id });
      expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBClustersCommand, 1);
    });

    it('fails when the cluster no longer exists', async () => {
      clusterIsGone();

      await expect(check('cluster')).resolves.toEqual({
        phase: 'cluster',
        resource: id,
        attempt: 3,
        ready: false,
        failed: true,
        state: 'not-found',
        detail: `Cluster ${id} no longer exists.`,
      });
    });

    it('passes on an error it does not expect', async () => {
      const denied = new Error('User is not authorized to perform rds:DescribeDBClusters');
      denied.name = 'AccessDenied';
      rdsMock.on(DescribeDBClustersCommand).rejects(denied);

      await expect(check('cluster')).rejects.toMatchObject({ name: 'AccessDenied' });
    });
  });

  describe("phase 'password'", () => {
    it.each([
      ['available', false, true, false],
      ['available', true, false, false],
      ['resetting-master-credentials', false, false, false],
      ['resetting-master-credentials', true, false, false],
      ['modifying', true, false, false],
      ['failed', false, false, true],
      ['inaccessible-encryption-credentials', false, false, true],
      ['incompatible-parameters', false, false, true],
    ])('reads status %s with a pending password %s as ready=%s failed=%s', async (status, pending, ready, failed) => {
      clusterIs(status, pending);

      const output = await check('password');

      expect(output).toMatchObject({
        phase: 'password',
        resource: id,
        attempt: 3,
        ready,
        failed,
        state: status,
      });
      expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBClustersCommand, 1);
    });

    it('says the password is still pending while the cluster is available', async () => {
      clusterIs('available', true);

      const output = await check('password');

      expect(output.detail).toBe(
        `Cluster ${id} is available but its new master password is still pending; waiting.`,
      );
    });

    it('fails when the cluster no longer exists', async () => {
      clusterIsGone();

      await expect(check('password')).resolves.toMatchObject({
        ready: false,
        failed: true,
        state: 'not-found',
      });
    });
  });

  describe("phase 'deleted'", () => {
    it('is ready once RDS no longer knows the cluster', async () => {
      clusterIsGone();

      await expect(check('deleted', 7)).resolves.toEqual({
        phase: 'deleted',
        resource: id,
        attempt: 7,
        ready: true,
        failed: false,
        state: 'deleted',
        detail: `Cluster ${id} is deleted.`,
      });
    });

    it.each([
      'deleting',
      'available',
      'failed',
      'incompatible-parameters',
      'modifying',
    ])('waits, never fails, while the cluster is %s', async (status) => {
      clusterIs(status);

      const output = await check('deleted');

      expect(output).toMatchObject({ ready: false, failed: false, state: status });
      expect(output.detail).toBe(`Cluster ${id} is ${status}; waiting for it to be deleted.`);
    });
  });

  describe("phase 'instances'", () => {
    it.each([
      [['available'], true, false, 'available', id],
      [['available', 'available'], true, false, 'available', id],
      [['creating'], false, false, 'creating', `${id}-1`],
      [['available', 'creating'], false, false, 'creating', `${id}-2`],
      [['backing-up', 'creating'], false, false, 'creating', `${id}-2`],
      [
        ['configuring-enhanced-monitoring', 'available'],
        false,
        false,
        'configuring-enhanced-monitoring',
        `${id}-1`,
      ],
      [['available', 'modifying'], false, false, 'modifying', `${id}-2`],
      [['available', 'failed'], false, true, 'failed', `${id}-2`],
      [['creating', 'incompatible-parameters'], false, true, 'incompatible-parameters', `${id}-2`],
      [
        ['inaccessible-encryption-credentials'],
        false,
        true,
        'inaccessible-encryption-credentials',
        `${id}-1`,
      ],
      [['available', 'storage-full'], false, true, 'storage-full', `${id}-2`],
      [['restore-error'], false, true, 'restore-error', `${id}-1`],
    ])('reads %j as ready=%s failed=%s state=%s (about %s)', async (statuses, ready, failed, state, resource) => {
      instancesAre(...statuses);

      const output = await check('instances');

      expect(output).toMatchObject({ phase: 'instances', attempt: 3, ready, failed, state, resource });
      expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
        Filters: [{ Name: 'db-cluster-id', Values: [id] }],
      });
      expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 1);
      expect(rdsMock).not.toHaveReceivedCommand(DescribeDBClustersCommand);
    });

    it('waits while the cluster has no instance yet', async () => {
      instancesAre();

      await expect(check('instances')).resolves.toMatchObject({
        ready: false,
        failed: false,
        resource: id,
        detail: `Cluster ${id} has no instances yet; waiting.`,
      });
    });

    it.each([
      [['available', 'creating'], `1 of 2 instances available; ${id}-2 is creating.`],
      [
        ['available', 'failed'],
        `1 of 2 instances available; ${id}-2 is failed, a status RDS does not leave by itself.`,
      ],
      [['available', 'available'], `All 2 instances of cluster ${id} available.`],
    ])('describes %j as "%s"', async (statuses, detail) => {
      instancesAre(...statuses);

      await expect(check('instances')).resolves.toMatchObject({ detail });
    });
  });

  it('echoes the attempt through the Lambda handler', async () => {
    clusterIs('creating');

    await expect(
      handler({ clusterIdentifier: id, phase: 'cluster', attempt: 12 }, lambdaContext()),
    ).resolves.toMatchObject({ attempt: 12, phase: 'cluster', ready: false });
  });
});
