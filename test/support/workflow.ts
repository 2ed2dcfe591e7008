import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { handler as checkCloneStatus } from '../../functions/check-clone-status/handler.js';
import { handler as createInstance } from '../../functions/create-instance/handler.js';
import { handler as inspectSource } from '../../functions/inspect-source/handler.js';
import { handler as publishEndpoint } from '../../functions/publish-endpoint/handler.js';
import { handler as refresh } from '../../functions/refresh/handler.js';
import { handler as resetPassword } from '../../functions/reset-password/handler.js';
import { handler as restoreCloneCluster } from '../../functions/restore-clone-cluster/handler.js';
import { handler as scheduleTtlDeletion } from '../../functions/schedule-ttl-deletion/handler.js';
import { handler as sweeper } from '../../functions/sweeper/handler.js';
import { handler as teardown } from '../../functions/teardown/handler.js';
import { invokeLikeLambda } from '../../local/lambda.js';
import { lambdaContext } from './context.js';
import { ACCOUNT, REGION } from './fake-aws/index.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers of every step, typed by their own modules
type AnyHandler = (input: any, context: Context) => Promise<unknown>;

/** The Lambda behind each `${...FunctionArn}` substitution of the ASL files. */
export const FUNCTIONS: Record<string, { name: string; handler: AnyHandler }> = {
  InspectSourceFunctionArn: { name: 'inspect-source', handler: inspectSource },
  ScheduleTtlDeletionFunctionArn: { name: 'schedule-ttl-deletion', handler: scheduleTtlDeletion },
  RestoreCloneClusterFunctionArn: { name: 'restore-clone-cluster', handler: restoreCloneCluster },
  CreateInstanceFunctionArn: { name: 'create-instance', handler: createInstance },
  ResetPasswordFunctionArn: { name: 'reset-password', handler: resetPassword },
  PublishEndpointFunctionArn: { name: 'publish-endpoint', handler: publishEndpoint },
  CheckCloneStatusFunctionArn: { name: 'check-clone-status', handler: checkCloneStatus },
  TeardownFunctionArn: { name: 'teardown', handler: teardown },
  SweeperFunctionArn: { name: 'sweeper', handler: sweeper },
  RefreshFunctionArn: { name: 'refresh', handler: refresh },
};

export const STATE_MACHINE_ARNS = {
  clone: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dbaf-clone`,
  teardown: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dbaf-teardown`,
  sweeper: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dbaf-sweeper`,
  refresh: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dbaf-refresh`,
} as const;

/** A state machine of `state-machines/`, by the name of its file. */
export type MachineName = keyof typeof STATE_MACHINE_ARNS;

