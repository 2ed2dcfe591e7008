import { readFileSync } from 'node:fs';
import { Command, type CommandUnknownOpts, Option } from '@commander-js/extra-typings';
import { DEFAULT_STACK_NAME } from '../infra/lib/outputs.js';
import { Aws, type GlobalOptions, LOCAL_ENDPOINT } from './aws.js';
import { build, validate } from './commands/artifact.js';
import { clone } from './commands/clone.js';
import { connect } from './commands/connect.js';
import { deleteClone } from './commands/delete.js';
import { extend } from './commands/extend.js';
import { list, show } from './commands/list.js';
import { demo, settingOptions, type UpOptions, up } from './commands/local.js';
import { reset } from './commands/refresh.js';
import { scheduleRefresh, schedules, unscheduleRefresh } from './commands/refresh-schedules.js';
import { explainAwsError } from './errors.js';

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

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}`;
}

/**
 * Runs an AWS command with the clients of the global options, and turns the errors a user's setup
 * causes (credentials, region, unreachable endpoint) into messages saying what to do.
 */
async function withAws(command: CommandUnknownOpts, action: (aws: Aws) => Promise<void>): Promise<void> {
  const aws = new Aws(command.optsWithGlobals() as GlobalOptions);
  try {
    await action(aws);
  } catch (error) {
    throw explainAwsError(error, aws.target);
  }
}

/** The `dbaf` command line: every command with its options, help and examples. */
export function buildProgram() {
  const program = new Command('dbaf')
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
      new Option('--clone-state-machine <arn>', 'the clone state machine, instead of reading the stack').env(
        'DBAF_CLONE_STATE_MACHINE_ARN',
      ),
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
    .addHelpText('after', EXIT_CODES);

  program
    .command('build')
    .description("turn an old artifact_config.ini into an artifact document (the INI's keys, checked)")
    .argument('<ini>', 'the artifact_config.ini file')
    .option('-o, --output <file>', 'write the document here (default: standard output)')
    .option('--owner <owner>', 'lifecycle.owner of the document')
    .option('--ttl <duration>', 'lifecycle.ttl of the document, such as 8h or 3d')
    .option('--name <name>', 'target.cloneName of the document')
    .addHelpText(
      'after',
      examples(
        'dbaf build artifact_config.ini -o artifact.json',
        'dbaf build artifact_config.ini --name orders-debug --ttl 2d --owner alice@example.com',
      ),
    )
    .action((ini, options) => build(ini, options));

  program
    .command('validate')
    .description('check an artifact document offline; lists every problem at once')
    .argument('<artifact>', 'the artifact document (JSON)')
    .option('--json', 'print the result as JSON (the artifact with its defaults, or the problems)')
    .addHelpText('after', examples('dbaf validate artifact.json', 'dbaf validate artifact.json --json'))
    .action((file, options) => validate(file, options));

  program
    .command('clone')
    .description(
      'make a clone: start the clone workflow named after the clone, follow it live, print how to connect',
    )
    .argument('<artifact>', 'the artifact document (JSON)')
    .option('--name <name>', "the clone's name (default: target.cloneName); the deployment's prefix is added")
    .option('--ttl <duration>', 'how long it lives, such as 8h or 3d (default: lifecycle.ttl)')
    .option('--owner <owner>', 'who it is for (default: lifecycle.owner, then your AWS user name)')
    .option('--detach', 'print the execution ARN and return at once')
    .option('--json', 'print the result as JSON (progress still goes to standard error)')
    .addHelpText(
      'after',
      `${examples(
        'dbaf clone artifact.json --name my-clone --ttl 8h',
        'dbaf --local clone examples/artifact.json --name demo',
        'dbaf clone artifact.json --name nightly --detach --json',
      )}\n\nRunning the same command again never makes a second clone: it follows the running\nexecution, or says the clone exists.`,
    )
    .action((file, options, command) => withAws(command, (aws) => clone(file, options, aws)));

  program
    .command('list')
    .description('every managed clone: name, source, owner, status, endpoint, expiry')
    .option('--owner <owner>', 'only the clones of this owner')
    .option('--json', 'print the clones as JSON')
    .addHelpText('after', examples('dbaf list', 'dbaf list --owner alice@example.com --json'))
    .action((options, command) => withAws(command, (aws) => list(options, aws)));

  program
    .command('show')
    .description('one clone in full: status, endpoints, instances, secret, TTL schedule')
    .argument('<clone>', 'the clone name (with or without the prefix)')
    .option('--json', 'print the clone as JSON')
    .addHelpText('after', examples('dbaf show my-clone', 'dbaf show dbaf-my-clone --json'))
    .action((name, options, command) => withAws(command, (aws) => show(name, options, aws)));

  program
    .command('extend')
    .description(
      "push a clone's expiry (its TTL and warning schedules and tags), up to the maximum TTL from now and the maximum lifetime",
    )
    .argument('<clone>', 'the clone name')
    .argument('<duration>', 'how much longer, such as 4h or 1d12h')
    .option('--json', 'print the new expiry as JSON')
    .addHelpText('after', examples('dbaf extend my-clone 4h', 'dbaf extend my-clone 2d'))
    .action((name, duration, options, command) =>
      withAws(command, (aws) => extend(name, duration, options, aws)),
    );

  program
    .command('delete')
    .description('delete a clone now: start the teardown workflow and follow it')
    .argument('<clone>', 'the clone name')
    .option('--final-snapshot', 'take a final snapshot <clone>-final first')
    .option('--no-final-snapshot', 'take no final snapshot, whatever the artifact asked for')
    .option('--detach', 'print the execution ARN and return at once')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples('dbaf delete my-clone', 'dbaf delete my-clone --final-snapshot'))
    .action((name, options, command) => withAws(command, (aws) => deleteClone(name, options, aws)));

  program
    .command('reset')
    .description(
      'refresh a clone from its source now: same endpoint, same secret and password; the old copy serves until the new one is ready',
    )
    .argument('<clone>', 'the clone name')
    .option(
      '--artifact <file>',
      "the artifact to make it from (default: its refresh schedule's, or the one it was made from)",
    )
    .option('--detach', 'print the execution ARN and return at once')
    .option('--json', 'print the result as JSON (progress still goes to standard error)')
    .addHelpText(
      'after',
      `${examples('dbaf reset my-clone', 'dbaf reset my-clone --artifact artifact.json --detach')}\n\nIf the refresh fails, the clone is left as it was, and the command exits 1.`,
    )
    .action((name, options, command) => withAws(command, (aws) => reset(name, options, aws)));

  program
    .command('schedule-refresh')
    .description(
      'refresh a clone from its source on a schedule (EventBridge Scheduler); the first run makes it if it does not exist',
    )
    .argument('<artifact>', 'the artifact document (JSON) of the clone')
    .requiredOption('--cron <expression>', 'six cron fields, such as "0 6 ? * MON-FRI *", or cron(...)')
    .option('--timezone <zone>', 'the IANA time zone the cron is read in', 'UTC')
    .option('--name <name>', "the clone's name (default: target.cloneName)")
    .option('--json', 'print the schedule as JSON')
    .addHelpText(
      'after',
      examples(
        'dbaf schedule-refresh artifact.json --cron "0 6 ? * MON-FRI *" --timezone Europe/Paris',
        'dbaf schedule-refresh artifact.json --name reporting --cron "30 2 * * ? *"',
      ),
    )
    .action((file, options, command) => withAws(command, (aws) => scheduleRefresh(file, options, aws)));

  program
    .command('unschedule-refresh')
    .description("delete a clone's refresh schedule; the clone stays until its TTL")
    .argument('<clone>', 'the clone name')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples('dbaf unschedule-refresh reporting'))
    .action((name, options, command) => withAws(command, (aws) => unscheduleRefresh(name, options, aws)));

  program
    .command('schedules')
    .description('every refresh schedule: clone, source, cron, time zone, next run')
    .option('--json', 'print the schedules as JSON')
    .addHelpText('after', examples('dbaf schedules', 'dbaf schedules --json'))
    .action((options, command) => withAws(command, (aws) => schedules(options, aws)));

  program
    .command('connect')
    .description("open psql on a clone, with the password from the clone's secret (never shown)")
    .argument('<clone>', 'the clone name')
    .argument('[psql-args...]', 'more psql arguments, after --')
    .option('-c, --command <sql>', 'run one SQL command and exit')
    .option('--reader', 'connect to the reader endpoint')
    .addOption(new Option('--psql <path>', 'the psql program').env('DBAF_PSQL'))
    .addHelpText(
      'after',
      examples(
        'dbaf connect my-clone',
        'dbaf connect my-clone -c "select count(*) from customers"',
        'dbaf connect my-clone -- -f checks.sql --no-psqlrc',
      ),
    )
    .action((name, args, options, command) => withAws(command, (aws) => connect(name, args, options, aws)));

  const local = program
    .command('local')
    .description('the local stand-in for AWS: real PostgreSQL, the same workflows, no AWS account');
  const localUp = local
    .command('up')
    .description('run the stand-in in the foreground until Ctrl-C (what --local talks to)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4566')
    .option('--host <address>', 'address to listen on (default: 127.0.0.1)')
    .option('--time-scale <x>', 'real time per AWS time (default: 0.02, a 10-minute clone in 12 s)')
    .option('--state-dir <dir>', 'keep the account and databases here across restarts')
    .option('--rate-limit', "turn on AWS's RDS API rate limit")
    .option('--quiet', 'print only the start-up banner and errors')
    .addHelpText(
      'after',
      examples(
        'dbaf local up',
        'dbaf local up --state-dir .dbaf --time-scale 0.05',
        'dbaf local up --max-lifetime 14d --protected-clones dbaf-demo --sweeper-schedule off',
      ),
    )
    .action((options) => up(options as UpOptions));
  // The deployment's settings, as the CDK construct's props of the same names.
  for (const option of settingOptions()) localUp.addOption(option);
  local
    .command('demo')
    .description('the demo: clone the seeded production database, check it, let its TTL delete it')
    .option('--keep', 'keep the clone and the stand-in up until Ctrl-C')
    .addHelpText('after', examples('dbaf local demo'))
    .action((options) => demo(options));

  return program;
}
