/**
 * The one wait loop of the project's workflows, and what its failures become. Every loop is
 * bounded (an attempt limit on the `check-clone-status` counter), and its Choice comment is written
 * from its own numbers, so the two cannot disagree.
 */
import type { Phase } from '../../functions/check-clone-status/handler.js';
import { lambdaTask, recordError, type State, type States } from './asl.js';

/** How a loop waits: a first wait (0: look at once), then a fixed interval, at most `maxAttempts` looks. */
export interface PollTiming {
  readonly firstWaitSeconds: number;
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
}

/** The longest a loop waits before it gives up, in seconds (the looks themselves not counted). */
export function pollBoundSeconds(timing: PollTiming): number {
  return timing.firstWaitSeconds + (timing.maxAttempts - 1) * timing.intervalSeconds;
}

function about(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `about ${Math.round(seconds / 60)} minutes`;
}

/** One bounded wait for a cluster (or its instances) to reach a phase. */
export interface PollLoopProps {
  /**
   * Names the loop's states: `Start<subject>Checks`, `WaitFor<subject>` (the first wait),
   * `Check<subject>`, `Poll<subject>Again`.
   */
  readonly subject: string;
  /** The name of the loop's Choice, such as `IsClusterAvailable`. */
  readonly choice: string;
  /** Why the first wait is as long as it is. @default - no comment */
  readonly firstWaitComment?: string;
  /** The path of the cluster identifier in the state's input, such as `$.plan.clusterIdentifier`. */
  readonly clusterIdentifierPath: string;
  /** What `check-clone-status` looks for. */
  readonly phase: Phase;
  readonly timing: PollTiming;
  /** The state after the wait is over. */
  readonly onReady: string;
  /** Where a terminal status goes. @default - the phase has none: only the attempt limit ends the loop */
  readonly onFailed?: string;
  /** Where the attempt limit goes. */
  readonly onStuck: string;
  /** Where a failed look goes, and where its error is kept. */
  readonly onError: { readonly next: string; readonly resultPath?: string };
}

/** The name of a loop's first state: where the steps before it go. */
export function pollStart(subject: string): string {
  return `Start${subject}Checks`;
}

/** The states of one bounded wait loop, starting at {@link pollStart}. */
export function pollLoop(props: PollLoopProps): States {
  const { subject, timing } = props;
  const wait = `WaitFor${subject}`;
  const check = `Check${subject}`;
  const again = `Poll${subject}Again`;
  const first = timing.firstWaitSeconds > 0;
  const bound = about(pollBoundSeconds(timing));
  const comment = first
    ? `At most ${timing.maxAttempts} checks: ${timing.firstWaitSeconds} s + ${timing.maxAttempts - 1} x ${timing.intervalSeconds} s, ${bound}.`
    : `At most ${timing.maxAttempts} checks, ${timing.intervalSeconds} s apart: ${bound}.`;
  const choice: State = {
    Type: 'Choice',
    Comment: comment,
    Choices: [
      { Variable: '$.status.ready', BooleanEquals: true, Next: props.onReady },
      ...(props.onFailed === undefined
        ? []
        : [{ Variable: '$.status.failed', BooleanEquals: true, Next: props.onFailed }]),
      { Variable: '$.status.attempt', NumericGreaterThanEquals: timing.maxAttempts, Next: props.onStuck },
    ],
    Default: again,
  };
  return {
    [pollStart(subject)]: {
      Type: 'Pass',
      Result: { attempt: 0 },
      ResultPath: '$.status',
      Next: first ? wait : check,
    },
    ...(first
      ? {
          [wait]: {
            Type: 'Wait',
            ...(props.firstWaitComment === undefined ? {} : { Comment: props.firstWaitComment }),
            Seconds: timing.firstWaitSeconds,
            Next: check,
          },
        }
      : {}),
    [check]: lambdaTask({
      handler: 'check-clone-status',
      parameters: {
        'clusterIdentifier.$': props.clusterIdentifierPath,
        phase: props.phase,
        'attempt.$': 'States.MathAdd($.status.attempt, 1)',
      },
      resultPath: '$.status',
      onError: props.onError,
      next: props.choice,
    }),
    [props.choice]: choice,
    [again]: { Type: 'Wait', Seconds: timing.intervalSeconds, Next: check },
  };
}

/** A loop that saw a terminal status: `ResourceFailed`, with the loop's own sentence as the cause. */
export function resourceFailed(next: string): State {
  return recordError({ Error: 'ResourceFailed' }, { 'Cause.$': '$.status.detail' }, next);
}

/**
 * A loop that ran out of attempts: `error` (such as `CloneTimedOut`), with a cause that says how
 * long it waited, what it saw, and that `what` (the clone, the refresh) has been rolled back.
 */
export function loopStuck(error: string, what: string, next: string): State {
  return recordError(
    { Error: error },
    {
      'Cause.$': `States.Format('Gave up waiting after {} status checks: {} The ${what} has been rolled back; see the RDS events of {} for the reason.', $.status.attempt, $.status.detail, $.status.resource)`,
    },
    next,
  );
}
