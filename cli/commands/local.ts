import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Option } from '@commander-js/extra-typings';
import { flagOf, SETTING_KEYS, SETTINGS, type SettingKey } from '../../functions/shared/settings/index.js';
import { examples, type Program } from '../command.js';

/**
 * Options of `dbaf local up`, passed to the stand-in (`local/main.ts`) as they are: its own, and
 * one per deployment setting (`--max-lifetime`, ...), which the stand-in checks.
 */
export interface UpOptions extends Partial<Record<SettingKey, string>> {
  readonly port?: string;
  readonly host?: string;
  readonly timeScale?: string;
  readonly stateDir?: string;
  readonly rateLimit?: boolean;
  readonly quiet?: boolean;
}

/** One `dbaf local up` option per deployment setting, named and described as the stand-in's flag. */
export function settingOptions(): Option[] {
  return SETTING_KEYS.map((key) => {
    const { kind, summary } = SETTINGS[key];
    const shown = kind.encode(SETTINGS[key].default as never) || 'none';
    const fallback = 'required' in SETTINGS[key] ? "the stand-in's seeded cluster, legacy-prod" : shown;
    return new Option(`--${flagOf(key)} ${kind.placeholder}`, `${summary} (default: ${fallback})`);
  });
}

/** Options of `dbaf local demo`. */
export interface DemoOptions {
  readonly keep?: boolean;
}

/** Runs one of the stand-in's scripts in a child Node process with tsx; resolves with its exit code. */
function runScript(script: string, args: readonly string[]): Promise<number> {
  const path = fileURLToPath(new URL(`../../local/${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path, ...args], {
    stdio: 'inherit',
  });
  // The child stops its PostgreSQL servers before it exits, so wait for it: a terminal's Ctrl-C
  // reaches it directly (same process group); a SIGTERM sent to dbaf alone is passed on.
  const wait = () => {};
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', wait);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('SIGINT', wait);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

/** The stand-in's command line (`local/main.ts`) for `dbaf local up`'s options. */
export function upArguments(options: UpOptions): string[] {
  return [
    ...(options.port === undefined ? [] : ['--port', options.port]),
    ...(options.host === undefined ? [] : ['--host', options.host]),
    ...(options.timeScale === undefined ? [] : ['--time-scale', options.timeScale]),
    ...(options.stateDir === undefined ? [] : ['--state-dir', options.stateDir]),
    ...(options.rateLimit ? ['--rate-limit'] : []),
    ...SETTING_KEYS.flatMap((key) => {
      const value = options[key];
      return value === undefined ? [] : [`--${flagOf(key)}`, value];
    }),
    ...(options.quiet ? ['--quiet'] : []),
  ];
}

/** `dbaf local up`: the local stand-in for AWS in the foreground, until Ctrl-C. */
export async function up(options: UpOptions): Promise<void> {
  process.exitCode = await runScript('main.ts', upArguments(options));
}

/** `dbaf local demo`: the demo of `npm run demo`. */
export async function demo(options: DemoOptions): Promise<void> {
  process.exitCode = await runScript('demo.ts', options.keep ? ['--keep'] : []);
}

/** Adds `dbaf local up` and `dbaf local demo`, the local stand-in's commands, to the program. */
export function register(program: Program): void {
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
}
