import { fileURLToPath } from 'node:url';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { Aws } from '../aws.js';
import { beginClone, followClone, printFailure, readyOf } from '../cloning.js';
import { type CloneConnection, cloneConnection, psqlArguments } from '../commands/connect.js';
import { findDeployment } from '../deployment.js';
import { styles } from '../follow.js';
import { type ReadyMessage, type StandInProcess, spawnStandIn } from '../launcher.js';
import { elapsed, say } from '../output.js';
import {
  awaitTtlDeletion,
  type ExpiringClone,
  keepEnding,
  keepUntilInterrupted,
  type Stage,
} from './expiry.js';
import { type Check, type Connection, checkDataPresent, checkIsolation } from './verify.js';

/**
 * `dbaf local demo` (`npm run demo`): starts the local stand-in, makes a clone of its seeded
 * production cluster as `dbaf clone` does, prints how to connect as `dbaf connect` does, runs the
 * original tool's two verification checks, then lets the clone's TTL delete it (or, with `--keep`,
 * keeps everything up until Ctrl-C and says what became of the clone).
 */

/** Options of `dbaf local demo`. */
export interface DemoOptions {
  /** Keep the stand-in and the clone up until Ctrl-C instead of waiting for the TTL's deletion. */
  readonly keep?: boolean;
}

/** The demo's TTL: the shortest a clone may have, so its deletion comes within the demo. */
const DEMO_TTL = '30m';
/** The artifact the demo clones with, wherever dbaf runs from. */
const ARTIFACT = fileURLToPath(new URL('../../examples/artifact.json', import.meta.url));

const style = () => styles(process.stdout);

/** A word for a shell: single-quoted unless it needs no quoting. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The source's connection, from the secret of its master credentials (the standard RDS secret JSON). */
async function sourceConnection(aws: Aws, secretName: string): Promise<Connection> {
  const secret = await aws.secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
  const value = JSON.parse(secret.SecretString ?? '{}') as Record<string, string | number>;
  return {
    host: String(value.host),
    port: Number(value.port),
    user: String(value.username),
    password: String(value.password),
    database: String(value.dbname),
  };
}

/** How to connect: `dbaf connect`'s psql arguments, the password on a terminal only. */
function printConnection(aws: Aws, endpoint: string, clone: CloneConnection, secretArn: string): void {
  // The password goes to a terminal only; piped output gets the command that fetches it.
  const password = process.stdout.isTTY
    ? `PGPASSWORD=${shellWord(clone.password)}`
    : `PGPASSWORD="$(/usr/bin/aws --endpoint-url ${endpoint} secretsmanager get-secret-value --secret-id ${secretArn} --query SecretString --output text | node -pe 'JSON.parse(require("fs").readFileSync(0)).password')"`;
  say(`  connect    ${password} psql ${psqlArguments(clone).map(shellWord).join(' ')}`);
  say(`  or         ${aws.command(`connect ${clone.cloneId}`)}`);
}

/** Makes the clone and checks it; undefined when the clone execution did not succeed. */
async function makeAndVerify(
  aws: Aws,
  ready: ReadyMessage,
): Promise<{ clone: ExpiringClone; checks: Check[] } | undefined> {
  const begun = await beginClone(aws, ARTIFACT, { ttl: DEMO_TTL });
  if (begun.state === 'exists') throw new Error(`The clone ${begun.clone.cloneId} exists already.`);
  say(
    `${style().bold('Cloning')} ${begun.source} into ${begun.cloneId} with examples/artifact.json (TTL ${DEMO_TTL} for the demo):`,
  );
  const followed = await followClone(aws, begun.cloneId, begun.executionArn, process.stdout);
  const { execution } = followed;
  if (execution.status !== 'SUCCEEDED') {
    await printFailure(aws, begun.cloneId, followed);
    return undefined;
  }
  const { ready: made, seconds } = readyOf(execution);
  say(style().green(`The clone is ready in ${elapsed(seconds ?? 0)}.`));
  const clone = await cloneConnection(aws, made.cloneId);
  say(`  endpoint   ${clone.host}:${clone.port}   database ${clone.database}   user ${clone.user}`);
  say(`  secret     ${made.secretArn}`);
  say(`  expires    ${made.expiresAt}`);
  printConnection(aws, ready.endpoint, clone, made.secretArn);

  say(style().bold('Verification:'));
  const source = await sourceConnection(aws, ready.source.secretName);
  const checks = [await checkDataPresent(source, clone), await checkIsolation(source, clone)];
  checks.forEach((check, index) => {
    const verdict = check.passed ? style().green('PASSED') : style().red('FAILED');
    say(`  ${index + 1}. ${verdict}  ${check.name}: ${check.detail}`);
  });
  const scheduledAt = execution.startDate ?? new Date();
  return {
    clone: { cloneId: made.cloneId, port: made.port, expiresAt: made.expiresAt, scheduledAt },
    checks,
  };
}

