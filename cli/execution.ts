import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { Aws } from './aws.js';
import { EXIT, UserError } from './errors.js';
import { followExecution, ProgressPrinter } from './follow.js';

/** An execution's description, or undefined when there is none with that ARN. */
export async function describeExecution(
  aws: Aws,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await aws.sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
}

/** What a followed execution left: its description and its history. */
export interface Followed {
  readonly execution: DescribeExecutionCommandOutput;
  readonly history: readonly HistoryEvent[];
}

/**
 * Follows an execution to its end through GetExecutionHistory, with the progress on `progress`
 * (stderr unless told): one line per state and a live spinner line for the waits on a terminal,
 * plain lines otherwise.
 *
 * Ctrl-C stops following, not the execution: it exits {@link EXIT.interrupted} with `onInterrupt`,
 * which says how to pick it up again.
 */
export async function follow(
  aws: Aws,
  executionArn: string,
  onInterrupt: string,
  progress: NodeJS.WriteStream = process.stderr,
): Promise<Followed> {
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt);
  const printer = new ProgressPrinter(progress);
  const history: HistoryEvent[] = [];
  // AWS allows GetExecutionHistory a few calls a second per account: poll it gently there.
  const pollMs = aws.target.local ? 250 : 2_000;
  try {
    for await (const event of followExecution(aws.sfn, executionArn, pollMs, stop.signal)) {
      history.push(event);
      printer.event(event);
    }
  } finally {
    printer.close();
    process.off('SIGINT', interrupt);
  }
  if (stop.signal.aborted) throw new UserError(`Stopped following. ${onInterrupt}`, EXIT.interrupted);
  const execution = await aws.sfn.send(new DescribeExecutionCommand({ executionArn }));
  return { execution, history };
}

/** The output of the last exit of state `name` in a history, parsed, or undefined. */
export function stateOutput<T>(history: readonly HistoryEvent[], name: string): T | undefined {
  const exited = history.findLast((event) => event.stateExitedEventDetails?.name === name);
  const output = exited?.stateExitedEventDetails?.output;
  return output === undefined ? undefined : (JSON.parse(output) as T);
}

/** True when the history shows the state `name` was entered. */
export function entered(history: readonly HistoryEvent[], name: string): boolean {
  return history.some((event) => event.stateEnteredEventDetails?.name === name);
}
