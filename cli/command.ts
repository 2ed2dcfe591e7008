import type { Command, CommandUnknownOpts } from '@commander-js/extra-typings';
import { Aws, type GlobalOptions } from './aws.js';
import { explainAwsError } from './errors.js';

/**
 * What each command module's `register` is given: the `dbaf` program, to add its commands to with
 * `program.command(...)` (which passes on the program's settings: exit override, help after errors).
 */
export type Program = Command;

/** The `Examples:` section of a command's help, one `$ dbaf ...` line each. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}`;
}

/**
 * Runs an AWS command with the clients of the global options, and turns the errors a user's setup
 * causes (credentials, region, unreachable endpoint) into messages saying what to do.
 */
export async function withAws(
  command: CommandUnknownOpts,
  action: (aws: Aws) => Promise<void>,
): Promise<void> {
  const aws = new Aws(command.optsWithGlobals() as GlobalOptions);
  try {
    await action(aws);
  } catch (error) {
    throw explainAwsError(error, aws.target);
  }
}
