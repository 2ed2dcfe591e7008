import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { CloneReady } from '../../functions/publish-endpoint/handler.js';
import { type ArtifactDocument, cloneIdForName } from '../../functions/shared/artifact.js';
import { DURATION_FORM, formatDuration, parseDuration } from '../../functions/shared/duration.js';
import type { Aws } from '../aws.js';
import { type Clone, findClone } from '../clones.js';
import { examples, type Program, withAws } from '../command.js';
import { type Deployment, executionArnOf, findDeployment } from '../deployment.js';
import { causeText, EXIT, UserError } from '../errors.js';
import { describeExecution, entered, type Followed, follow, stateOutput } from '../execution.js';
import { styles } from '../follow.js';
import { elapsed, fields, printJson, relativeTime, say } from '../output.js';
import { deletedLines, teardownOutput } from '../teardown.js';
import { checkArtifact, readDocument } from './artifact.js';

/** Options of `dbaf clone`. */
export interface CloneOptions {
  readonly name?: string;
  readonly ttl?: string;
  readonly owner?: string;
  readonly detach?: boolean;
  readonly json?: boolean;
}

/** Executions one clone name may have had (one per re-creation) before a new name is needed. */
const MAX_GENERATIONS = 50;

/** The characters AWS tags allow, which the artifact's owner must keep to. */
const TAG_CHARACTERS = /[^\p{L}\p{N}\s_.:/=+\-@]/gu;

/** Who is calling, for the `dbaf:owner` tag: the user name or role session name of the caller's ARN. */
async function callerName(aws: Aws): Promise<string> {
  const identity = await aws.sts.send(new GetCallerIdentityCommand({}));
  const name = identity.Arn?.split(/[/:]/).pop() ?? 'unknown';
  return name.replace(TAG_CHARACTERS, '-').slice(0, 128) || 'unknown';
}

/** The artifact with the command line's `--name`, `--ttl` and `--owner` applied. */
function withOverrides(document: ArtifactDocument, options: CloneOptions): ArtifactDocument {
  if (options.ttl !== undefined && parseDuration(options.ttl) === undefined) {
    throw new UserError(`--ttl "${options.ttl}" is not ${DURATION_FORM}.`, EXIT.usage);
  }
  // Not an object: nothing to override, and the check that follows says what the document must be.
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  return {
    ...document,
    target: { ...document.target, ...(options.name === undefined ? {} : { cloneName: options.name }) },
    lifecycle: {
      ...document.lifecycle,
      ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
      ...(options.owner === undefined ? {} : { owner: options.owner }),
    },
  };
}

function checkTtl(document: ArtifactDocument, deployment: Deployment): void {
  const ttl = document.lifecycle?.ttl ?? deployment.defaultTtl;
  const ttlMs = parseDuration(ttl) ?? 0;
  const maxMs = parseDuration(deployment.maxTtl) ?? Number.POSITIVE_INFINITY;
  if (ttlMs > maxMs) {
    throw new UserError(
      `A TTL of ${ttl} is longer than this deployment's maximum TTL, ${deployment.maxTtl}. Ask for ${formatDuration(maxMs)} or less.`,
      EXIT.refused,
    );
  }
}

/**
 * The execution to start (named after the clone) or to follow (one already running under that name).
 * Step Functions keeps execution names for 90 days, so a clone made again after a delete gets the
 * next free `<cloneId>--N`.
 */
async function executionName(
  aws: Aws,
  deployment: Deployment,
  cloneId: string,
): Promise<{ name: string; runningArn?: string }> {
  for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
    const name = generation === 1 ? cloneId : `${cloneId}--${generation}`;
    const existing = await describeExecution(aws, executionArnOf(deployment.cloneStateMachineArn, name));
    if (existing === undefined) return { name };
    if (existing.status === 'RUNNING') return { name, runningArn: existing.executionArn ?? '' };
  }
  throw new UserError(
    `The name "${cloneId}" was used by ${MAX_GENERATIONS} clone executions in the last 90 days; choose another --name.`,
    EXIT.refused,
  );
}

