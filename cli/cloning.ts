import {
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { CloneReady } from '../functions/publish-endpoint/handler.js';
import { type ArtifactDocument, cloneIdForName } from '../functions/shared/artifact.js';
import { DURATION_FORM, formatDuration, parseDuration } from '../functions/shared/duration.js';
import type { Aws } from './aws.js';
import { type Clone, findClone } from './clones.js';
import { checkArtifact, readDocument } from './commands/artifact.js';
import { type Deployment, executionArnOf, findDeployment } from './deployment.js';
import { causeText, EXIT, UserError } from './errors.js';
import { describeExecution, entered, type Followed, follow, stateOutput } from './execution.js';
import { styles } from './follow.js';
import { deletedLines, teardownOutput } from './teardown.js';

/**
 * Making a clone, as `dbaf clone` does and the demo (`dbaf local demo`) too: the artifact with the
 * command line's overrides, checked before any AWS call, the clone workflow started under the
 * clone's name (or the running one found), followed live, and its failure told as a person reads it.
 */

/** What the command line may change in the artifact. */
export interface CloneOverrides {
  /** `target.cloneName`; the deployment's prefix is added when missing. */
  readonly name?: string;
  /** `lifecycle.ttl`, such as `8h`. */
  readonly ttl?: string;
  /** `lifecycle.owner`. @default the artifact's, then the caller's AWS user or role session name */
  readonly owner?: string;
}

/** What {@link beginClone} found or did: the clone exists already, or its execution runs. */
export type Begun =
  | { readonly state: 'exists'; readonly clone: Clone }
  | {
      /** `started`: this call started it; `running`: an execution of that name was running already. */
      readonly state: 'started' | 'running';
      readonly cloneId: string;
      readonly owner: string;
      /** The source cluster, as the artifact names it. */
      readonly source: string | undefined;
      readonly executionName: string;
      readonly executionArn: string;
    };

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
function withOverrides(document: ArtifactDocument, options: CloneOverrides): ArtifactDocument {
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

/**
 * Starts the clone workflow for an artifact file, named after the clone, unless the clone exists
 * or its execution runs already: running it twice never makes two clones.
 *
 * @throws UserError for a bad file or artifact, a missing name or a TTL beyond the deployment's maximum.
 */
export async function beginClone(aws: Aws, file: string, overrides: CloneOverrides): Promise<Begun> {
  const document = withOverrides(readDocument(file), overrides);
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
  if (existing !== undefined && making?.status !== 'RUNNING') return { state: 'exists', clone: existing };

  const chosen = existing?.executionArn
    ? { name: cloneId, runningArn: existing.executionArn }
    : await executionName(aws, deployment, cloneId);
  const begun = { cloneId, owner, source: document.source?.clusterIdentifier, executionName: chosen.name };
  if (chosen.runningArn !== undefined) return { state: 'running', ...begun, executionArn: chosen.runningArn };
  const executionArn = await start(aws, deployment, chosen.name, JSON.stringify(input));
  return { state: 'started', ...begun, executionArn };
}

/**
 * Follows a clone execution to its end, its progress on `progress`. Ctrl-C stops following, not
 * the clone (a {@link UserError} with {@link EXIT.interrupted}).
 */
export function followClone(
  aws: Aws,
  cloneId: string,
  executionArn: string,
  progress: NodeJS.WriteStream = process.stderr,
): Promise<Followed> {
  return follow(
    aws,
    executionArn,
    `The clone goes on being made; run the same command again to follow it, or "${aws.command(`delete ${cloneId}`)}" to cancel it.`,
    progress,
  );
}

/** A succeeded clone execution's output, and how long the execution took, in seconds, when known. */
export function readyOf(execution: DescribeExecutionCommandOutput): {
  readonly ready: CloneReady;
  readonly seconds: number | undefined;
} {
  const ready = JSON.parse(execution.output ?? '{}') as CloneReady;
  const seconds =
    execution.startDate && execution.stopDate
      ? (execution.stopDate.getTime() - execution.startDate.getTime()) / 1000
      : undefined;
  return { ready, seconds };
}

/** Tells on stderr why a clone execution did not succeed, and what its rollback deleted. */
export async function printFailure(aws: Aws, cloneId: string, followed: Followed): Promise<void> {
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
