import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../cli/demo/verify.js';
import { readHistory } from '../../cli/follow.js';
import type { StandInProcess } from '../../cli/launcher.js';
import type { CloneReady } from '../../functions/publish-endpoint/handler.js';
import type { RefreshResult } from '../../functions/refresh/handler.js';
import { SOURCE } from '../../local/seed.js';
import { bareEnv, dbaf } from '../cli/support.js';
import { managedLeftovers } from './leftovers.js';
import { control, finished, SFNClient, sdkConfig, secretConnection, startStandIn } from './support.js';

const example = JSON.parse(readFileSync('examples/artifact.json', 'utf8'));
const CLONE = 'dbaf-refresh-e2e';
const artifact = {
  ...example,
  target: { ...example.target, cloneName: CLONE },
  lifecycle: { ...example.lifecycle, ttl: '8h' },
};

/** Runs one statement on a database and returns its rows. */
async function query<T extends object>(connection: Connection, sql: string): Promise<T[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('refreshing a clone through the stand-in', () => {
  let standIn: StandInProcess;
  let sfn: SFNClient;
  let rds: RDSClient;
  let source: Connection;
  let made: CloneReady;

  /** How a consumer connects: the clone's secret, read by its ARN. */
  const cloneConnection = (secretArn: string) => secretConnection(standIn.ready.endpoint, secretArn);

  const refresh = async (reason: string) => {
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: standIn.ready.stateMachines.refresh,
        input: JSON.stringify({ artifact, reason }),
      }),
    );
    return finished(sfn, executionArn, 120_000);
  };

  const clusterNames = async () => {
    const { DBClusters = [] } = await rds.send(new DescribeDBClustersCommand({}));
    return DBClusters.map((c) => c.DBClusterIdentifier).filter((id) => id?.startsWith(CLONE));
  };

  beforeAll(async () => {
    standIn = await startStandIn(undefined, ['--sweeper-schedule', 'off']);
    const { endpoint } = standIn.ready;
    sfn = new SFNClient(sdkConfig(endpoint));
    rds = new RDSClient(sdkConfig(endpoint));
    source = await secretConnection(endpoint, SOURCE.secretName);
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: standIn.ready.stateMachines.clone,
        name: CLONE,
        input: JSON.stringify(artifact),
      }),
    );
    const described = await finished(sfn, executionArn, 120_000);
    expect(described.status, described.cause).toBe('SUCCEEDED');
    made = JSON.parse(described.output ?? '{}');
  }, 180_000);

  afterAll(async () => {
    await standIn?.stop();
  });

  it('keeps the endpoint, the secret and its password, shows the source as it is now, and removes the old cluster', async () => {
    const before = await cloneConnection(made.secretArn);
    await query(before, 'CREATE TABLE scratch_from_a_test (id int)');
    await query(
      source,
      "CREATE TABLE refresh_probe (note text); INSERT INTO refresh_probe VALUES ('after the clone')",
    );

    const described = await refresh('reset');

    expect(described.status, described.cause).toBe('SUCCEEDED');
    const result: RefreshResult = JSON.parse(described.output ?? '{}');
    expect(result).toMatchObject({
      cloneId: CLONE,
      reason: 'reset',
      endpoint: made.endpoint,
      port: made.port,
      secretArn: made.secretArn,
    });
    expect(result.replaced).toMatch(new RegExp(`^${CLONE}-old$`));
    const after = await cloneConnection(made.secretArn);
    expect({ host: after.host, port: after.port, password: after.password }).toEqual({
      host: before.host,
      port: before.port,
      password: before.password,
    });
    expect(await query(after, 'SELECT note FROM refresh_probe')).toEqual([{ note: 'after the clone' }]);
    const scratch = await query<{ t: string | null }>(
      after,
      "SELECT to_regclass('scratch_from_a_test')::text AS t",
    );
    expect(scratch).toEqual([{ t: null }]);
    expect(await clusterNames()).toEqual([CLONE]);
    // The TTL counts from the refresh, and the warning moved with it (an hour before, by default).
    const scheduler = new SchedulerClient(sdkConfig(standIn.ready.endpoint));
    const schedule = (name: string) =>
      scheduler.send(new GetScheduleCommand({ GroupName: 'dbaf', Name: name }));
    const at = (iso: string) => `at(${iso.slice(0, 19)})`;
    expect(result.expiresAt > made.expiresAt).toBe(true);
    expect((await schedule(CLONE)).ScheduleExpression).toBe(at(result.expiresAt));
    const warningAt = new Date(Date.parse(result.expiresAt) - 3_600_000).toISOString();
    expect((await schedule(`${CLONE}.warning`)).ScheduleExpression).toBe(at(warningAt));
    const { DBInstances = [] } = await rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [CLONE] }] }),
    );
    expect(DBInstances.map((i) => i.DBInstanceIdentifier)).toEqual([result.instanceIdentifiers[0]]);
    const leftovers = await managedLeftovers(standIn.ready.endpoint, CLONE);
    expect(leftovers.filter((item) => /cluster|instance/.test(item))).toEqual([
      `cluster ${CLONE}`,
      `instance ${result.instanceIdentifiers[0]}`,
    ]);
  }, 150_000);

  it('leaves the old clone serving, and nothing else behind, when the rename into place fails', async () => {
    const before = await cloneConnection(made.secretArn);
    await query(before, 'CREATE TABLE kept_by_a_failed_refresh (id int)');
    const { DBInstances: instancesBefore = [] } = await rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [CLONE] }] }),
    );
    // The refresh's renames: the clone's password onto the new cluster, the old one away, the new one
    // into place. The third fails; the rollback's rename back goes through.
    await control(standIn.ready.endpoint, 'POST', 'faults', {
      service: 'rds',
      action: 'ModifyDBCluster',
      after: 2,
      error: 'InvalidParameterCombination',
      message: 'Injected: the rename was refused.',
    });

    const described = await refresh('scheduled');

    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('InvalidParameterCombination');
    expect(described.cause).toContain('the rename was refused');
    // It failed after the old cluster had moved away: the rollback renamed it back.
    const history = await readHistory(sfn, described.executionArn ?? '');
    const exited = history.flatMap((event) =>
      event.stateExitedEventDetails?.name === 'Rollback' ? [event.stateExitedEventDetails.output ?? ''] : [],
    );
    expect(exited.map((output) => JSON.parse(output).revert)).toEqual([
      expect.objectContaining({ committed: false, renamedBack: true }),
    ]);
    const still = await cloneConnection(made.secretArn);
    expect({ host: still.host, port: still.port }).toEqual({ host: before.host, port: before.port });
    const kept = await query<{ t: string | null }>(
      still,
      "SELECT to_regclass('kept_by_a_failed_refresh')::text AS t",
    );
    expect(kept).toEqual([{ t: 'kept_by_a_failed_refresh' }]);
    expect(await clusterNames()).toEqual([CLONE]);
    const { DBInstances: instancesAfter = [] } = await rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [CLONE] }] }),
    );
    expect(instancesAfter.map((i) => i.DBInstanceIdentifier)).toEqual(
      instancesBefore.map((i) => i.DBInstanceIdentifier),
    );
    const { DBInstances: all = [] } = await rds.send(new DescribeDBInstancesCommand({}));
    expect(all.map((i) => i.DBInstanceIdentifier).filter((id) => id?.startsWith(CLONE))).toHaveLength(1);
  }, 150_000);

  it('runs one of two refreshes started at once; the other fails having created nothing', async () => {
    const start = async () => {
      const { executionArn = '' } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: standIn.ready.stateMachines.refresh,
          input: JSON.stringify({ artifact, reason: 'scheduled' }),
        }),
      );
      return executionArn;
    };
    const arns = await Promise.all([start(), start()]);
    const results = await Promise.all(arns.map((arn) => finished(sfn, arn, 120_000)));

    expect(results.map((result) => result.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);
    const failed = results.find((result) => result.status === 'FAILED');
    expect(failed?.error).toBe('CloneConflict');
    // Whichever check caught it (the plan, or RDS refusing a second -next), the message says why.
    expect(JSON.parse(failed?.cause ?? '{}').errorMessage).toContain(
      'Another refresh of clone "dbaf-refresh-e2e" is under way',
    );
    expect(await clusterNames()).toEqual([CLONE]);
    const after = await cloneConnection(made.secretArn);
    expect(await query(after, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  }, 150_000);

  describe('with the dbaf command', () => {
    const run = (...args: string[]) =>
      dbaf(['--local', ...args], {
        env: bareEnv({ AWS_ENDPOINT_URL: standIn.ready.endpoint }),
        timeoutMs: 120_000,
      });

    it('schedules a refresh in a time zone, lists it with its next run, and deletes it', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'dbaf-refresh-')), 'artifact.json');
      writeFileSync(file, JSON.stringify(artifact));

      const scheduled = await run(
        'schedule-refresh',
        file,
        '--cron',
        '0 6 ? * MON-FRI *',
        '--timezone',
        'Europe/Paris',
      );
      expect(scheduled.code, scheduled.stderr).toBe(0);
      expect(scheduled.stdout).toContain(
        `Refresh of ${CLONE} scheduled: cron(0 6 ? * MON-FRI *) in Europe/Paris`,
      );

      const listed = await run('schedules', '--json');
      expect(listed.code, listed.stderr).toBe(0);
      const [view, ...others] = JSON.parse(listed.stdout);
      expect(others).toEqual([]);
      expect(view).toMatchObject({
        cloneId: CLONE,
        schedule: `${CLONE}.refresh`,
        expression: 'cron(0 6 ? * MON-FRI *)',
        timezone: 'Europe/Paris',
        state: 'ENABLED',
        source: 'legacy-prod',
      });
      // 06:00 in Paris is 05:00 or 04:00 UTC, on a weekday.
      const next = new Date(view.next);
      expect([4, 5]).toContain(next.getUTCHours());
      expect([1, 2, 3, 4, 5]).toContain(next.getUTCDay());

      const bad = await run(
        'schedule-refresh',
        file,
        '--cron',
        'every morning',
        '--timezone',
        'Mars/Olympus',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('is not a cron expression of six fields');

      const removed = await run('unschedule-refresh', CLONE);
      expect(removed.code, removed.stderr).toBe(0);
      expect(JSON.parse((await run('schedules', '--json')).stdout)).toEqual([]);
    }, 60_000);

    it('resets the clone now with the artifact it was made from, keeping its endpoint and secret', async () => {
      const before = await cloneConnection(made.secretArn);
      await query(before, 'CREATE TABLE gone_after_reset (id int)');

      const reset = await run('reset', CLONE, '--json');

      expect(reset.code, reset.stderr).toBe(0);
      const output = JSON.parse(reset.stdout);
      expect(output).toMatchObject({
        status: 'SUCCEEDED',
        refresh: { cloneId: CLONE, reason: 'reset', endpoint: made.endpoint, secretArn: made.secretArn },
      });
      const after = await cloneConnection(made.secretArn);
      const table = await query<{ t: string | null }>(
        after,
        "SELECT to_regclass('gone_after_reset')::text AS t",
      );
      expect(table).toEqual([{ t: null }]);
      expect(await clusterNames()).toEqual([CLONE]);
    }, 150_000);
  });
});