const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:dbaf-${name}`;

/** The deployment values CDK substitutes into the ASL, as the tests deploy them. */
export const SUBSTITUTIONS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(FUNCTIONS).map(([key, fn]) => [key, functionArn(fn.name)])),
  TeardownStateMachineArn: STATE_MACHINE_ARNS.teardown,
  CloneStateMachineArn: STATE_MACHINE_ARNS.clone,
};

/** One entry of aws-local-stepfunctions' event log (the package does not export the type). */
export interface EventLog {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  Error?: string;
  Cause?: unknown;
  [other: string]: unknown;
}

type Definition = { States: Record<string, { Type: string; Resource?: string; Retry?: unknown[] }> };

/** Reads `state-machines/<name>.asl.json` with the `${...}` placeholders substituted. */
export function loadDefinition(name: MachineName, substitutions = SUBSTITUTIONS): Definition {
  const path = fileURLToPath(new URL(`../../state-machines/${name}.asl.json`, import.meta.url));
  const text = readFileSync(path, 'utf8').replace(/\$\{(\w+)\}/g, (_match, key: string) => {
    const value = substitutions[key];
    if (value === undefined)
      throw new Error(`${name}.asl.json uses \${${key}}, which no substitution provides`);
    return value;
  });
  return JSON.parse(text) as Definition;
}

/** What one local execution did. */
export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  /** State names in the order they were entered. */
  visited: string[];
  events: EventLog[];
  /** Child executions (rollback teardowns) started by a `states:startExecution.sync` task. */
  children: ExecutionResult[];
}

/** A handler bound as Lambda runs it (see `invokeLikeLambda`), optionally run twice like a retried step. */
function asLambda(fn: { name: string; handler: AnyHandler }, invokeTwice: boolean) {
  let duplicated = !invokeTwice;
  return async (input: unknown) => {
    // A Lambda or Step Functions retry after a lost response: the first attempt of the
    // step ran to completion, then the step runs again with the same input.
    if (!duplicated) {
      duplicated = true;
      await invokeLikeLambda(fn, input, lambdaContext(`dbaf-${fn.name}`));
    }
    return invokeLikeLambda(fn, input, lambdaContext(`dbaf-${fn.name}`));
  };
}

/** The message a person reads: a Lambda failure's `errorMessage`, or the Fail state's cause as is. */
export function causeMessage(result: ExecutionResult): string {
  try {
    const parsed = JSON.parse(result.cause ?? '') as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not a Lambda error envelope: the cause was written by a Fail or Pass state.
  }
  return result.cause ?? '';
}

let executions = 0;

/**
 * Runs one state machine locally with aws-local-stepfunctions: every Lambda task
 * bound to the real handler, waits and retry pauses set to zero.
 */
export async function runStateMachine(
  name: MachineName,
  input: unknown,
  options: { executionName?: string; invokeTwice?: boolean } = {},
): Promise<ExecutionResult> {
  const definition = loadDefinition(name);
  const byArn = new Map(Object.entries(FUNCTIONS).map(([key, fn]) => [SUBSTITUTIONS[key], fn]));
  const children: ExecutionResult[] = [];
  const handlers: Record<string, (input: never) => Promise<unknown>> = {};
  const waits: Record<string, number> = {};
  const retries: Record<string, number> = {};
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type === 'Wait') waits[stateName] = 0;
    if (state.Retry) retries[stateName] = 0;
    if (state.Type !== 'Task') continue;
    const fn = byArn.get(state.Resource ?? '');
    if (fn) {
      handlers[stateName] = asLambda(fn, options.invokeTwice ?? false);
    } else if (state.Resource === 'arn:aws:states:::states:startExecution.sync:2') {
      handlers[stateName] = async (params: { StateMachineArn: string; Input: unknown }) => {
        const child = params.StateMachineArn === STATE_MACHINE_ARNS.teardown ? 'teardown' : 'clone';
        const result = await runStateMachine(child, params.Input);
        children.push(result);
        if (result.status === 'FAILED') {
          const error = new Error(JSON.stringify({ Error: result.error, Cause: result.cause }));
          error.name = 'States.TaskFailed';
          throw error;
        }
        return {
          Status: 'SUCCEEDED',
          ExecutionArn: `${STATE_MACHINE_ARNS[child]}:child`,
          Output: result.output,
        };
      };
    } else {
      throw new Error(`State ${stateName} calls ${state.Resource}, which the local harness cannot run`);
    }
  }

  executions += 1;
  const executionName = options.executionName ?? `test-execution-${executions}`;
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true } });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: waits,
      retryIntervalOverrides: retries,
    },
    context: {
      Execution: {
        Id: `${STATE_MACHINE_ARNS[name].replace(':stateMachine:', ':execution:')}:${executionName}`,
        Name: executionName,
      },
    },
  });
  const visited: string[] = [];
  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs as AsyncGenerator<EventLog>) {
      events.push(event);
      if (event.type === 'StateEntered' && event.state) visited.push(event.state.name);
    }
  })();
  try {
    const output = await execution.result;
    await collecting;
    return { status: 'SUCCEEDED', output, visited, events, children };
  } catch (thrown) {
    await collecting;
    if (!(thrown instanceof ExecutionError)) throw thrown;
    const failed = events.find((event) => event.type === 'ExecutionFailed');
    return {
      status: 'FAILED',
      error: failed?.Error,
      cause: typeof failed?.Cause === 'string' ? failed.Cause : JSON.stringify(failed?.Cause),
      visited,
      events,
      children,
    };
  }
}
