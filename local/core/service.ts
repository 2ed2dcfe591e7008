/**
 * What a stand-in service is: an AWS protocol, the SDK module whose schemas describe
 * its shapes, and one function per action.
 *
 * The SDK clients' own schemas drive decoding and encoding (`schemas.ts`), so the
 * stand-in's XML and JSON are the shapes the SDK expects, member names included.
 */

/** The wire protocols the project's services speak. */
export const PROTOCOLS = ['query', 'ec2', 'json1.0', 'json1.1', 'rest-json'] as const;
/** One of {@link PROTOCOLS}. */
export type Protocol = (typeof PROTOCOLS)[number];

/** Who is calling, as the request says. */
export interface RequestContext {
  /** A fresh request id, as AWS returns in `x-amzn-RequestId` / `<RequestId>`. */
  readonly requestId: string;
  readonly service: string;
  readonly action: string;
}

/** One action of a service: its decoded input in, its output (or a thrown AWS error) out. */
// biome-ignore lint/suspicious/noExplicitAny: each operation is typed by its own SDK input and output types
export type Operation = (input: any, context: RequestContext) => unknown;

/** One AWS service of the stand-in. */
export interface ServiceDefinition {
  /** The SigV4 signing name (`rds`, `ec2`, `states`, `secretsmanager`, `scheduler`, `events`, `sts`). */
  readonly id: string;
  readonly protocol: Protocol;
  /** The SDK client module (`import * as rds from '@aws-sdk/client-rds'`): the schemas' source. */
  readonly sdk: Record<string, unknown>;
  /** `X-Amz-Target` prefix of JSON protocols (`AWSStepFunctions`, `secretsmanager`). */
  readonly targetPrefix?: string;
  /** XML namespace of query protocols. */
  readonly xmlNamespace?: string;
  /** The API version query clients send (`2014-10-31`). */
  readonly version?: string;
  readonly operations: Readonly<Record<string, Operation>>;
}

/** What every service of one stand-in shares. */
export interface ServiceContext {
  readonly account: import('./state.js').Account;
  readonly clock: import('./clock.js').Clock;
  readonly faults: import('./faults.js').Faults;
  /** Starts an execution of a state machine (EventBridge Scheduler's target). */
  readonly startExecution: (
    stateMachineArn: string,
    input: string,
    name?: string,
  ) => Promise<{ executionArn: string }>;
  /** One line for the stand-in's log; never pass a password. */
  readonly log: (line: string) => void;
}

/**
 * An operation written as a plain function of its service's shared state: `(rds, input) => output`.
 *
 * Services keep each action a small named function in the file of its resource, and bind them
 * with {@link bindOperations} instead of closing over their state in one long function.
 */
export type OperationOf<Shared> = (shared: Shared, input: never, context: RequestContext) => unknown;

/** Binds each operation to the service's shared state: what {@link ServiceDefinition.operations} holds. */
export function bindOperations<Shared>(
  shared: Shared,
  operations: Readonly<Record<string, OperationOf<Shared>>>,
): Record<string, Operation> {
  return Object.fromEntries(
    Object.entries(operations).map(([action, operation]) => [
      action,
      (input: unknown, context: RequestContext) => operation(shared, input as never, context),
    ]),
  );
}