/** The demo against a running stand-in; resolves with the last line to print and whether it passed. */
async function run(
  standIn: StandInProcess,
  keep: boolean,
  signal: AbortSignal,
): Promise<{ passed: boolean; last: string }> {
  const { ready } = standIn;
  say(
    `The stand-in is up at ${ready.endpoint} (1 AWS minute = ${(60 * ready.timeScale).toFixed(1)} s here).`,
  );
  // The demo talks to the stand-in as `dbaf --local --endpoint-url <its endpoint>` does.
  const aws = new Aws({ local: true, endpointUrl: ready.endpoint });
  const made = await makeAndVerify(aws, ready);
  if (made === undefined) return { passed: false, last: style().red('Demo failed.') };
  const checked = made.checks.every((check) => check.passed);
  const deployment = await findDeployment(aws);
  const stage: Stage = {
    aws,
    teardownStateMachineArn: deployment.teardownStateMachineArn,
    timeScale: ready.timeScale,
    signal,
  };
  if (keep) {
    const ending = await keepUntilInterrupted(stage, made.clone);
    const verdict = checked
      ? style().green('Demo complete: both checks passed.')
      : style().red('Demo failed.');
    return { passed: checked, last: `${verdict} ${keepEnding(ending, made.clone.cloneId)}` };
  }
  say(style().dim('The clone accepts connections with the command above until it expires.'));
  const deleted = await awaitTtlDeletion(stage, made.clone);
  const passed = checked && deleted;
  return {
    passed,
    last: passed
      ? style().green('Demo complete: both checks passed and the clone removed itself.')
      : style().red('Demo failed.'),
  };
}

/** `dbaf local demo`: the whole demo, from starting the stand-in to stopping it. */
export async function demo(options: DemoOptions): Promise<void> {
  say(
    style().bold('db-artifact-factory demo: a disposable clone of a production database, on this machine.'),
  );
  say('Starting the local stand-in for AWS with a seeded legacy production database...');
  // Ctrl-C ends --keep, and interrupts the demo otherwise; it reaches the stand-in too.
  const interrupted = new AbortController();
  const interrupt = () => interrupted.abort();
  process.on('SIGINT', interrupt);
  let standIn: StandInProcess | undefined;
  let outcome: { passed: boolean; last: string } | undefined;
  try {
    standIn = await spawnStandIn();
    outcome = await run(standIn, options.keep === true, interrupted.signal);
  } catch (error) {
    if (!interrupted.signal.aborted) {
      say(style().red(`The demo failed: ${error instanceof Error ? error.message : String(error)}`));
      if (standIn)
        say(style().dim(`Last stand-in output:\n${standIn.output().split('\n').slice(-30).join('\n')}`));
    }
  } finally {
    await standIn?.stop();
    process.off('SIGINT', interrupt);
  }
  if (outcome === undefined && interrupted.signal.aborted) {
    say('Interrupted: the stand-in has stopped, and everything it made with it.');
    process.exitCode = 130;
    return;
  }
  say(outcome?.last ?? style().red('Demo failed.'));
  process.exitCode = outcome?.passed ? 0 : 1;
}
