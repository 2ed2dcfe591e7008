import { flagOf } from '../functions/shared/settings/index.js';

/**
 * The stand-in's own flags, declared once: `local/flags.ts` parses them and prints them in
 * `npm run local -- --help`, and `dbaf local up` (`cli/commands/local.ts`) offers the same ones and
 * passes them on. The deployment's settings, its other flags, come from the settings table
 * (`functions/shared/settings/`).
 *
 * This module imports nothing of the stand-in, so the CLI's launcher may read it.
 */

/** One flag of the stand-in's own. */
export interface StandInFlag {
  /** What its value looks like (`<n>`), or absent for a flag that takes none (`--quiet`). */
  readonly placeholder?: string;
  /** What it does, as both help texts say it. */
  readonly summary: string;
  /** What applies without it, as both help texts say it. @default no default shown */
  readonly shown?: string;
}

/** The stand-in's own flags, by camel-case key (`timeScale` is `--time-scale`), in the order of its help. */
export const STAND_IN_FLAGS = {
  port: { placeholder: '<n>', summary: 'port to listen on (0 picks a free one)', shown: '4566' },
  host: { placeholder: '<address>', summary: 'address to listen on', shown: '127.0.0.1' },
  timeScale: {
    placeholder: '<x>',
    summary: 'real time per AWS time; 0.02 makes a 10-minute clone take 12 s',
    shown: '0.02',
  },
  stateDir: {
    placeholder: '<dir>',
    summary: 'keep the account and databases here across restarts',
    shown: 'a temp dir, removed on exit',
  },
  rateLimit: { summary: "turn on AWS's RDS API rate limit (300 burst, 12 requests/s)" },
  quiet: { summary: 'print only the start-up banner and errors' },
} as const satisfies Record<string, StandInFlag>;

/** The key of one of the stand-in's own flags. */
export type StandInFlagKey = keyof typeof STAND_IN_FLAGS;

/** Every key of {@link STAND_IN_FLAGS}, in the order of its help. */
export const STAND_IN_FLAG_KEYS = Object.keys(STAND_IN_FLAGS) as StandInFlagKey[];

/** The values of the stand-in's own flags as a command line gives them: text, or true for a flag without value. */
export type StandInFlagValues = {
  readonly [K in StandInFlagKey]?: (typeof STAND_IN_FLAGS)[K] extends { readonly placeholder: string }
    ? string
    : boolean;
};

/** Whether a flag takes a value (`--port 0`) or stands alone (`--quiet`). */
export function takesValue(key: StandInFlagKey): boolean {
  return 'placeholder' in STAND_IN_FLAGS[key];
}

/** The flag as typed, with its placeholder: `--time-scale <x>`, `--quiet`. */
export function flagTerm(key: StandInFlagKey): string {
  const entry: StandInFlag = STAND_IN_FLAGS[key];
  return entry.placeholder === undefined ? `--${flagOf(key)}` : `--${flagOf(key)} ${entry.placeholder}`;
}

/** The stand-in's command line for these flags' values, in the table's order. */
export function standInArguments(values: StandInFlagValues): string[] {
  return STAND_IN_FLAG_KEYS.flatMap((key) => {
    const value = values[key];
    if (value === undefined || value === false) return [];
    return value === true ? [`--${flagOf(key)}`] : [`--${flagOf(key)}`, value];
  });
}
