import type { AwsStub } from 'aws-sdk-client-mock';

// biome-ignore lint/suspicious/noExplicitAny: one binder answers the commands of every client
export type Stub = AwsStub<any, any, any>;

// biome-ignore lint/suspicious/noExplicitAny: any SDK command class
type CommandClass = abstract new (...args: any[]) => unknown;

/** The input type of an SDK command class. */
export type InputOf<C extends CommandClass> = NonNullable<ConstructorParameters<C>[0]>;

/** `on(Command, fn)`: answers `Command` with `fn`, after `guard` (call log and injected faults). */
export function binder(mock: Stub, guard: (name: string) => void) {
  return <C extends CommandClass>(command: C, fn: (input: InputOf<C>) => unknown) => {
    mock.on(command as never).callsFake((input: InputOf<C>) => {
      guard(command.name);
      return fn(input);
    });
  };
}
