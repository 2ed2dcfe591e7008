import { paginateListExecutions, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { cloneIdForName } from '../../functions/shared/artifact.js';
import { refreshScheduleName, ttlScheduleName } from '../../functions/shared/names.js';
import type { Aws } from '../aws.js';
import { findClone } from '../clones.js';
import { examples, type Program, withAws } from '../command.js';
import { type Deployment, findDeployment } from '../deployment.js';
import { causeText, EXIT, UserError } from '../errors.js';
import { describeExecution, follow } from '../execution.js';
import { styles } from '../follow.js';
import { printJson, say } from '../output.js';
import { deletedLines, runningTeardown, startTeardown, type TornDown } from '../teardown.js';
import { scheduleOf, secretArnOf } from './list.js';
import { runningRefresh } from './refresh.js';

/** Options of `dbaf delete`. */
export interface DeleteOptions {
  readonly detach?: boolean;
  readonly json?: boolean;
  /** Take a final snapshot; unset means what the artifact asked for (kept in the TTL schedule). */
  readonly finalSnapshot?: boolean;
}

/** Running clone executions of this clone: the one its tag names, and those named after it. */
async function runningCloneExecutions(
  aws: Aws,
  deployment: Deployment,
  cloneId: string,
  taggedArn: string | null,
): Promise<string[]> {
  const arns = new Set<string>();
  if (taggedArn !== null && (await describeExecution(aws, taggedArn))?.status === 'RUNNING')
    arns.add(taggedArn);
  const pages = paginateListExecutions(
    { client: aws.sfn },
    { stateMachineArn: deployment.cloneStateMachineArn, statusFilter: 'RUNNING' },
  );
  for await (const page of pages) {
    for (const execution of page.executions ?? []) {
      if (execution.name === cloneId || execution.name?.startsWith(`${cloneId}--`)) {
        arns.add(execution.executionArn ?? '');
      }
    }
  }
  return [...arns].filter((arn) => arn !== '');
}

/** Whether the clone's artifact asked for a final snapshot: its TTL schedule's teardown input says. */
function snapshotAskedFor(scheduleInput: string | undefined): boolean {
  try {
    return (JSON.parse(scheduleInput ?? '{}') as { finalSnapshot?: unknown }).finalSnapshot === true;
  } catch {
    return false;
  }
}

/** Starts the teardown of a clone (stopping its clone execution first, if one still runs). */
async function startDeleting(aws: Aws, deployment: Deployment, cloneId: string, options: DeleteOptions) {
  const notes: string[] = [];
  // A refresh stopped mid-swap would leave the clone's cluster under another name: let it end.
  const refreshing =
    deployment.refreshStateMachineArn === undefined
      ? undefined
      : await runningRefresh(aws, deployment.refreshStateMachineArn, cloneId);
  if (refreshing !== undefined) {
    throw new UserError(
      `Clone ${cloneId} is being refreshed (execution ${refreshing.split(':').pop()}); a refresh rolls back or finishes by itself within about 20 minutes. Delete it once that has ended.`,
      EXIT.refused,
    );
  }
  const clone = await findClone(aws.rds, cloneId);
  const schedule = await scheduleOf(aws, deployment, ttlScheduleName(cloneId));
  const running = await runningCloneExecutions(aws, deployment, cloneId, clone?.executionArn ?? null);
  if (clone === undefined && schedule === undefined && running.length === 0) {
    if ((await secretArnOf(aws, `${deployment.secretPrefix}${cloneId}`)) === null) {
      throw new UserError(
        `No clone named "${cloneId}" here, and nothing of one is left. "${aws.command('list')}" shows the clones there are.`,
        EXIT.notFound,
      );
    }
    notes.push(`Clone ${cloneId} has no cluster left; deleting what remains of it.`);
  }
  for (const executionArn of running) {
    // A clone execution stopped by hand runs no rollback: the teardown below removes what it made.
    await aws.sfn.send(
      new StopExecutionCommand({
        executionArn,
        error: 'DeletedByUser',
        cause: `dbaf delete ${cloneId} stopped this clone execution and started its teardown.`,
      }),
    );
    notes.push(`Stopped the clone execution that was still making it (${executionArn.split(':').pop()}).`);
  }
  const finalSnapshot = options.finalSnapshot ?? snapshotAskedFor(schedule?.Target?.Input);
  const executionArn = await startTeardown(aws, deployment.teardownStateMachineArn, {
    cloneId,
    reason: 'user',
    finalSnapshot,
  });
  if (finalSnapshot) notes.push(`A final snapshot ${cloneId}-final is taken before the cluster goes.`);
  if (
    deployment.refreshStateMachineArn !== undefined &&
    (await scheduleOf(aws, deployment, refreshScheduleName(cloneId)))
  ) {
    notes.push(
      `Its refresh schedule ${refreshScheduleName(cloneId)} stays and makes the clone again at its next run; "${aws.command(`unschedule-refresh ${cloneId}`)}" removes it.`,
    );
  }
  return { executionArn, notes };
}

/**
 * `dbaf delete <clone>`: starts the teardown state machine for the clone and follows it; if a
 * teardown `dbaf delete` started is already running, follows that one instead.
 */
export async function deleteClone(name: string, options: DeleteOptions, aws: Aws): Promise<void> {
  const deployment = await findDeployment(aws);
  const cloneId = cloneIdForName(name, deployment.cloneNamePrefix);
  const running = await runningTeardown(aws, deployment.teardownStateMachineArn, cloneId);
  const started = running?.executionArn
    ? {
        executionArn: running.executionArn,
        notes: [`Clone ${cloneId} is already being deleted: following that.`],
      }
    : await startDeleting(aws, deployment, cloneId, options);
  const { executionArn } = started;
  if (!options.json) {
    for (const note of started.notes) say(note);
  }
  if (options.detach) {
    if (options.json) printJson({ status: 'RUNNING', executionArn, cloneId });
    else say(executionArn);
    return;
  }
  if (!options.json && !running) say(`Deleting ${cloneId} (teardown ${executionArn.split(':').pop()}).`);
  const { execution } = await follow(
    aws,
    executionArn,
    `The teardown goes on; "${aws.command(`delete ${cloneId}`)}" follows it again.`,
  );
  const output =
    execution.status === 'SUCCEEDED' ? (JSON.parse(execution.output ?? '{}') as TornDown) : undefined;
  if (options.json) {
    printJson({
      status: execution.status,
      executionArn,
      cloneId,
      ...(output === undefined
        ? { error: execution.error, cause: causeText(execution.cause) }
        : { deleted: output }),
    });
  } else if (output !== undefined) {
    const lines = deletedLines(output);
    say(styles(process.stdout).green(`Clone ${cloneId} is deleted.`));
    for (const line of lines) say(`  ${line}`);
  }
  if (output === undefined) {
    const style = styles(process.stderr);
    process.stderr.write(
      `${style.red(`The teardown of ${cloneId} ${execution.status?.toLowerCase()}: ${execution.error ?? ''}`)}\n${causeText(execution.cause)}\n` +
        `Run "${aws.command(`delete ${cloneId}`)}" again to resume it.\n`,
    );
    process.exitCode = EXIT.failed;
  }
}

/** Adds `dbaf delete` to the program. */
export function register(program: Program): void {
  program
    .command('delete')
    .description('delete a clone now: start the teardown workflow and follow it')
    .argument('<clone>', 'the clone name')
    .option('--final-snapshot', 'take a final snapshot <clone>-final first')
    .option('--no-final-snapshot', 'take no final snapshot, whatever the artifact asked for')
    .option('--detach', 'print the execution ARN and return at once')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples('dbaf delete my-clone', 'dbaf delete my-clone --final-snapshot'))
    .action((name, options, command) => withAws(command, (aws) => deleteClone(name, options, aws)));
}