function printReady(aws: Aws, ready: CloneReady, seconds: number | undefined): void {
  const style = styles(process.stdout);
  say(
    style.green(`Clone ${ready.cloneId} is ready${seconds === undefined ? '' : ` (${elapsed(seconds)})`}.`),
  );
  say(
    fields([
      ['endpoint', `${ready.endpoint}:${ready.port}`],
      ['reader', `${ready.readerEndpoint}:${ready.port}`],
      ['database', ready.databaseName],
      ['user', ready.username],
      ['secret', ready.secretArn],
      ['expires', `${ready.expiresAt} (${relativeTime(ready.expiresAt)})`],
    ]),
  );
  say(`Connect with: ${aws.command(`connect ${ready.cloneId}`)}`);
}

async function printFailure(aws: Aws, cloneId: string, followed: Followed): Promise<void> {
  const { execution, history } = followed;
  const style = styles(process.stderr);
  const line = (text: string) => process.stderr.write(`${text}\n`);
  line(
    style.red(
      `The clone ${cloneId} ${execution.status?.toLowerCase() ?? 'failed'}: ${execution.error ?? ''}`,
    ),
  );
  const cause = causeText(execution.cause);
  if (cause) line(cause);
  if (execution.status !== 'FAILED') {
    line(
      `What it made stays until its TTL schedule deletes it; "${aws.command(`delete ${cloneId}`)}" deletes it now.`,
    );
    return;
  }
  if (!entered(history, 'Rollback')) {
    line('Nothing was created.');
    return;
  }
  const rollback = stateOutput<{ rollback?: { executionArn?: string } }>(history, 'Rollback')?.rollback;
  const output = rollback?.executionArn ? await teardownOutput(aws, rollback.executionArn) : undefined;
  if (output === undefined) return; // RollbackFailed: its cause above says what remains and what to do.
  const lines = deletedLines(output);
  line(lines.length === 0 ? 'Rolled back: it had created nothing.' : 'Rolled back; deleted:');
  for (const text of lines) line(`  ${text}`);
}

async function followClone(aws: Aws, cloneId: string, executionArn: string, options: CloneOptions) {
  const followed = await follow(
    aws,
    executionArn,
    `The clone goes on being made; run the same command again to follow it, or "${aws.command(`delete ${cloneId}`)}" to cancel it.`,
  );
  const { execution } = followed;
  if (execution.status === 'SUCCEEDED') {
    const ready = JSON.parse(execution.output ?? '{}') as CloneReady;
    const seconds =
      execution.startDate && execution.stopDate
        ? (execution.stopDate.getTime() - execution.startDate.getTime()) / 1000
        : undefined;
    if (options.json) printJson({ status: 'SUCCEEDED', executionArn, clone: ready });
    else printReady(aws, ready, seconds);
    return;
  }
  if (options.json) {
    printJson({
      status: execution.status,
      executionArn,
      error: execution.error,
      cause: causeText(execution.cause),
    });
  }
  await printFailure(aws, cloneId, followed);
  process.exitCode = EXIT.failed;
}

function alreadyThere(aws: Aws, clone: Clone, options: CloneOptions): void {
  if (clone.clusterStatus === 'deleting') {
    throw new UserError(
      `Clone ${clone.cloneId} is being deleted. Wait for that ("${aws.command(`delete ${clone.cloneId}`)}" follows it), then run this again.`,
      EXIT.refused,
    );
  }
  if (options.json) {
    printJson({ status: 'EXISTS', executionArn: clone.executionArn, clone });
    return;
  }
  say(
    `Clone ${clone.cloneId} already exists (owner ${clone.owner}, ${clone.status}, expires ${relativeTime(clone.expiresAt)}): nothing started.`,
  );
  say(`See it with "${aws.command(`show ${clone.cloneId}`)}", or delete it first to make it again.`);
}

