import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import {
  type DeploymentArns,
  HANDLER_NAMES,
  HANDLERS,
  type LambdaHandler,
} from '../state-machines/catalog.js';

/** A Lambda function of the project: its handler's name and its handler. */
export interface LambdaFunction {
  readonly name: string;
  readonly handler: LambdaHandler;
}

/**
 * Every handler of the workflow catalog, by its function ARN in `arns`. Imported only now, so the
 * caller can set the environment (endpoint, region, deployment settings) before the handlers
 * create their SDK clients (`functions/shared/clients/`).
 */
export async function projectFunctions(arns: DeploymentArns): Promise<Map<string, LambdaFunction>> {
  const loaded = await Promise.all(
    HANDLER_NAMES.map(async (name) => {
      const { handler } = await HANDLERS[name].load();
      return [arns.functionArn(name), { name, handler }] as const;
    }),
  );
  return new Map(loaded);
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
