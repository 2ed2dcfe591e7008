import { readFileSync } from 'node:fs';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connection, checkDataPresent, checkIsolation } from '../../cli/demo/verify.js';
import type { StandInProcess } from '../../cli/launcher.js';
import type { CloneReady } from '../../functions/publish-endpoint/handler.js';
import { SOURCE } from '../../local/seed.js';
import { managedLeftovers } from './leftovers.js';
import {
  awsCli,
  eventually,
  finished,
  portOpen,
  SFNClient,
  sdkConfig,
  secretConnection,
  startStandIn,
} from './support.js';

const artifact = JSON.parse(readFileSync('examples/artifact.json', 'utf8'));

describe('a clone of the seeded production database, made through the stand-in as users do', () => {
  let standIn: StandInProcess;
  let sfn: SFNClient;
  let endpoint: string;
  let executionArn: string;
  let ready: CloneReady;
  let clonePassword: string;
  let source: Connection;
  let sourceCountsBefore: number;

  const countSourceRows = async () => {
    const client = new pg.Client(source);
    await client.connect();
    try {
      const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM customers');
      return Number(result.rows[0]?.n);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    standIn = await startStandIn();
    endpoint = standIn.ready.endpoint;
    sfn = new SFNClient(sdkConfig(endpoint));
    source = await secretConnection(endpoint, SOURCE.secretName);
    sourceCountsBefore = await countSourceRows();
  }, 120_000);

  afterAll(async () => {
    await standIn?.stop();
  });

  it('starts with `aws stepfunctions start-execution --input file://examples/artifact.json` and succeeds', async () => {
    const started = await awsCli(endpoint, [
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      standIn.ready.stateMachines.clone,
      '--input',
      'file://examples/artifact.json',
    ]);
    executionArn = String(started.executionArn);
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:dbaf-clone:/);
    await finished(sfn, executionArn);
    const described = await awsCli(endpoint, [
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      executionArn,
    ]);
    expect(described.status, String(described.cause)).toBe('SUCCEEDED');
    ready = JSON.parse(String(described.output)) as CloneReady;
    expect(ready.cloneId).toBe(artifact.target.cloneName);
    expect(await portOpen(ready.port)).toBe(true);
  }, 90_000);

  it('has a history, read with `aws stepfunctions get-execution-history`, that walks the whole workflow', async () => {
    const history = await awsCli(endpoint, [
      'stepfunctions',
      'get-execution-history',
      '--execution-arn',
      executionArn,
    ]);
    const events = history.events as HistoryEvent[];
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types).toContain('LambdaFunctionSucceeded');
    expect(types).toContain('WaitStateEntered');
    const entered = events
      .filter((e) => e.stateEnteredEventDetails)
      .map((e) => e.stateEnteredEventDetails?.name);
    for (const state of [
      'InspectSource',
      'ScheduleTtlDeletion',
      'RestoreCloneCluster',
      'CreateInstances',
      'ResetPassword',
      'PublishEndpoint',
    ]) {
      expect(entered).toContain(state);
    }
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });

  it('passes both verification checks against the real servers', async () => {
    const secrets = new SecretsManagerClient(sdkConfig(endpoint));
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: ready.secretArn }));
    clonePassword = JSON.parse(value.SecretString ?? '{}').password;
    const clone: Connection = {
      host: ready.endpoint,
      port: ready.port,
      user: ready.username,
      password: clonePassword,
      database: ready.databaseName,
    };
    const present = await checkDataPresent(source, clone);
    expect(present.passed, present.detail).toBe(true);
    const isolated = await checkIsolation(source, clone);
    expect(isolated.passed, isolated.detail).toBe(true);
    expect(await countSourceRows()).toBe(sourceCountsBefore);
  });

  it('refuses the production password on the clone and accepts the new one from the secret', async () => {
    const connectAs = async (password: string) => {
      const client = new pg.Client({
        host: ready.endpoint,
        port: ready.port,
        user: ready.username,
        password,
        database: ready.databaseName,
      });
      try {
        await client.connect();
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    expect(clonePassword).not.toBe(source.password);
    expect(await connectAs(source.password)).toMatch(/password authentication failed/);
    expect(await connectAs(clonePassword)).toBe('accepted');
    // The source still answers to its own password, unchanged by the clone's reset.
    expect(await countSourceRows()).toBe(sourceCountsBefore);
  });

  it('is deleted when its TTL runs out: the schedule fires, the teardown succeeds, the server is gone', async () => {
    // The example's TTL is 8 hours (2.4 minutes here); a second clone with the shortest TTL expires sooner.
    const shortLived = {
      ...artifact,
      target: { ...artifact.target, cloneName: 'dbaf-ttl-check' },
      lifecycle: { ...artifact.lifecycle, ttl: '30m' },
    };
    const { executionArn: arn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: standIn.ready.stateMachines.clone,
        name: 'dbaf-ttl-check',
        input: JSON.stringify(shortLived),
      }),
    );
    const made = await finished(sfn, arn);
    expect(made.status, made.cause).toBe('SUCCEEDED');
    const clone = JSON.parse(made.output ?? '{}') as CloneReady;
    expect(await portOpen(clone.port)).toBe(true);
    const teardown = await eventually(
      'the TTL schedule to start the teardown',
      async () => {
        const { executions = [] } = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: standIn.ready.stateMachines.teardown }),
        );
        return executions.find((e) => e.status !== 'RUNNING');
      },
      90_000,
    );
    const described = await finished(sfn, teardown.executionArn ?? '');
    expect(described.status, described.cause).toBe('SUCCEEDED');
    expect(JSON.parse(described.input ?? '{}')).toMatchObject({ cloneId: 'dbaf-ttl-check' });
    expect(await portOpen(clone.port)).toBe(false);
    const rds = new RDSClient(sdkConfig(endpoint));
    await expect(
      rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'dbaf-ttl-check' })),
    ).rejects.toMatchObject({ name: 'DBClusterNotFoundFault' });
    expect(await managedLeftovers(endpoint, 'dbaf-ttl-check')).toEqual([]);
    // The first clone, whose TTL is hours away, is still there.
    expect(await portOpen(ready.port)).toBe(true);
  }, 120_000);

  it('never shows the password in an execution history or in the stand-in log', async () => {
    expect(clonePassword.length).toBeGreaterThanOrEqual(16);
    for (const stateMachineArn of Object.values(standIn.ready.stateMachines)) {
      const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      for (const execution of executions) {
        const history = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000 }),
        );
        expect(JSON.stringify(history.events)).not.toContain(clonePassword);
      }
    }
    const log = standIn.output();
    expect(log).toContain('"level":"INFO"');
    expect(log).not.toContain(clonePassword);
    expect(log).not.toContain(source.password);
  });
});