/**
 * `dbaf clone <artifact>`: starts the clone workflow named after the clone and follows it.
 *
 * The execution name is the clone's id, so running the same command twice never makes two clones:
 * the second run follows the first, or says the clone already exists.
 */
export async function clone(file: string, options: CloneOptions, aws: Aws): Promise<void> {
  const document = withOverrides(readDocument(file), options);
  checkArtifact(document, file);
  const name = document.target?.cloneName;
  if (name === undefined) {
    throw new UserError(
      'Name the clone with --name <name> (or target.cloneName in the artifact): the name is what makes "dbaf clone" safe to run twice.',
      EXIT.usage,
    );
  }
  const deployment = await findDeployment(aws);
  checkTtl(document, deployment);
  const cloneId = cloneIdForName(name, deployment.cloneNamePrefix);
  const owner = document.lifecycle?.owner ?? (await callerName(aws));
  const input = {
    ...document,
    target: { ...document.target, cloneName: cloneId },
    lifecycle: { ...document.lifecycle, owner },
  };

  const existing = await findClone(aws.rds, cloneId);
  const making = existing?.executionArn ? await describeExecution(aws, existing.executionArn) : undefined;
  if (existing !== undefined && making?.status !== 'RUNNING') return alreadyThere(aws, existing, options);

  const chosen = existing?.executionArn
    ? { name: cloneId, runningArn: existing.executionArn }
    : await executionName(aws, deployment, cloneId);
  let executionArn = chosen.runningArn;
  if (executionArn !== undefined) {
    if (!options.json)
      say(
        `Clone ${cloneId} is already being made (execution ${executionArn.split(':').pop()}): following it.`,
      );
  } else {
    executionArn = await start(aws, deployment, chosen.name, JSON.stringify(input));
    if (!options.json && !options.detach) {
      say(
        `Cloning ${document.source?.clusterIdentifier} into ${cloneId} for ${owner} (execution ${chosen.name}).`,
      );
    }
  }
  if (options.detach) {
    if (options.json) printJson({ status: 'RUNNING', executionArn, cloneId });
    else say(executionArn);
    return;
  }
  await followClone(aws, cloneId, executionArn, options);
}

async function start(aws: Aws, deployment: Deployment, name: string, input: string): Promise<string> {
  try {
    const started = await aws.sfn.send(
      new StartExecutionCommand({ stateMachineArn: deployment.cloneStateMachineArn, name, input }),
    );
    return started.executionArn ?? '';
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    // Another `dbaf clone` of the same name started it a moment ago with other settings.
    throw new UserError(
      `Another clone execution named ${name} started just now with different settings; "${aws.command('list')}" shows what exists.`,
      EXIT.refused,
      { cause: error },
    );
  }
}

/** Adds `dbaf clone` to the program. */
export function register(program: Program): void {
  program
    .command('clone')
    .description(
      'make a clone: start the clone workflow named after the clone, follow it live, print how to connect',
    )
    .argument('<artifact>', 'the artifact document (JSON)')
    .option('--name <name>', "the clone's name (default: target.cloneName); the deployment's prefix is added")
    .option('--ttl <duration>', 'how long it lives, such as 8h or 3d (default: lifecycle.ttl)')
    .option('--owner <owner>', 'who it is for (default: lifecycle.owner, then your AWS user name)')
    .option('--detach', 'print the execution ARN and return at once')
    .option('--json', 'print the result as JSON (progress still goes to standard error)')
    .addHelpText(
      'after',
      `${examples(
        'dbaf clone artifact.json --name my-clone --ttl 8h',
        'dbaf --local clone examples/artifact.json --name demo',
        'dbaf clone artifact.json --name nightly --detach --json',
      )}\n\nRunning the same command again never makes a second clone: it follows the running\nexecution, or says the clone exists.`,
    )
    .action((file, options, command) => withAws(command, (aws) => clone(file, options, aws)));
}
