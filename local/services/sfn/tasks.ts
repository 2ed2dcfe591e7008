import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { invokeLikeLambda, type LambdaFunction, lambdaContext } from '../../lambda.js';

/** What a Task state's resource needs from the rest of the stand-in. */
export interface TaskEnvironment {
  readonly region: string;
  readonly accountId: string;
  /** The project's functions by ARN. */
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  /**
   * Runs a child execution to its end (the `.sync` pattern; its DescribeExecution in
   * PascalCase, with `Input`/`Output` parsed for `.sync:2`) or just starts it.
   */
  readonly startExecution: (
    stateMachineArn: string,
    input: unknown,
    name: string | undefined,
    pattern: 'start' | 'sync' | 'sync:2',
  ) => Promise<Record<string, unknown>>;
  /** Sends an SDK v3 command to the stand-in for `arn:aws:states:::aws-sdk:<service>:<action>`. */
  readonly sdkCall: (service: string, action: string, parameters: unknown) => Promise<unknown>;
}

type Emit = (event: Omit<HistoryEvent, 'id' | 'previousEventId'>) => void;
type TaskHandler = (input: unknown) => Promise<unknown>;

/** An error as a Task state reports it: `Error` is the name, `Cause` the message. */
function taskError(error: string, cause: string): Error {
  const failure = new Error(cause);
  failure.name = error;
  return failure;
}

const text = (value: unknown) => JSON.stringify(value ?? null);

/** The Step Functions error name of an SDK integration failure: `Rds.DbClusterNotFoundException`. */
export function sdkErrorName(service: string, error: Error): string {
  const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const serviceName =
    { secretsmanager: 'SecretsManager', eventbridge: 'EventBridge' }[service] ?? pascal(service);
  let name = error.name
    .replace(/Fault$/, '')
    .replace(/([A-Z]+)([A-Z][a-z])/g, (_m, caps: string, next: string) => pascal(caps.toLowerCase()) + next);
  if (!name.endsWith('Exception')) name += 'Exception';
  return `${serviceName}.${name}`;
}

/**
 * The function a Task state runs, by its resource: a project Lambda (by ARN, invoked
 * in-process as Lambda would), `states:startExecution` (`.sync`, `.sync:2` or plain), or an
 * `aws-sdk:` integration. Every invocation adds the events AWS records for it.
 */
export function taskHandler(resource: string, env: TaskEnvironment, emit: Emit): TaskHandler | undefined {
  const fn = env.functions.get(resource);
  if (fn) {
    return async (input) => {
      emit({
        type: 'LambdaFunctionScheduled',
        timestamp: new Date(),
        lambdaFunctionScheduledEventDetails: {
          resource,
          input: text(input),
          inputDetails: { truncated: false },
        },
      });
      emit({ type: 'LambdaFunctionStarted', timestamp: new Date() });
      try {
        const output = await invokeLikeLambda(fn, input, lambdaContext(fn.name, env.region, env.accountId));
        emit({
          type: 'LambdaFunctionSucceeded',
          timestamp: new Date(),
          lambdaFunctionSucceededEventDetails: { output: text(output), outputDetails: { truncated: false } },
        });
        return output;
      } catch (error) {
        const failure = error as Error;
        emit({
          type: 'LambdaFunctionFailed',
          timestamp: new Date(),
          lambdaFunctionFailedEventDetails: { error: failure.name, cause: failure.message },
        });
        throw failure;
      }
    };
  }
  const integration =
    /^arn:aws:states:::(?:(aws-sdk):(\w+):(\w+)|states:startExecution(\.sync(?::2)?)?)$/.exec(resource);
  if (!integration) return undefined;
  const [, sdk, service = '', action = '', sync] = integration;
  const resourceType = sdk ? service : 'states';
  const resourceName = sdk ? action : `startExecution${sync ?? ''}`;
  return async (input) => {
    const base = { resourceType, resource: resourceName };
    emit({
      type: 'TaskScheduled',
      timestamp: new Date(),
      taskScheduledEventDetails: { ...base, region: env.region, parameters: text(input) },
    });
    emit({ type: 'TaskStarted', timestamp: new Date(), taskStartedEventDetails: base });
    try {
      let output: unknown;
      if (sdk) {
        output = await env.sdkCall(service, action, input).catch((error: Error) => {
          throw taskError(sdkErrorName(service, error), error.message);
        });
      } else {
        const { StateMachineArn, Input, Name } = input as {
          StateMachineArn: string;
          Input?: unknown;
          Name?: string;
        };
        const pattern = sync === '.sync:2' ? 'sync:2' : sync === '.sync' ? 'sync' : 'start';
        const described = await env.startExecution(StateMachineArn, Input ?? {}, Name, pattern);
        // A failed, aborted or timed-out child fails the task; its description is the cause.
        if (sync && described.Status !== 'SUCCEEDED')
          throw taskError('States.TaskFailed', JSON.stringify(described));
        output = described;
      }
      emit({
        type: 'TaskSucceeded',
        timestamp: new Date(),
        taskSucceededEventDetails: { ...base, output: text(output), outputDetails: { truncated: false } },
      });
      return output;
    } catch (error) {
      const failure = error as Error;
      emit({
        type: 'TaskFailed',
        timestamp: new Date(),
        taskFailedEventDetails: { ...base, error: failure.name, cause: failure.message },
      });
      throw failure;
    }
  };
}
