import type { AwsStub } from 'aws-sdk-client-mock';

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
