import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAccountAttributesCommand, ListTagsForResourceCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandInProcess } from '../../cli/launcher.js';
import { bareEnv, type DbafRun, dbaf } from '../cli/support.js';
import { managedLeftovers } from './leftovers.js';
import { control, E2E_TIME_SCALE, sdkConfig, startStandIn } from './support.js';

/**
 * The `dbaf` binary, run as a user runs it (`npx dbaf --local ...`, a child process with no AWS
 * settings but the stand-in's endpoint), against the local stand-in.
 */
describe('dbaf --local, against the stand-in', () => {
  let standIn: StandInProcess;
  let endpoint: string;
  let env: Record<string, string>;
  let dir: string;
  const run = (...args: string[]): Promise<DbafRun> =>
    dbaf(['--local', ...args], { env, timeoutMs: 120_000 });
  const calls = async () =>
    ((await control(endpoint, 'GET', 'stats')) as { calls: Record<string, number> }).calls;

  beforeAll(async () => {
    // No background sweeps: some tests compare the stand-in's call counts before and after a command.
    standIn = await startStandIn(E2E_TIME_SCALE, [
      '--max-clones-per-owner',
      '2',
      '--sweeper-schedule',
      'off',
    ]);
    endpoint = standIn.ready.endpoint;
    env = bareEnv({ AWS_ENDPOINT_URL: endpoint });
    dir = mkdtempSync(join(tmpdir(), 'dbaf-e2e-'));
  }, 120_000);

  afterAll(async () => {
    await standIn?.stop();
  });

  it('clone → list shows it → extend → connect runs a query → delete → list no longer shows it', async () => {
    const cloned = await run('clone', 'examples/artifact.json', '--name', 'cli-flow', '--ttl', '2h');
    expect(cloned.stderr).toMatch(/RestoreCloneCluster\n/);
    expect(cloned.stderr).toContain('Cluster dbaf-cli-flow is creating; waiting.');
    expect(cloned.stderr).toMatch(/PublishEndpoint\n/);
    expect(cloned.code).toBe(0);
    expect(cloned.stdout).toContain('Clone dbaf-cli-flow is ready');
    expect(cloned.stdout).toMatch(/endpoint +127\.0\.0\.1:\d+/);
    expect(cloned.stdout).toContain('Connect with: npx dbaf --local connect dbaf-cli-flow');
    const secrets = new SecretsManagerClient(sdkConfig(endpoint));
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: 'dbaf/dbaf-cli-flow' }));
    const { password } = JSON.parse(secret.SecretString ?? '{}') as { password: string };
    expect(`${cloned.stdout}${cloned.stderr}`).not.toContain(password);

    const listed = await run('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME +SOURCE +OWNER +STATUS +ENDPOINT +EXPIRES\n/);
    expect(listed.stdout).toMatch(
      /\ndbaf-cli-flow +legacy-prod +alice@example\.com +available +127\.0\.0\.1:\d+ +in (2h|1h59m)\n/,
    );
    const [before] = JSON.parse((await run('list', '--json')).stdout) as { expiresAt: string; arn: string }[];

    const extended = await run('extend', 'cli-flow', '4h');
    expect(extended.code).toBe(0);
    const expected = `${new Date(Date.parse(before?.expiresAt ?? '') + 4 * 3_600_000).toISOString().slice(0, 19)}Z`;
    expect(extended.stdout).toContain(`Clone dbaf-cli-flow now expires at ${expected}`);
    const scheduler = new SchedulerClient(sdkConfig(endpoint));
    const schedule = await scheduler.send(
      new GetScheduleCommand({ GroupName: 'dbaf', Name: 'dbaf-cli-flow' }),
    );
    expect(schedule.ScheduleExpression).toBe(`at(${expected.slice(0, 19)})`);
    // The Clone Expiring warning moved with it: an hour before the new expiry, naming it.
    const warnAt = new Date(Date.parse(expected) - 3_600_000).toISOString().slice(0, 19);
    expect(extended.stdout).toContain(`Its Clone Expiring event goes out at ${warnAt}Z`);
    const warning = await scheduler.send(
      new GetScheduleCommand({ GroupName: 'dbaf', Name: 'dbaf-cli-flow.warning' }),
    );
    expect(warning.ScheduleExpression).toBe(`at(${warnAt})`);
    expect(JSON.parse(warning.Target?.Input ?? '{}')).toMatchObject({
      cloneId: 'dbaf-cli-flow',
      expiresAt: expected,
    });
    const tags = await new RDSClient(sdkConfig(endpoint)).send(
      new ListTagsForResourceCommand({ ResourceName: before?.arn }),
    );
    expect(tags.TagList).toContainEqual({ Key: 'dbaf:expires-at', Value: expected });

    const connected = await run('connect', 'cli-flow', '-c', 'select count(*) as customers from customers');
    expect(connected.stderr).toBe('');
    expect(connected.code).toBe(0);
    expect(connected.stdout).toMatch(/customers\s*\n-+\s*\n\s*[1-9]\d*\s*\n\(1 row\)/);

    const deleted = await run('delete', 'cli-flow');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Clone dbaf-cli-flow is deleted.');
    expect(deleted.stdout).toMatch(/cluster: dbaf-cli-flow\n/);
    expect((await run('list')).stdout).not.toContain('dbaf-cli-flow');
    expect(await managedLeftovers(endpoint, 'dbaf-cli-flow')).toEqual([]);
  }, 180_000);

  it('running the same clone command twice makes one clone, and says so', async () => {
    const detached = await run('clone', 'examples/artifact.json', '--name', 'cli-twice', '--detach');
    expect(detached.code).toBe(0);
    expect(detached.stdout.trim()).toMatch(/:execution:dbaf-clone:dbaf-cli-twice$/);

    const again = await run('clone', 'examples/artifact.json', '--name', 'cli-twice');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      'Clone dbaf-cli-twice is already being made (execution dbaf-cli-twice): following it.',
    );
    expect(again.stdout).toContain('Clone dbaf-cli-twice is ready');

    const third = await run('clone', 'examples/artifact.json', '--name', 'cli-twice');
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('Clone dbaf-cli-twice already exists');
    expect(third.stdout).toContain('nothing started');

    const sfn = new SFNClient(sdkConfig(endpoint));
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: standIn.ready.stateMachines.clone }),
    );
    expect(executions.filter((execution) => execution.name?.startsWith('dbaf-cli-twice'))).toHaveLength(1);

    // Made again after a delete: Step Functions keeps the old execution's name, so the next one is --2.
    expect((await run('delete', 'cli-twice')).code).toBe(0);
    const remade = await run('clone', 'examples/artifact.json', '--name', 'cli-twice', '--detach', '--json');
    expect(JSON.parse(remade.stdout)).toMatchObject({
      status: 'RUNNING',
      cloneId: 'dbaf-cli-twice',
      executionArn: expect.stringMatching(/:dbaf-cli-twice--2$/),
    });
    // Deleting a clone still being made stops its execution first, then tears down what it made.
    const cancelled = await run('delete', 'cli-twice', '--json');
    expect(cancelled.code).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ status: 'SUCCEEDED', cloneId: 'dbaf-cli-twice' });
    expect(await managedLeftovers(endpoint, 'dbaf-cli-twice')).toEqual([]);
  }, 180_000);

  it('prints the cause of a failed clone and what was rolled back, exiting 1', async () => {
    await control(endpoint, 'POST', 'faults', {
      service: 'rds',
      action: 'CreateDBInstance',
      outcome: 'failed',
    });
    const failed = await run('clone', 'examples/artifact.json', '--name', 'cli-fails');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('The clone dbaf-cli-fails failed: ResourceFailed');
    expect(failed.stderr).toMatch(/dbaf-cli-fails-1.*failed/);
    expect(failed.stderr).toMatch(/Rolled back; deleted:\n(.*\n)* {2}cluster: dbaf-cli-fails\n/);
    expect(failed.stderr).not.toContain('"errorType"');
    expect(await managedLeftovers(endpoint, 'dbaf-cli-fails')).toEqual([]);
  }, 180_000);

  it('refuses a TTL beyond the maximum, before starting anything', async () => {
    const before = await calls();
    const refused = await run('clone', 'examples/artifact.json', '--name', 'cli-long', '--ttl', '8d');
    expect(refused.code).toBe(6);
    expect(refused.stderr).toBe(
      "dbaf: A TTL of 8d is longer than this deployment's maximum TTL, 7d. Ask for 7d or less.\n",
    );
    expect((await calls())['states:StartExecution']).toBe(before['states:StartExecution']);
  });

  it('checks the artifact before any AWS call', async () => {
    const file = join(dir, 'no-class.json');
    const artifact = JSON.parse(readFileSync('examples/artifact.json', 'utf8'));
    delete artifact.target.instanceClass;
    writeFileSync(file, JSON.stringify(artifact));
    const before = await calls();
    const refused = await run('clone', file, '--name', 'cli-invalid');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('target.instanceClass: missing');
    expect(await calls()).toEqual(before);
  });

  it('asks for a clone name when neither --name nor the artifact gives one, exiting 2', async () => {
    const file = join(dir, 'unnamed.json');
    const artifact = JSON.parse(readFileSync('examples/artifact.json', 'utf8'));
    delete artifact.target.cloneName;
    writeFileSync(file, JSON.stringify(artifact));
    const refused = await run('clone', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^dbaf: Name the clone with --name <name>/);
  });

  it.each([
    [['show', 'nope'], 4, /^dbaf: No clone named "dbaf-nope" here\. "dbaf list" shows the clones/],
    [['extend', 'nope', '1h'], 4, /^dbaf: No clone named "dbaf-nope"/],
    [['connect', 'nope'], 4, /^dbaf: No clone named "dbaf-nope"/],
    [['delete', 'nope'], 4, /^dbaf: No clone named "dbaf-nope" here, and nothing of one is left/],
    [
      ['--stack', 'Elsewhere', 'show', 'x'],
      4,
      /^dbaf: Stack "Elsewhere" was not found in us-east-1 of the local stand-in/,
    ],
  ])('dbaf --local %j exits %i with one clear message', async (args, code, message) => {
    const result = await run(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a clone beyond the per-owner limit and one beyond the region quota, saying which limit', async () => {
    const clone = (name: string, owner: string) =>
      run('clone', 'examples/artifact.json', '--name', name, '--owner', owner);
    expect((await clone('cli-bo-1', 'bo@example.com')).code).toBe(0);
    expect((await clone('cli-bo-2', 'bo@example.com')).code).toBe(0);
    const third = await clone('cli-bo-3', 'bo@example.com');
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('The clone dbaf-cli-bo-3 failed: QuotaExceeded');
    expect(third.stderr).toContain(
      'Owner "bo@example.com" already has 2 clones (dbaf-cli-bo-1, dbaf-cli-bo-2), the most this deployment allows one owner (MAX_CLONES_PER_OWNER=2). Delete one ("dbaf delete <clone>")',
    );
    expect(third.stderr).toContain('Nothing was created.');

    const rds = new RDSClient(sdkConfig(endpoint));
    const quotas = await rds.send(new DescribeAccountAttributesCommand({}));
    const used = quotas.AccountQuotas?.find((quota) => quota.AccountQuotaName === 'DBClusters')?.Used ?? 0;
    await control(endpoint, 'POST', 'quotas', { DBClusters: used });
    try {
      const full = await clone('cli-quota', 'cy@example.com');
      expect(full.code).toBe(1);
      expect(full.stderr).toContain('The clone dbaf-cli-quota failed: QuotaExceeded');
      expect(full.stderr).toContain(
        `This region has ${used} of ${used} DB clusters; delete unused clones or ask AWS to raise the DBClusters quota.`,
      );
    } finally {
      await control(endpoint, 'POST', 'quotas', { DBClusters: 40 });
    }
  }, 180_000);
});
