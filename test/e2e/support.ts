import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { Connection } from '../../cli/demo/verify.js';
import { type StandInProcess, spawnStandIn } from '../../cli/launcher.js';

const run = promisify(execFile);

/** The Debian AWS CLI v2 (an older shim may come first on PATH). */
export const AWS_CLI = '/usr/bin/aws';

/**
 * End-to-end tests run AWS time 200 times faster: a ten-minute clone takes about three seconds.
 * Much faster is not faithful: the real PostgreSQL work (a copy, a server start) does not scale,
 * and at 1/1000 a one-second server start is 17 AWS minutes, beyond the workflow's poll bounds.
 */
export const E2E_TIME_SCALE = '0.005';

/**
 * Starts a stand-in child process for one test file, with the handlers' logs on. Its sweeper runs
 * every AWS hour (18 s) as deployed, unless `args` say otherwise (`--sweeper-schedule off`).
 */
export function startStandIn(
  timeScale = E2E_TIME_SCALE,
  args: readonly string[] = [],
): Promise<StandInProcess> {
  return spawnStandIn(['--time-scale', timeScale, ...args], { env: { POWERTOOLS_LOG_LEVEL: 'INFO' } });
}

/** SDK v3 client settings for the stand-in. */
export function sdkConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } };
}

/**
 * How a consumer connects to a database whose credentials are in a secret (the standard RDS
 * secret JSON): the secret read by its name or ARN, from the stand-in.
 */
export async function secretConnection(endpoint: string, secretId: string): Promise<Connection> {
  const secrets = new SecretsManagerClient(sdkConfig(endpoint));
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = JSON.parse(secret.SecretString ?? '{}');
  return {
    host: value.host,
    port: value.port,
    user: value.username,
    password: value.password,
    database: value.dbname,
  };
}

/** Runs the AWS CLI against the stand-in and parses its JSON output. */
export async function awsCli(endpoint: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'e2e',
      AWS_SECRET_ACCESS_KEY: 'e2e',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    },
    cwd: new URL('../..', import.meta.url).pathname,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

export { control } from '../../local/client.js';

/** Polls until `check` returns a value, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until an execution has ended and returns its description. */
export function finished(
  sfn: SFNClient,
  executionArn: string,
  timeoutMs = 90_000,
): Promise<DescribeExecutionCommandOutput> {
  return eventually(
    `execution ${executionArn} to end`,
    async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === 'RUNNING' ? undefined : described;
    },
    timeoutMs,
  );
}

export { portOpen } from '../../cli/demo/verify.js';
export { SFNClient };
