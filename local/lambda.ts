import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

// biome-ignore lint/suspicious/noExplicitAny: each handler is typed by its own module
export type LambdaHandler = (input: any, context: Context) => Promise<unknown>;

/** A Lambda function of the project: its deployed name and its handler. */
export interface LambdaFunction {
  readonly name: string;
  readonly handler: LambdaHandler;
}

/**
 * The handler of each `${...FunctionArn}` definition substitution of the ASL files, by
 * substitution key, imported lazily so the caller can set the environment (endpoint,
 * region, deployment settings) before the SDK clients in `functions/shared/clients/`
 * are created.
 */
export async function projectFunctions(): Promise<Record<string, LambdaFunction>> {
  const [inspect, schedule, restore, instance, password, publish, check, teardown, sweeper, refresh] =
    await Promise.all([
      import('../functions/inspect-source/handler.js'),
      import('../functions/schedule-ttl-deletion/handler.js'),
      import('../functions/restore-clone-cluster/handler.js'),
      import('../functions/create-instance/handler.js'),
      import('../functions/reset-password/handler.js'),
      import('../functions/publish-endpoint/handler.js'),
      import('../functions/check-clone-status/handler.js'),
      import('../functions/teardown/handler.js'),
      import('../functions/sweeper/handler.js'),
      import('../functions/refresh/handler.js'),
    ]);
  return {
    InspectSourceFunctionArn: { name: 'inspect-source', handler: inspect.handler },
    ScheduleTtlDeletionFunctionArn: { name: 'schedule-ttl-deletion', handler: schedule.handler },
    RestoreCloneClusterFunctionArn: { name: 'restore-clone-cluster', handler: restore.handler },
    CreateInstanceFunctionArn: { name: 'create-instance', handler: instance.handler },
    ResetPasswordFunctionArn: { name: 'reset-password', handler: password.handler },
    PublishEndpointFunctionArn: { name: 'publish-endpoint', handler: publish.handler },
    CheckCloneStatusFunctionArn: { name: 'check-clone-status', handler: check.handler },
    TeardownFunctionArn: { name: 'teardown', handler: teardown.handler },
    SweeperFunctionArn: { name: 'sweeper', handler: sweeper.handler },
    RefreshFunctionArn: { name: 'refresh', handler: refresh.handler },
  };
}

/** A Lambda context as the runtime passes one (the handlers read the request id and function name). */
export function lambdaContext(
  functionName: string,
  region = 'us-east-1',
  accountId = '000000000000',
): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The error Step Functions sees when a Lambda function throws: `Error` is the type, `Cause` the JSON envelope. */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage, trace: [] }));
    this.name = errorType;
  }
}

/**
 * Invokes a handler the way Lambda does: JSON in, JSON out, and a thrown error becomes a
 * {@link LambdaFunctionError} whose message is Lambda's `{"errorType","errorMessage","trace"}`.
 */
export async function invokeLikeLambda(
  fn: LambdaFunction,
  input: unknown,
  context: Context,
): Promise<unknown> {
  try {
    const output = await fn.handler(JSON.parse(JSON.stringify(input ?? null)), context);
    return JSON.parse(JSON.stringify(output ?? null));
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    throw new LambdaFunctionError(error.name, error.message);
  }
}
