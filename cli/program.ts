import { readFileSync } from 'node:fs';
import { Command, Option } from '@commander-js/extra-typings';
import { DEFAULT_STACK_NAME } from '../infra/lib/outputs.js';
import { LOCAL_ENDPOINT } from './aws.js';
import type { Program } from './command.js';
import * as artifact from './commands/artifact.js';
import * as clone from './commands/clone.js';
import * as connect from './commands/connect.js';
import * as deleteClone from './commands/delete.js';
import * as extend from './commands/extend.js';
import * as list from './commands/list.js';
import * as local from './commands/local.js';
import * as refresh from './commands/refresh.js';
import * as refreshSchedules from './commands/refresh-schedules.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The exit codes, for `dbaf --help` (docs/cli.md has the same table). */
const EXIT_CODES = `
Exit codes:
  0    done
  1    the workflow failed (the clone was rolled back, the teardown stopped), or a bug
  2    bad command line (unknown option, missing argument, bad duration)
  3    missing or unreadable file, invalid artifact or INI file
  4    no such clone, stack or state machine
  5    no credentials or region, access denied, endpoint unreachable, psql missing
  6    refused: beyond the maximum TTL or lifetime, a name taken by a cluster dbaf does not manage,
       a clone being deleted or not ready
  130  interrupted (Ctrl-C): what was started in AWS goes on
  dbaf connect exits with psql's own code.

Against AWS, dbaf uses the standard credential chain (environment, --profile, SSO,
instance roles) and reads the state machines from the stack's outputs. With --local it
talks to the local stand-in (start it with "dbaf local up") and needs no AWS account.
Docs: docs/cli.md`;

/**
 * The command modules, in the order `dbaf --help` lists their commands. Each registers its own
 * commands, options, help and examples beside the code that runs them.
 */
const COMMANDS: readonly { register(program: Program): void }[] = [
  artifact, // build, validate
  clone,
  list, // list, show
  extend,
  deleteClone,
  refresh, // reset
  refreshSchedules, // schedule-refresh, unschedule-refresh, schedules
  connect,
  local, // local up, local demo
];

/** The root `dbaf` command: its global options, exit codes and error handling. */
function root() {
  return (
    new Command('dbaf')
      // Errors come back to main.ts as exceptions, so every exit code is dbaf's (subcommands inherit this).
      .exitOverride()
      .description(
        'Disposable, safe copies of production Aurora PostgreSQL clusters: make, list, extend, connect to and delete clones.',
      )
      .version(VERSION, '-V, --version')
      .option('--profile <name>', 'AWS profile to use (default: the standard credential chain)')
      .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
      .option(
        '--local',
        `use the local stand-in at ${LOCAL_ENDPOINT} (or AWS_ENDPOINT_URL) instead of AWS; start it with "dbaf local up"`,
      )
      .option('--endpoint-url <url>', 'send every AWS call to this endpoint')
      .addOption(
        new Option('--stack <name>', 'the deployed stack whose outputs name the state machines')
          .env('DBAF_STACK')
          .default(DEFAULT_STACK_NAME),
      )
      .addOption(
        new Option(
          '--clone-state-machine <arn>',
          'the clone state machine, instead of reading the stack',
        ).env('DBAF_CLONE_STATE_MACHINE_ARN'),
      )
      .addOption(
        new Option(
          '--teardown-state-machine <arn>',
          'the teardown state machine, instead of reading the stack',
        ).env('DBAF_TEARDOWN_STATE_MACHINE_ARN'),
      )
      .addOption(
        new Option(
          '--refresh-state-machine <arn>',
          'the refresh state machine, with the two above (for reset)',
        ).env('DBAF_REFRESH_STATE_MACHINE_ARN'),
      )
      .addOption(
        new Option(
          '--operations-state-machine <arn>',
          'the operations state machine, with the two above (for extend and the refresh schedules)',
        ).env('DBAF_OPERATIONS_STATE_MACHINE_ARN'),
      )
      .option('-v, --verbose', 'print details (AWS request ids, stack traces) with errors')
      .showHelpAfterError('(add --help for usage)')
      .addHelpText('after', EXIT_CODES)
  );
}

/** The `dbaf` command line: the root command, and every command module's commands added to it. */
export function buildProgram() {
  const program = root();
  for (const module of COMMANDS) module.register(program);
  return program;
}
