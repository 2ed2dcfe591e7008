import type { AwsStub } from 'aws-sdk-client-mock';
import type { AwsRefusal } from '../../../functions/shared/aws/refusal.js';

// biome-ignore lint/suspicious/noExplicitAny: one binder answers the commands of every client
export type Stub = AwsStub<any, any, any>;

// biome-ignore lint/suspicious/noExplicitAny: any SDK command class
type CommandClass = abstract new (...args: any[]) => unknown;

/** The input type of an SDK command class. */
export type InputOf<C extends CommandClass> = NonNullable<ConstructorParameters<C>[0]>;

/**
 * Runs one call of a command: records it, applies injected faults (before the call, or after it
 * took effect, like a response lost on the way back) and returns what `call` answers.
 */
export type Guard = (name: string, call: () => unknown) => unknown;

/** `on(Command, fn)`: answers `Command` with `fn`, through `guard` (call log and injected faults). */
export function binder(mock: Stub, guard: Guard) {
  return <C extends CommandClass>(command: C, fn: (input: InputOf<C>) => unknown) => {
    mock.on(command as never).callsFake((input: InputOf<C>) => guard(command.name, () => fn(input)));
  };
}

/**
 * One of AWS's refusals (`functions/shared/aws/`) as the SDK client raises it: the exception class
 * of that name when the SDK module has one, otherwise the service's base exception with the name
 * (as the SDK does for codes it does not model).
 */
export function sdkError(sdk: object, Base: new (options: never) => Error, refusal: AwsRefusal): Error {
  const { name, message } = refusal;
  const modelled = (sdk as Record<string, unknown>)[name];
  // Scheduler's exceptions carry the message in a `Message` member too; the others ignore it.
  const options = { message, Message: message, $metadata: {} };
  if (typeof modelled === 'function' && modelled.prototype instanceof Error)
    return new (modelled as new (options: object) => Error)(options);
  return new Base({ ...options, name, $fault: 'client' } as never);
}
