import { DescribeExecutionCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { readHistory } from '../cli/follow.js';

/** What one execution's history says about its cost, its pace and where it stopped. */
export interface HistorySummary {
  /** Events whose type ends with `StateEntered`: one per state the execution went through. */
  readonly transitions: number;
  /**
   * Task attempts beyond the first of each Task state (a `Retry` fired).
   *
   * Step Functions bills retries as state transitions too, although the history shows
   * no `StateEntered` for them.
   */
  readonly retries: number;
  /** The last state entered, to say where an execution was when it failed or timed out. */
  readonly lastState: string | undefined;
  /** When each state was first entered (epoch milliseconds), by state name. */
  readonly marks: ReadonlyMap<string, number>;
}

const ATTEMPT_EVENTS = new Set(['LambdaFunctionScheduled', 'TaskScheduled']);

/** Counts the state transitions and retries in a history and notes when each state began. */
export function summarizeHistory(events: readonly HistoryEvent[]): HistorySummary {
  let transitions = 0;
  let taskStates = 0;
  let attempts = 0;
  let lastState: string | undefined;
  const marks = new Map<string, number>();
  for (const event of events) {
    const type = event.type ?? '';
    const at = event.timestamp?.getTime();
    if (type.endsWith('StateEntered')) {
      transitions += 1;
      if (type === 'TaskStateEntered') taskStates += 1;
      const name = event.stateEnteredEventDetails?.name;
      if (name !== undefined) {
        lastState = name;
        if (at !== undefined && !marks.has(name)) marks.set(name, at);
      }
    }
    if (ATTEMPT_EVENTS.has(type)) attempts += 1;
  }
  return { transitions, retries: Math.max(0, attempts - taskStates), lastState, marks };
}

/** One clone execution as it ended (or as the benchmark left it). */
export interface CloneRun extends HistorySummary {
  readonly name: string;
  /** The execution's status; `RUNNING` when the benchmark stopped waiting. */
  readonly status: string;
  readonly error: string | undefined;
  readonly cause: string | undefined;
  /** Real milliseconds from the execution's start date to its stop date. */
  readonly realMs: number | undefined;
  /** The execution's stop date (epoch milliseconds), if it has ended. */
  readonly stoppedAt: number | undefined;
}

/** Describes an execution and summarizes its history. */
export async function describeRun(sfn: SFNClient, executionArn: string): Promise<CloneRun> {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const summary = summarizeHistory(await readHistory(sfn, executionArn));
  const started = execution.startDate?.getTime();
  const stopped = execution.stopDate?.getTime();
  const marks = new Map(summary.marks);
  if (started !== undefined) marks.set('start', started);
  if (stopped !== undefined) marks.set('end', stopped);
  return {
    ...summary,
    marks,
    name: execution.name ?? '?',
    status: execution.status ?? '?',
    error: execution.error,
    cause: execution.cause,
    realMs: started !== undefined && stopped !== undefined ? stopped - started : undefined,
    stoppedAt: stopped,
  };
}
