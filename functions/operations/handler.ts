import { z } from 'zod';
import { InvalidRequest } from '../shared/errors.js';
import { createHandler } from '../shared/handler.js';
import { type ExtendInput, type ExtendOutput, extend } from './extend.js';
import {
  type ScheduleRefreshOutput,
  scheduleRefresh,
  type UnscheduleRefreshInput,
  type UnscheduleRefreshOutput,
  unscheduleRefresh,
} from './refresh-schedules.js';
import { cloneName, parseRequest, quoted } from './request.js';

export type { ExtendOutput } from './extend.js';
export type { ScheduleRefreshOutput, UnscheduleRefreshOutput } from './refresh-schedules.js';

/**
 * The input and output of each operation of the deployment: what a person asks for with
 * `aws stepfunctions start-execution` on the operations state machine (or `dbaf`), and gets.
 * The deployment applies its own limits; the caller needs no permission but to start it.
 */
export interface Operations {
  /** `dbaf extend`: push a clone's expiry, within the maximum TTL and lifetime. */
  extend: { input: ExtendInput; output: ExtendOutput };
  /** `dbaf schedule-refresh`: keep a named clone fresh on a cron. */
  'schedule-refresh': {
    input: { readonly artifact: unknown; readonly cron: string; readonly timezone?: string };
    output: ScheduleRefreshOutput;
  };
  /** `dbaf unschedule-refresh`: stop refreshing a clone. */
  'unschedule-refresh': { input: UnscheduleRefreshInput; output: UnscheduleRefreshOutput };
}

/** One operation's name. */
export type Operation = keyof Operations;

/** What the execution input of operation `O` is. */
export type OperationInput<O extends Operation> = { readonly operation: O } & Operations[O]['input'];

/** Any operation's execution input. */
export type Input = { [O in Operation]: OperationInput<O> }[Operation];

const SCHEMAS = {
  extend: z.strictObject({ operation: z.literal('extend'), cloneId: cloneName, by: z.string().max(40) }),
  'schedule-refresh': z.strictObject({
    operation: z.literal('schedule-refresh'),
    artifact: z.unknown().refine((value) => value !== undefined, "the clone's artifact document"),
    cron: z.string().max(200),
    timezone: z.string().max(64).optional(),
  }),
  'unschedule-refresh': z.strictObject({ operation: z.literal('unschedule-refresh'), cloneId: cloneName }),
} as const;

const RUN: {
  readonly [O in Operation]: (input: Operations[O]['input']) => Promise<Operations[O]['output']>;
} = {
  extend: (input) => extend(input),
  'schedule-refresh': (input) => scheduleRefresh(input),
  'unschedule-refresh': (input) => unscheduleRefresh(input),
};

/** Every operation, by name. */
export const OPERATIONS = Object.keys(RUN) as Operation[];

/**
 * Runs one operation of the deployment, after checking its input.
 *
 * @throws InvalidRequest for an unknown operation or a malformed input, naming the field
 */
export async function operations<O extends Operation>(
  input: OperationInput<O>,
): Promise<Operations[O]['output']> {
  const operation: unknown = (input as { operation?: unknown } | null)?.operation;
  if (typeof operation !== 'string' || !Object.hasOwn(RUN, operation)) {
    const given = operation === undefined ? 'missing' : `${quoted(operation)} is not valid`;
    throw new InvalidRequest(`operation: ${given}; expected one of: ${OPERATIONS.join(', ')}.`);
  }
  const request = parseRequest(SCHEMAS[input.operation], input, input.operation) as OperationInput<O>;
  const run: (input: Operations[O]['input']) => Promise<Operations[O]['output']> = RUN[input.operation];
  return run(request);
}

/** The operations Lambda: {@link operations} in the project's middleware. */
export const handler = createHandler('operations', operations<Operation>);
