import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DBClusterNotFoundFault, DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import {
  CLONE_READY,
  type CloneReady,
  handler,
  type Input,
  publishEndpoint,
} from '../../../functions/publish-endpoint/handler.js';
import { lambdaContext } from '../../support/context.js';
import { resetAfterEach } from '../../support/mocks.js';
import { samplePlan } from '../../support/plan.js';

const rdsMock = mockClient(RDSClient);
const eventsMock = mockClient(EventBridgeClient);

const cloneId = 'dbaf-orders-pr-42';
const endpoint = `${cloneId}.cluster-abc123.us-east-1.rds.amazonaws.com`;
const readerEndpoint = `${cloneId}.cluster-ro-abc123.us-east-1.rds.amazonaws.com`;
const secretArn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:dbaf/${cloneId}-AbCdEf`;

const plan = samplePlan({
  cloneId,
  owner: 'alice@example.com',
  source: {
    clusterIdentifier: 'orders-prod',
    clusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders-prod',
  },
  masterUsername: 'postgres',
  databaseName: 'orders',
  port: 5432,
  expiresAt: '2026-11-21T14:00:00Z',
  instanceIdentifiers: [`${cloneId}-1`, `${cloneId}-2`],
});

const input: Input = { plan, secretArn };

const describedCluster = {
  DBClusterIdentifier: cloneId,
  Status: 'available',
  Endpoint: endpoint,
  ReaderEndpoint: readerEndpoint,
  Port: 5433,
  MasterUsername: 'orders_admin',
  DatabaseName: 'ordersdb',
};

const expected: CloneReady = {
  cloneId,
  clusterIdentifier: cloneId,
  endpoint,
  readerEndpoint,
  port: 5433,
  username: 'orders_admin',
  databaseName: 'ordersdb',
  secretArn,
  expiresAt: '2026-11-21T14:00:00Z',
  owner: 'alice@example.com',
  source: 'orders-prod',
  instanceIdentifiers: [`${cloneId}-1`, `${cloneId}-2`],
  psql: `psql "host=${endpoint} port=5433 dbname=ordersdb user=orders_admin"`,
};

const meta = { $metadata: {} };

resetAfterEach(rdsMock, eventsMock);

describe('publish-endpoint', () => {
  it('returns the connection details RDS reports, with a psql hint and no password', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [describedCluster] });
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    const output = await publishEndpoint(input);

    expect(output).toEqual(expected);
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, { DBClusterIdentifier: cloneId });
    expect(JSON.stringify(output)).not.toMatch(/password/i);
  });

  it('announces the same details as a "Clone Ready" event on the configured bus', async () => {
    vi.stubEnv('EVENT_BUS_NAME', 'platform-events');
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [describedCluster] });
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    await publishEndpoint(input);

    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const entries = eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries;
    expect(entries).toHaveLength(1);
    expect(entries?.[0]).toMatchObject({
      Source: 'db-artifact-factory',
      DetailType: CLONE_READY,
      EventBusName: 'platform-events',
    });
    expect(JSON.parse(entries?.[0]?.Detail ?? '{}')).toEqual(expected);
  });

  it('uses the default bus when none is configured', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [describedCluster] });
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    await handler(input, lambdaContext());

    expect(eventsMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ EventBusName: 'default' })],
    });
  });

  it('falls back to the plan where RDS leaves a field out', async () => {
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolves({ DBClusters: [{ Status: 'available', Endpoint: endpoint }] });
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    const output = await publishEndpoint(input);

    expect(output).toMatchObject({
      clusterIdentifier: cloneId,
      readerEndpoint: endpoint,
      port: 5432,
      username: 'postgres',
      databaseName: 'orders',
    });
  });

  it('gives the same output when repeated', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [describedCluster] });
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    const first = await publishEndpoint(input);
    const second = await publishEndpoint(input);

    expect(second).toEqual(first);
  });

  it('throws AwsTransient, to be retried, when EventBridge rejects the entry', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [describedCluster] });
    eventsMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });

    const error = await publishEndpoint(input).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'AwsTransient' });
    expect((error as Error).message).toContain('InternalFailure');
    expect((error as Error).message).toContain(cloneId);
  });

  it.each([
    [
      'DBClusterNotFoundFault',
      () =>
        rdsMock
          .on(DescribeDBClustersCommand)
          .rejects(new DBClusterNotFoundFault({ message: 'gone', ...meta })),
    ],
    ['an empty answer', () => rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] })],
  ])('throws ResourceFailed when the clone is gone (%s) and announces nothing', async (_, arrange) => {
    arrange();

    const error = await publishEndpoint(input).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ResourceFailed' });
    expect((error as Error).message).toContain(`Cluster "${cloneId}" no longer exists`);
    expect(eventsMock).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('throws NotReady when the cluster has no endpoint yet', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'creating' }] });

    const error = await publishEndpoint(input).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'NotReady' });
    expect((error as Error).message).toContain('creating');
    expect(eventsMock).not.toHaveReceivedCommand(PutEventsCommand);
  });
});
