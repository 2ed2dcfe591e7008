import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { CloneFactoryError, normalizeError } from './errors.js';

/** Structured JSON logger shared by the handlers. Never give it a password or a secret value. */
export const logger = new Logger({ serviceName: 'db-artifact-factory' });

/**
 * Logs a failure once, with its name and message, and turns transient SDK
 * failures into `AwsTransient` so the state machine's Retry matches them.
 */
export function errorNormalizer(): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    onError: async (request) => {
      const error = normalizeError(request.error);
      const known = error instanceof CloneFactoryError;
      logger[known ? 'warn' : 'error']('step failed', {
        errorName: error instanceof Error ? error.name : typeof error,
        errorMessage: error instanceof Error ? error.message : String(error),
      });
      request.error = error as Error;
    },
  };
}

/** A Lambda handler as the state machines call it: typed input in, typed output out. */
export type StepHandler<Input, Output> = (input: Input, context: Context) => Promise<Output>;

/**
 * Wraps one step's plain function in the project's middleware: the Powertools
 * logger with the Lambda context (never the event: it is logged by the caller
 * where it is safe), then error normalisation.
 */
export function createHandler<Input, Output>(
  step: string,
  work: (input: Input, context: Context) => Promise<Output>,
): StepHandler<Input, Output> {
  return middy<Input, Output, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: async () => {
        logger.appendKeys({ step });
      },
    })
    .use(errorNormalizer() as MiddlewareObj<Input, Output, Error, Context>)
    .handler(work) as unknown as StepHandler<Input, Output>;
}
