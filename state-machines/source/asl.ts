/**
 * The building blocks of the project's ASL: the one Retry policy of each kind, the one Catch, and
 * the task shapes every workflow uses. The definitions in this folder are made of these, and
 * `npm run asl` writes them to `state-machines/*.asl.json`, the files the deployment, the stand-in
 * and the tests run.
 */
import { HANDLERS, type HandlerName, WORKFLOWS, type WorkflowName } from '../catalog.js';

/** One ASL state, as JSON. */
export type State = { readonly Type: string } & Readonly<Record<string, unknown>>;

/** The `States` of a definition, by name. */
export type States = Readonly<Record<string, State>>;

/** A whole ASL definition (JSONPath). */
export interface Definition {
  readonly Comment: string;
  readonly StartAt: string;
  /** Every workflow is bounded: Step Functions stops an execution that runs longer. */
  readonly TimeoutSeconds: number;
  readonly States: States;
}

/** One `Retry` entry. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy: 'FULL';
}

/**
 * A Lambda task's own timeout; the function stops first (its timeout is 90 s, set by the
 * deployment), so its own error reaches the Catch.
 */
export const TASK_TIMEOUT_SECONDS = 120;

/** The Step Functions resource that starts another state machine and waits for its end. */
export const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync:2';

/** The Retry policies, each defined once and named by what it waits out. */
export const RETRY = {
  /**
   * Throttling and server-side failures (handlers turn them into `AwsTransient`) and Lambda's own
   * service errors: a handful of quick, jittered attempts.
   */
  transient: {
    ErrorEquals: [
      'AwsTransient',
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
  /** A resource that is busy for a while (`NotReady`): up to about 15 minutes. */
  notReady: {
    ErrorEquals: ['NotReady'],
    IntervalSeconds: 30,
    MaxAttempts: 10,
    BackoffRate: 1.5,
    MaxDelaySeconds: 120,
    JitterStrategy: 'FULL',
  },
  /** A clone that is briefly not `available` when a refresh is planned: up to about half an hour. */
  cloneBusy: {
    ErrorEquals: ['NotReady'],
    IntervalSeconds: 60,
    MaxAttempts: 5,
    BackoffRate: 2,
    MaxDelaySeconds: 600,
    JitterStrategy: 'FULL',
  },
  /** A rename in progress, waited out before the rename back: 20 tries, 30 s apart. */
  renameInProgress: {
    ErrorEquals: ['NotReady'],
    IntervalSeconds: 30,
    MaxAttempts: 20,
    BackoffRate: 1,
    JitterStrategy: 'FULL',
  },
  /** Starting a child workflow that Step Functions refused for now (execution limit, its own errors). */
  startChild: {
    ErrorEquals: [
      'StepFunctions.ExecutionLimitExceeded',
      'StepFunctions.AWSStepFunctionsException',
      'StepFunctions.SdkClientException',
    ],
    IntervalSeconds: 30,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  /** A cleanup workflow (teardown) that failed: run it again, twice at most. */
  cleanup: {
    ErrorEquals: ['States.ALL'],
    IntervalSeconds: 60,
    MaxAttempts: 2,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
} as const satisfies Record<string, Retrier>;

/** Every failure goes to `next`, the error kept at `resultPath` (the original input stays). */
export function catchAll(next: string, resultPath = '$.error'): readonly Record<string, unknown>[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: next }];
}

/** `${<Name>FunctionArn}`: the placeholder of a handler's Lambda ARN. */
export function functionArn(handler: HandlerName): string {
  return `\${${HANDLERS[handler].placeholder}}`;
}

/** `${<Name>StateMachineArn}`: the placeholder of a workflow's ARN. */
export function stateMachineArn(workflow: WorkflowName): string {
  return `\${${WORKFLOWS[workflow].placeholder}}`;
}

/** Where a state goes next: the name of the next state, or the end of the execution. */
export type Transition = { readonly next: string } | { readonly end: true };

function transition(to: Transition): Record<string, unknown> {
  return 'next' in to ? { Next: to.next } : { End: true };
}

/** A Lambda step of the project. */
export interface LambdaTaskProps {
  readonly handler: HandlerName;
  readonly comment?: string;
  /** @default - the state's whole input */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** @default - the task's output replaces its input */
  readonly resultPath?: string;
  /** Also retry `NotReady` with this policy. @default - only transient failures are retried */
  readonly notReady?: Retrier;
  /** The state every failure goes to, and where its error is kept. */
  readonly onError: { readonly next: string; readonly resultPath?: string };
}

/**
 * A Lambda task: transient failures retried with {@link RETRY.transient}, `NotReady` with the given
 * policy, every failure caught, and a timeout.
 */
export function lambdaTask(props: LambdaTaskProps & Transition): State {
  return {
    Type: 'Task',
    Resource: functionArn(props.handler),
    ...(props.comment === undefined ? {} : { Comment: props.comment }),
    ...(props.parameters === undefined ? {} : { Parameters: props.parameters }),
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    ...(props.resultPath === undefined ? {} : { ResultPath: props.resultPath }),
    Retry: props.notReady === undefined ? [RETRY.transient] : [RETRY.transient, props.notReady],
    Catch: catchAll(props.onError.next, props.onError.resultPath),
    ...transition(props),
  };
}

/** Another of the project's workflows, run to its end (`startExecution.sync:2`). */
export interface ChildWorkflowProps {
  readonly workflow: WorkflowName;
  readonly comment: string;
  /** The child's input: `Input` (an object of fields) or `Input.$` (a path). */
  readonly input: { readonly Input: Readonly<Record<string, unknown>> } | { readonly 'Input.$': string };
  readonly resultSelector: Readonly<Record<string, string>>;
  readonly resultPath: string;
  readonly retry: Retrier;
  readonly onError: { readonly next: string; readonly resultPath: string };
}

/** A task that runs another workflow of the project and waits for it: a rollback, a teardown, a clone. */
export function childWorkflow(props: ChildWorkflowProps & Transition): State {
  return {
    Type: 'Task',
    Resource: START_EXECUTION_SYNC,
    Comment: props.comment,
    Parameters: { StateMachineArn: stateMachineArn(props.workflow), ...props.input },
    ResultSelector: props.resultSelector,
    ResultPath: props.resultPath,
    Retry: [props.retry],
    Catch: catchAll(props.onError.next, props.onError.resultPath),
    ...transition(props),
  };
}

/** The input field that links a child execution to its parent in the console and the history. */
export const STARTED_BY = { 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' } as const;

/** What a `.sync:2` child's result is reduced to. */
export const CHILD_RESULT = { 'status.$': '$.Status', 'executionArn.$': '$.ExecutionArn' } as const;

/** A Pass state that records an error (`Error`, `Cause`) at `resultPath` and moves on. */
export function recordError(
  error: { readonly Error: string } | { readonly 'Error.$': string },
  cause: { readonly Cause: string } | { readonly 'Cause.$': string },
  next: string,
  resultPath = '$.error',
): State {
  return { Type: 'Pass', Parameters: { ...error, ...cause }, ResultPath: resultPath, Next: next };
}

/** A Fail state that ends the execution with the error recorded at `$.error`. */
export function failWithRecordedError(comment?: string): State {
  return {
    Type: 'Fail',
    ...(comment === undefined ? {} : { Comment: comment }),
    ErrorPath: '$.error.Error',
    CausePath: '$.error.Cause',
  };
}

/**
 * The two states that give a request its defaults: `defaults` merged under the input, the result at
 * `$.request`. (States.JsonMerge of a path inside `$` is avoided: aws-local-stepfunctions
 * mishandles it, so the input is first moved to `$.input`.)
 */
export function applyDefaults(
  comment: string,
  defaults: Readonly<Record<string, unknown>>,
  next: string,
): States {
  return {
    ApplyDefaults: {
      Type: 'Pass',
      Comment: comment,
      Parameters: { defaults, 'input.$': '$' },
      Next: 'NormalizeRequest',
    },
    NormalizeRequest: {
      Type: 'Pass',
      Parameters: { 'request.$': 'States.JsonMerge($.defaults, $.input, false)' },
      Next: next,
    },
  };
}
