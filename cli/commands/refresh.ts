import { paginateListExecutions, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RefreshResult } from '../../functions/refresh/handler.js';
import type { RevertOutcome } from '../../functions/refresh/types.js';
import { type ArtifactDocument, cloneIdForName } from '../../functions/shared/artifact.js';
import { refreshScheduleName } from '../../functions/shared/names.js';
import { artifactOfRefreshInput } from '../../functions/shared/refresh-schedule.js';
import type { Aws } from '../aws.js';
import { requireClone } from '../clones.js';
import { examples, type Program, withAws } from '../command.js';
import { type Deployment, findDeployment } from '../deployment.js';
import { causeText, EXIT, UserError } from '../errors.js';
import { describeExecution, entered, follow, stateOutput } from '../execution.js';
import { styles } from '../follow.js';
import { elapsed, fields, printJson, relativeTime, say } from '../output.js';
import { checkArtifact, readDocument } from './artifact.js';
import { scheduleOf } from './list.js';

/** Options of `dbaf reset`. */
export interface ResetOptions {
  readonly artifact?: string;
  readonly detach?: boolean;
  readonly json?: boolean;
}

/** Separates the clone id from the rest of a refresh execution's name (RDS ids never hold `--`). */
const RESET_NAME_SEPARATOR = '--reset-';

function refreshMachine(aws: Aws, deployment: Deployment): string {
  if (deployment.refreshStateMachineArn !== undefined && deployment.refreshStateMachineArn !== '') {
    return deployment.refreshStateMachineArn;
  }
  throw new UserError(
    `This deployment has no refresh state machine known to dbaf: give it with --refresh-state-machine, or read the stack instead of naming state machines ("${aws.command('reset <clone>')}" without --clone-state-machine).`,
    EXIT.usage,
  );
}

/** The artifact as a refresh needs it: valid, naming the clone with the deployment's prefix. */
function namedArtifact(document: ArtifactDocument, file: string, cloneId: string): ArtifactDocument {
  const named = { ...document, target: { ...document.target, cloneName: cloneId } } as ArtifactDocument;
  checkArtifact(named, file);
  return named;
}

/**
 * The artifact to reset a clone with: `--artifact`, else its refresh schedule's, else the input
 * of the execution that made it (the clone's, or the last refresh's), kept by Step Functions for
 * 90 days.
 */
async function artifactFor(
  aws: Aws,
  deployment: Deployment,
  cloneId: string,
  makerArn: string | null,
  file: string | undefined,
): Promise<ArtifactDocument> {
  if (file !== undefined) return namedArtifact(readDocument(file), file, cloneId);
  const schedule = await scheduleOf(aws, deployment, refreshScheduleName(cloneId));
  const scheduled = artifactOfRefreshInput(schedule?.Target?.Input);
  if (scheduled !== undefined) return scheduled as ArtifactDocument;
  const maker = makerArn === null ? undefined : await describeExecution(aws, makerArn);
  if (maker?.input !== undefined) {
    const input = JSON.parse(maker.input) as unknown;
    const artifact =
      maker.stateMachineArn === deployment.cloneStateMachineArn ? input : artifactOfRefreshInput(maker.input);
    if (artifact !== undefined) return artifact as ArtifactDocument;
  }
  throw new UserError(
    `The artifact clone ${cloneId} was made from is no longer known (no refresh schedule, and Step Functions no longer has the execution that made it). Give it: "${aws.command(`reset ${cloneId} --artifact artifact.json`)}".`,
    EXIT.usage,
  );
}

/** A refresh of this clone that is running now, if any (every one is named after the clone, or carries it). */
export async function runningRefresh(
  aws: Aws,
  refreshArn: string,
  cloneId: string,
): Promise<string | undefined> {
  const pages = paginateListExecutions(
    { client: aws.sfn },
    { stateMachineArn: refreshArn, statusFilter: 'RUNNING' },
  );
  for await (const page of pages) {
    for (const execution of page.executions ?? []) {
      if (execution.name?.startsWith(`${cloneId}--`)) return execution.executionArn;
      const described = await describeExecution(aws, execution.executionArn ?? '');
      const artifact = artifactOfRefreshInput(described?.input) as ArtifactDocument | undefined;
      if (artifact?.target?.cloneName === cloneId) return execution.executionArn;
    }
  }
  return undefined;
}

