import { CommanderError } from '@commander-js/extra-typings';
import { EXIT, UserError } from './errors.js';
import { buildProgram } from './program.js';

/**
 * The `dbaf` entry point (`cli/bin/dbaf.js` loads it): parses the command line, runs the command,
 * and turns every error into one message on stderr and an exit code (docs/cli.md).
 */

const COMMANDER_OK = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

function details(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const meta = (error as Error & { $metadata?: { requestId?: string; httpStatusCode?: number } }).$metadata;
  const request = meta?.requestId ? ` (request id ${meta.requestId}, HTTP ${meta.httpStatusCode})` : '';
  const cause = error.cause === undefined ? '' : `\ncaused by: ${details(error.cause)}`;
  return `${error.stack ?? `${error.name}: ${error.message}`}${request}${cause}`;
}

/** Prints an error the way a user should see it and returns the exit code. */
function report(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Commander has printed its own message (and the usage hint) already.
    return COMMANDER_OK.has(error.code) ? EXIT.ok : EXIT.usage;
  }
  const write = (text: string) => process.stderr.write(`${text}\n`);
  if (error instanceof UserError) {
    write(`dbaf: ${error.message}`);
    if (verbose && error.cause !== undefined) write(details(error.cause));
    return error.exitCode;
  }
  const aws = error instanceof Error && '$metadata' in error;
  if (aws) {
    // An AWS answer dbaf has no special message for: say what AWS said.
    write(`dbaf: AWS answered ${error.name}: ${error.message}`);
    if (verbose) write(details(error));
    else write('Run again with --verbose for the details.');
    return EXIT.failed;
  }
  write(`dbaf: unexpected error, please report it with this output:\n${details(error)}`);
  return EXIT.failed;
}

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error, program.opts().verbose === true);
}
