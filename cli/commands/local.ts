import { Option } from '@commander-js/extra-typings';
import { flagOf, SETTING_KEYS, SETTINGS, type SettingKey } from '../../functions/shared/settings/index.js';
import {
  flagTerm,
  STAND_IN_FLAG_KEYS,
  STAND_IN_FLAGS,
  type StandInFlag,
  type StandInFlagValues,
  standInArguments,
} from '../../local/flag-table.js';
import { examples, type Program } from '../command.js';
import { runStandIn } from '../launcher.js';

/**
 * Options of `dbaf local up`, passed to the stand-in (`local/main.ts`) as they are: its own
 * (`local/flag-table.ts`), and one per deployment setting (`--max-lifetime`, ...), which the
 * stand-in checks.
 */
export type UpOptions = StandInFlagValues & Partial<Record<SettingKey, string>>;

/** One `dbaf local up` option per flag of the stand-in's own, described as its usage text does. */
function ownOptions(): Option[] {
  return STAND_IN_FLAG_KEYS.map((key) => {
    const { summary, shown }: StandInFlag = STAND_IN_FLAGS[key];
    return new Option(flagTerm(key), shown === undefined ? summary : `${summary} (default: ${shown})`);
  });
}

/** One `dbaf local up` option per deployment setting, named and described as the stand-in's flag. */
function settingOptions(): Option[] {
  return SETTING_KEYS.map((key) => {
    const { kind, summary } = SETTINGS[key];
    const shown = kind.encode(SETTINGS[key].default as never) || 'none';
    const fallback = 'required' in SETTINGS[key] ? "the stand-in's seeded cluster, legacy-prod" : shown;
    return new Option(`--${flagOf(key)} ${kind.placeholder}`, `${summary} (default: ${fallback})`);
  });
}

/** The stand-in's command line (`local/main.ts`) for `dbaf local up`'s options. */
export function upArguments(options: UpOptions): string[] {
  return [
    ...standInArguments(options),
    ...SETTING_KEYS.flatMap((key) => {
      const value = options[key];
      return value === undefined ? [] : [`--${flagOf(key)}`, value];
    }),
  ];
}

/** `dbaf local up`: the local stand-in for AWS in the foreground, until Ctrl-C. */
export async function up(options: UpOptions): Promise<void> {
  process.exitCode = await runStandIn(upArguments(options));
}

/** Adds `dbaf local up` and `dbaf local demo`, the local stand-in's commands, to the program. */
export function register(program: Program): void {
  const local = program
    .command('local')
    .description('the local stand-in for AWS: real PostgreSQL, the same workflows, no AWS account');
  const localUp = local
    .command('up')
    .description('run the stand-in in the foreground until Ctrl-C (what --local talks to)')
    .addHelpText(
      'after',
      examples(
        'dbaf local up',
        'dbaf local up --state-dir .dbaf --time-scale 0.05',
        'dbaf local up --max-lifetime 14d --protected-clones dbaf-demo --sweeper-schedule off',
      ),
    )
    .action((options) => up(options as UpOptions));
  // Its own flags, then the deployment's settings, as the CDK construct's props of the same names.
  for (const option of [...ownOptions(), ...settingOptions()]) localUp.addOption(option);
  local
    .command('demo')
    .description('the demo: clone the seeded production database, check it, let its TTL delete it')
    .option(
      '--keep',
      'keep the stand-in up until Ctrl-C; the clone stays until its TTL, which the demo announces',
    )
    .addHelpText('after', examples('dbaf local demo'))
    // Loaded when asked for: the demo's PostgreSQL driver is no cost for the other commands.
    .action(async (options) => (await import('../demo/demo.js')).demo(options));
}