function printRefreshed(aws: Aws, result: RefreshResult, seconds: number | undefined): void {
  const style = styles(process.stdout);
  say(
    style.green(
      `Clone ${result.cloneId} was refreshed from ${result.source}${seconds === undefined ? '' : ` (${elapsed(seconds)})`}: same endpoint, same secret and password.`,
    ),
  );
  say(
    fields([
      ['endpoint', `${result.endpoint}:${result.port}`],
      ['secret', result.secretArn],
      ['expires', `${result.expiresAt} (${relativeTime(result.expiresAt)})`],
      ['replaced', `${result.replaced} (deleted)`],
    ]),
  );
  say(`Connect with: ${aws.command(`connect ${result.cloneId}`)}`);
}

/**
 * `dbaf reset <clone>`: refreshes the clone from its source now, with the refresh workflow (the
 * same as a scheduled refresh), and follows it. Its endpoint, secret and password stay.
 */
export async function reset(name: string, options: ResetOptions, aws: Aws): Promise<void> {
  const deployment = await findDeployment(aws);
  const refreshArn = refreshMachine(aws, deployment);
  const cloneId = cloneIdForName(name, deployment.cloneNamePrefix);
  const clone = await requireClone(aws.rds, cloneId);
  let executionArn = await runningRefresh(aws, refreshArn, cloneId);
  if (executionArn !== undefined) {
    if (!options.json)
      say(
        `Clone ${cloneId} is already being refreshed (execution ${executionArn.split(':').pop()}): following it.`,
      );
  } else {
    const artifact = await artifactFor(aws, deployment, cloneId, clone.executionArn, options.artifact);
    const started = await aws.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: refreshArn,
        name: `${cloneId}${RESET_NAME_SEPARATOR}${Date.now().toString(36)}`,
        input: JSON.stringify({ artifact, reason: 'reset' }),
      }),
    );
    executionArn = started.executionArn ?? '';
    if (!options.json && !options.detach) {
      say(
        `Refreshing ${cloneId} from ${clone.source} (it keeps serving until the new copy takes its place).`,
      );
    }
  }
  if (options.detach) {
    if (options.json) printJson({ status: 'RUNNING', executionArn, cloneId });
    else say(executionArn);
    return;
  }
  const followed = await follow(
    aws,
    executionArn,
    `The refresh goes on; run the same command again to follow it. The clone serves meanwhile.`,
  );
  const { execution, history } = followed;
  if (execution.status === 'SUCCEEDED') {
    const result = JSON.parse(execution.output ?? '{}') as RefreshResult;
    const seconds =
      execution.startDate && execution.stopDate
        ? (execution.stopDate.getTime() - execution.startDate.getTime()) / 1000
        : undefined;
    if (options.json) printJson({ status: 'SUCCEEDED', executionArn, refresh: result });
    else printRefreshed(aws, result, seconds);
    return;
  }
  const cause = causeText(execution.cause);
  if (options.json) printJson({ status: execution.status, executionArn, error: execution.error, cause });
  const line = (text: string) => process.stderr.write(`${text}\n`);
  line(
    styles(process.stderr).red(
      `The refresh of ${cloneId} ${execution.status?.toLowerCase() ?? 'failed'}: ${execution.error ?? ''}`,
    ),
  );
  if (cause) line(cause);
  const revert = stateOutput<{ revert?: RevertOutcome }>(history, 'Rollback')?.revert;
  if (execution.error !== 'RollbackFailed' && execution.error !== 'RefreshIncomplete') {
    line(
      !entered(history, 'Rollback')
        ? 'Nothing was changed: the clone serves as before.'
        : `Rolled back${revert?.renamedBack ? ' (the old cluster has its name back)' : ''}: the clone serves as before, and what the refresh made is deleted.`,
    );
  }
  process.exitCode = EXIT.failed;
}

/** Adds `dbaf reset` to the program. */
export function register(program: Program): void {
  program
    .command('reset')
    .description(
      'refresh a clone from its source now: same endpoint, same secret and password; the old copy serves until the new one is ready',
    )
    .argument('<clone>', 'the clone name')
    .option(
      '--artifact <file>',
      "the artifact to make it from (default: its refresh schedule's, or the one it was made from)",
    )
    .option('--detach', 'print the execution ARN and return at once')
    .option('--json', 'print the result as JSON (progress still goes to standard error)')
    .addHelpText(
      'after',
      `${examples('dbaf reset my-clone', 'dbaf reset my-clone --artifact artifact.json --detach')}\n\nIf the refresh fails, the clone is left as it was, and the command exits 1.`,
    )
    .action((name, options, command) => withAws(command, (aws) => reset(name, options, aws)));
}
