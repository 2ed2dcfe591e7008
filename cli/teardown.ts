import { type ExecutionListItem, paginateListExecutions, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { TeardownRequest } from '../functions/shared/plan.js';
import type { DeletingStep, StepResult } from '../functions/teardown/types.js';
import type { Aws } from './aws.js';
import { describeExecution } from './execution.js';

/** The teardown state machine's output (its `TornDown` state): what each step deleted. */
export type TornDown = { readonly cloneId: string; readonly reason: string } & Partial<
  Record<DeletingStep, StepResult>
>;

const WHAT: Record<DeletingStep, string> = {
  schedule: 'schedules',
  instances: 'instances',
  cluster: 'cluster',
  network: 'network',
  secret: 'secret',
};

/** One line per step that deleted or left something: `cluster  dbaf-x`. */
export function deletedLines(output: TornDown): string[] {
  return (Object.keys(WHAT) as DeletingStep[]).flatMap((step) => {
    const result = output[step];
    if (result === undefined) return [];
    const lines: string[] = [];
    if (result.deleted.length > 0) lines.push(`${WHAT[step]}: ${result.deleted.join(', ')}`);
    if (result.skipped.length > 0)
      lines.push(`${WHAT[step]}: left ${result.skipped.join(', ')} (made by another execution)`);
    return lines;
  });
}

/** The output of a finished teardown execution, or undefined if it did not succeed. */
export async function teardownOutput(aws: Aws, executionArn: string): Promise<TornDown | undefined> {
  const execution = await describeExecution(aws, executionArn);
  if (execution?.status !== 'SUCCEEDED' || execution.output === undefined) return undefined;
  return JSON.parse(execution.output) as TornDown;
}

/** Separates the clone id from the rest of the names of the teardowns `dbaf delete` starts. */
const TEARDOWN_NAME_SEPARATOR = '--delete-';

/**
 * The name of a teardown execution `dbaf delete` starts: the clone id (RDS identifiers never hold
 * `--`, so the separator is unambiguous) and a base-36 time; at most 60 + 9 + 9 characters of the 80 allowed.
 */
export function teardownExecutionName(cloneId: string, now = Date.now()): string {
  return `${cloneId}${TEARDOWN_NAME_SEPARATOR}${now.toString(36)}`;
}

/**
 * A running teardown of this clone, if any: one `dbaf delete` started, or the sweeper's
 * (`<cloneId>--sweep-…`); both name it after the clone, which RDS identifiers make unambiguous.
 */
export async function runningTeardown(
  aws: Aws,
  teardownStateMachineArn: string,
  cloneId: string,
): Promise<ExecutionListItem | undefined> {
  const pages = paginateListExecutions(
    { client: aws.sfn },
    { stateMachineArn: teardownStateMachineArn, statusFilter: 'RUNNING' },
  );
  for await (const page of pages) {
    const found = page.executions?.find((execution) => execution.name?.startsWith(`${cloneId}--`));
    if (found) return found;
  }
  return undefined;
}

/** Starts the teardown state machine for one clone; returns the execution ARN. */
export async function startTeardown(
  aws: Aws,
  teardownStateMachineArn: string,
  request: TeardownRequest,
): Promise<string> {
  const started = await aws.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: teardownStateMachineArn,
      name: teardownExecutionName(request.cloneId),
      input: JSON.stringify(request),
    }),
  );
  return started.executionArn ?? '';
}
