import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { invokeLikeLambda, type LambdaFunction } from '../../local/lambda.js';
import {
  fixedArns,
  HANDLER_NAMES,
  HANDLERS,
  renderDefinition,
  WORKFLOW_NAMES,
  type WorkflowName,
  workflowOfArn,
} from '../../state-machines/catalog.js';
import { lambdaContext } from './context.js';
import { ACCOUNT, REGION } from './fake-aws/index.js';

/** The ARNs the workflow tests deploy the catalog's functions and state machines under. */
export const ARNS = fixedArns(REGION, ACCOUNT);

/** The ARN of each state machine, as the tests deploy it. */
export const STATE_MACHINE_ARNS = Object.fromEntries(
  WORKFLOW_NAMES.map((name) => [name, ARNS.stateMachineArn(name)]),
) as Readonly<Record<WorkflowName, string>>;

/** A state machine of `state-machines/`, by the name of its file. */
export type MachineName = WorkflowName;

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

/** Reads `state-machines/<name>.asl.json` with the `${...}` placeholders filled as the tests deploy it. */
export function loadDefinition(name: MachineName): Definition {
  return JSON.parse(renderDefinition(name, ARNS)) as Definition;
}

let loaded: Promise<Map<string, LambdaFunction>> | undefined;

/**
 * The catalog's handlers, by their function ARN in {@link ARNS}, loaded once, on the first run: a
 * test file that only reads definitions (asl.test.ts) must not leave imports pending when it ends.
 */
function functionsByArn(): Promise<Map<string, LambdaFunction>> {
  loaded ??= Promise.all(
    HANDLER_NAMES.map(async (name) => {
      const { handler } = await HANDLERS[name].load();
      return [ARNS.functionArn(name), { name, handler }] as const;
    }),
  ).then((entries) => new Map(entries));
  return loaded;
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
function asLambda(fn: LambdaFunction, invokeTwice: boolean) {
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
  const byArn = await functionsByArn();
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
        const child = workflowOfArn(ARNS, params.StateMachineArn);
        if (child === undefined) throw new Error(`No workflow of the catalog is ${params.StateMachineArn}`);
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
