import { parseArgs } from 'node:util';
import { parseDuration } from '../functions/shared/duration.js';
import { DEFAULT_DEPLOYMENT } from './deployment.js';
import { parseExpression } from './services/cron.js';
import { startStandIn } from './standin.js';

// The SDK's notice that releases after January 2027 need Node 22 is not for the demo's audience; we pin the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run local -- [options]

Runs the local stand-in for AWS: Step Functions, RDS (real PostgreSQL), EC2, Secrets Manager,
EventBridge Scheduler, EventBridge, STS and CloudFormation on one loopback endpoint.

Options:
  --port <n>         port to listen on (0 picks a free one)       [default: 4566]
  --host <address>   address to listen on                          [default: 127.0.0.1]
  --time-scale <x>   real time per AWS time (0.02: 10 min → 12 s)  [default: 0.02]
  --state-dir <dir>  keep the account and databases across restarts [default: a temp dir, removed on exit]
  --rate-limit       turn on AWS's RDS API rate limit (300 burst, 12/s)
  --max-clones-per-owner <n>  the deployment's per-owner limit (0: none) [default: 0]
  --sweeper-schedule <expression|off>
                     how often the sweeper runs, as the CDK prop     [default: rate(1 hour)]
  --expiry-warning <duration|off>
                     how long before its expiry a clone's Clone Expiring event goes out [default: 1h]
  --max-lifetime <duration>
                     longest a clone lives from its creation, however extended (at least 7d) [default: 30d]
  --protected-clones <ids>
                     comma-separated clone ids the maximum lifetime does not apply to [default: none]
  --quiet            print only the start-up banner and errors
  -h, --help         show this help

Example, from another terminal:
  aws --endpoint-url http://127.0.0.1:4566 stepfunctions start-execution \\
    --state-machine-arn arn:aws:states:us-east-1:000000000000:stateMachine:dbaf-clone \\
    --input file://examples/artifact.json`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) fail(`--${name} must be a number ≥ 0; got "${value}".`);
  return parsed;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'time-scale': { type: 'string' },
        'state-dir': { type: 'string' },
        'rate-limit': { type: 'boolean' },
        'max-clones-per-owner': { type: 'string' },
        'sweeper-schedule': { type: 'string' },
        'expiry-warning': { type: 'string' },
        'max-lifetime': { type: 'string' },
        'protected-clones': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const quiet = values.quiet === true;
  // Quiet means the handlers' INFO logs too (the hourly sweeper would print every 72 s at 0.02).
  if (quiet) process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const schedule = values['sweeper-schedule'] as string | undefined;
  const sweeperSchedule = schedule === 'off' ? false : schedule;
  if (typeof sweeperSchedule === 'string') {
    let kind: string;
    try {
      kind = parseExpression(sweeperSchedule).kind;
    } catch (error) {
      fail(`--sweeper-schedule "${sweeperSchedule}": ${(error as Error).message}`);
    }
    if (kind === 'at')
      fail(`--sweeper-schedule "${sweeperSchedule}" runs once; give rate(...), cron(...) or off.`);
  }

  const expiryWarning = values['expiry-warning'] as string | undefined;
  if (expiryWarning !== undefined && expiryWarning !== 'off' && parseDuration(expiryWarning) === undefined) {
    fail(`--expiry-warning "${expiryWarning}" is not a duration such as "1h" or "30m", nor "off".`);
  }
  const maxLifetime = values['max-lifetime'] as string | undefined;
  if (maxLifetime !== undefined) {
    const ms = parseDuration(maxLifetime);
    if (ms === undefined) fail(`--max-lifetime "${maxLifetime}" is not a duration such as "30d".`);
    const maxTtl = DEFAULT_DEPLOYMENT.maxTtl;
    if (ms < (parseDuration(maxTtl) ?? 0)) {
      fail(`--max-lifetime "${maxLifetime}" is shorter than the maximum TTL, ${maxTtl}.`);
    }
  }
  const protectedClones = ((values['protected-clones'] as string | undefined) ?? '')
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter((id) => id !== '');

  const timeScale = number(values['time-scale'] as string | undefined, 'time-scale');
  if (timeScale === 0) fail('--time-scale must be more than 0.');
  const perOwner = number(values['max-clones-per-owner'] as string | undefined, 'max-clones-per-owner') ?? 0;
  if (!Number.isInteger(perOwner)) fail('--max-clones-per-owner must be a whole number.');
  // A Ctrl-C during start-up stops the stand-in as soon as it has started, so nothing is left behind.
  let stopRequested = false;
  const early = () => {
    stopRequested = true;
  };
  process.on('SIGINT', early);
  process.on('SIGTERM', early);
  const standIn = await startStandIn({
    port: number(values.port as string | undefined, 'port'),
    host: values.host as string | undefined,
    timeScale,
    stateDir: values['state-dir'] as string | undefined,
    rateLimit: values['rate-limit'] === true,
    deployment: {
      maxClonesPerOwner: perOwner,
      ...(sweeperSchedule === undefined ? {} : { sweeperSchedule }),
      ...(expiryWarning === undefined ? {} : { expiryWarning }),
      ...(maxLifetime === undefined ? {} : { maxLifetime }),
      protectedClones,
    },
    log: quiet ? undefined : (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /EADDRINUSE/.test(message)
      ? ' Another program uses that port: pass --port <n>, or --port 0 for a free one.'
      : '';
    process.stderr.write(`The local stand-in could not start: ${message}.${hint}\n`);
    process.exit(1);
  });
  const ready = {
    type: 'ready',
    endpoint: standIn.endpoint,
    port: standIn.port,
    stateMachines: standIn.stateMachines,
    timeScale: standIn.clock.scale,
  };
  process.stdout.write(
    [
      `The local stand-in is listening on ${standIn.endpoint} (time scale ${standIn.clock.scale}).`,
      `  clone state machine:    ${standIn.stateMachines.clone}`,
      `  teardown state machine: ${standIn.stateMachines.teardown}`,
      `  sweeper state machine:  ${standIn.stateMachines.sweeper}`,
      `  refresh state machine:  ${standIn.stateMachines.refresh}`,
      `Start a clone with: aws --endpoint-url ${standIn.endpoint} stepfunctions start-execution --state-machine-arn ${standIn.stateMachines.clone} --input file://examples/artifact.json`,
      'Press Ctrl-C to stop; every PostgreSQL server it started stops with it.',
      '',
    ].join('\n'),
  );
  process.send?.(ready);
  if (stopRequested) await stopNow(standIn, 'a signal during start-up');
  process.off('SIGINT', early);
  process.off('SIGTERM', early);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stopNow(standIn, signal);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('disconnect', () => shutdown('parent gone'));

  async function stopNow(running: { stop(): Promise<void> }, why: string): Promise<never> {
    if (!quiet) process.stdout.write(`${why}: stopping the stand-in...\n`);
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`Stopping failed: ${String(error)}\n`);
      process.exit(1);
    }
  }
}

await main();
