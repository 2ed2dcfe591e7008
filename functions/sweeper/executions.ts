import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  paginateListExecutions,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { sfn } from '../shared/clients/sfn.js';
import type { TeardownRequest } from '../shared/plan.js';

/**
 * Separates the clone id from the rest of a teardown execution's name. RDS identifiers never
 * hold `--`, so the clone id is what comes before it (`dbaf delete` uses `--delete-`).
 */
export const NAME_SEPARATOR = '--';

/** How long one name of a sweeper's teardown is kept: sweeps within the same minute use the same name. */
const NAME_PERIOD_MS = 60_000;

/**
 * The name of a teardown the sweeper starts: `<cloneId>--sweep-<base-36 minute>`.
 *
 * Two sweeps running at once in the same minute ask for the same name with the same input, which
 * Step Functions answers with the one running execution: they cannot start two teardowns.
 * At most 63 + 8 + 8 characters of the 80 allowed.
 */
export function sweepExecutionName(cloneId: string, now: number): string {
  const minute = Math.floor(now / NAME_PERIOD_MS) * NAME_PERIOD_MS;
  return `${cloneId}${NAME_SEPARATOR}sweep-${minute.toString(36)}`;
}

/** An execution as Step Functions describes it now, or `undefined` when there is no such execution. */
export async function describeExecution(
  executionArn: string,
): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
}

function cloneIdInInput(input: string | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(input ?? '');
    const cloneId = (parsed as { cloneId?: unknown } | null)?.cloneId;
    return typeof cloneId === 'string' ? cloneId : undefined;
  } catch {
    // Not JSON: not a teardown request, so it names no clone.
    return undefined;
  }
}

/**
 * The running teardowns, by the clone each deletes (lower case).
 *
 * Teardowns named by `dbaf delete` or by the sweeper carry the clone id in their name; those the
 * TTL schedules and the clone's rollback start have generated names, so their input is read.
 */
export async function runningTeardowns(teardownArn: string): Promise<Map<string, string>> {
  const running = new Map<string, string>();
  const pages = paginateListExecutions(
    { client: sfn },
    { stateMachineArn: teardownArn, statusFilter: 'RUNNING' },
  );
  for await (const page of pages) {
    for (const { executionArn, name = '' } of page.executions ?? []) {
      if (executionArn === undefined) continue;
      const cloneId = name.includes(NAME_SEPARATOR)
        ? name.slice(0, name.indexOf(NAME_SEPARATOR))
        : cloneIdInInput((await describeExecution(executionArn))?.input);
      if (cloneId !== undefined) running.set(cloneId.toLowerCase(), executionArn);
    }
  }
  return running;
}

/**
 * Starts the teardown of one clone; returns its execution ARN, or `undefined` when a teardown of
 * the same name has already run (a sweep earlier in the same minute: the next sweep starts one).
 */
export async function startTeardown(
  teardownArn: string,
  request: TeardownRequest,
  now: number,
): Promise<string | undefined> {
  try {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: teardownArn,
        name: sweepExecutionName(request.cloneId, now),
        input: JSON.stringify(request),
      }),
    );
    return started.executionArn;
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return undefined;
    throw error;
  }
}
