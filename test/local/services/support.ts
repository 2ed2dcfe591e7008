import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Clock } from '../../../local/core/clock.js';
import { Faults } from '../../../local/core/faults.js';
import { AwsServer } from '../../../local/core/server.js';
import type { ServiceContext, ServiceDefinition } from '../../../local/core/service.js';
import { Account } from '../../../local/core/state.js';

/** The AWS CLI the CLI tests run (Debian's `awscli` package). */
export const AWS_CLI = '/usr/bin/aws';
export const hasCli = existsSync(AWS_CLI);
if (!hasCli)
  console.warn(`${AWS_CLI} is missing: the AWS CLI tests are skipped (apt-get install -y awscli).`);

/** Credentials and region every client of the tests uses. */
export const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

const run = promisify(execFile);

/** Runs the AWS CLI against `endpoint` with test credentials; resolves with its parsed JSON output. */
export async function awsCli(endpoint: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    },
  });
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

/** One StartExecution call a schedule made. */
export interface Started {
  readonly stateMachineArn: string;
  readonly input: string;
  readonly at: number;
}

/** A stand-in of the given services on a free loopback port, with a recording StartExecution. */
export interface Harness {
  readonly context: ServiceContext & { started: Started[]; lines: string[] };
  readonly endpoint: string;
  readonly config: ReturnType<typeof clientConfig>;
  /** Runs the AWS CLI against the stand-in; resolves with its parsed JSON output. */
  cli(...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts an AwsServer with the services `make` builds from a fresh account (scale 0.001). */
export async function startHarness(
  make: (context: ServiceContext) => ServiceDefinition[],
  options: { scale?: number; failStarts?: number } = {},
): Promise<Harness> {
  const clock = new Clock(options.scale ?? 0.001);
  const started: Started[] = [];
  const lines: string[] = [];
  let failures = options.failStarts ?? 0;
  const context = {
    account: new Account('us-east-1', '000000000000'),
    clock,
    faults: new Faults(clock),
    started,
    lines,
    log: (line: string) => lines.push(line),
    startExecution: async (stateMachineArn: string, input: string) => {
      if (failures > 0) {
        failures -= 1;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      started.push({ stateMachineArn, input, at: Date.now() });
      return {
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${started.length}`,
      };
    },
  };
  const services = make(context);
  const server = new AwsServer({
    services,
    faults: context.faults,
    control: async () => ({}),
    log: (line) => lines.push(line),
  });
  const port = await server.listen('127.0.0.1', 0);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    context,
    endpoint,
    config: clientConfig(endpoint),
    cli: (...args: string[]) => awsCli(endpoint, ...args),
    async close() {
      clock.shutdown();
      await server.close();
    },
  };
}

/** Resolves once `check` holds, polling every 5 ms; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
