import { parseArgs } from 'node:util';
import {
  checkEntries,
  describeIssue,
  FLAG_SUBJECTS,
  flagOf,
  RULES,
  SETTING_KEYS,
  SETTINGS,
  type SettingValues,
} from '../functions/shared/settings/index.js';
import { DEFAULT_DEPLOYMENT } from './deployment.js';
import { flagTerm, STAND_IN_FLAG_KEYS, STAND_IN_FLAGS, type StandInFlag, takesValue } from './flag-table.js';
import type { StandInOptions } from './standin.js';

/** A command line the stand-in refuses; the message says what is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const COLUMN = 21;

/** The stand-in's own flags, from the table: the flag, then its summary and default in a column. */
function ownLines(): string {
  return STAND_IN_FLAG_KEYS.map((key) => {
    const { summary, shown }: StandInFlag = STAND_IN_FLAGS[key];
    const text = shown === undefined ? summary : `${summary} [default: ${shown}]`;
    return `  ${flagTerm(key).padEnd(COLUMN - 2)}${text}`;
  }).join('\n');
}

/** The deployment settings' flags: one per setting of the table, with its summary and the stand-in's default. */
function settingLines(): string {
  return SETTING_KEYS.map((key) => {
    const { kind, summary } = SETTINGS[key];
    const shown = kind.encode(DEFAULT_DEPLOYMENT[key] as never) || 'none';
    return `  --${flagOf(key)} ${kind.placeholder}\n${' '.repeat(COLUMN)}${summary} [default: ${shown}]`;
  }).join('\n');
}

/** `npm run local -- --help`. */
export const USAGE = `Usage: npm run local -- [options]

Runs the local stand-in for AWS: Step Functions, RDS (real PostgreSQL), EC2, Secrets Manager,
EventBridge Scheduler, EventBridge, STS and CloudFormation on one loopback endpoint.

Options:
${ownLines()}
  ${'-h, --help'.padEnd(COLUMN - 2)}show this help

The deployment's settings, checked as the CDK construct checks its props of the same names:
${settingLines()}

Example, from another terminal:
  aws --endpoint-url http://127.0.0.1:4566 stepfunctions start-execution \\
    --state-machine-arn arn:aws:states:us-east-1:000000000000:stateMachine:dbaf-clone \\
    --input file://examples/artifact.json`;

/** What a stand-in command line asks for. */
export interface StandInFlags {
  readonly help: boolean;
  readonly quiet: boolean;
  /** Everything but the log, which depends on `quiet`. */
  readonly options: Omit<StandInOptions, 'log'>;
}

function number(value: string | boolean | undefined, name: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new UsageError(`--${name} must be a number ≥ 0; got "${value.slice(0, 40)}".`);
  }
  return parsed;
}

/** The settings the flags give, with the stand-in's defaults for the others, checked by the table's rules. */
function deploymentSettings(values: Record<string, string | boolean | undefined>): SettingValues {
  const input: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const text = values[flagOf(key)];
    const given = typeof text === 'string' ? SETTINGS[key].kind.decode(text) : undefined;
    input[key] = given === undefined ? DEFAULT_DEPLOYMENT[key] : given;
  }
  const { values: settings, issues } = checkEntries(SETTINGS, input, { level: 'schema', rules: RULES });
  const problems = issues.map((issue) => describeIssue(issue, FLAG_SUBJECTS));
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return settings;
}

/**
 * Reads the stand-in's command line: its own options, and one flag per deployment setting.
 *
 * @throws UsageError naming the first bad option, or every bad setting.
 */
export function parseStandInFlags(argv: readonly string[]): StandInFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(
          STAND_IN_FLAG_KEYS.map((key) => [
            flagOf(key),
            { type: takesValue(key) ? ('string' as const) : ('boolean' as const) },
          ]),
        ),
        ...Object.fromEntries(SETTING_KEYS.map((key) => [flagOf(key), { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const help = values.help === true;
  const quiet = values.quiet === true;
  if (help) return { help, quiet, options: {} };
  const timeScale = number(values['time-scale'], 'time-scale');
  if (timeScale === 0) throw new UsageError('--time-scale must be more than 0.');
  return {
    help,
    quiet,
    options: {
      port: number(values.port, 'port'),
      host: values.host as string | undefined,
      timeScale,
      stateDir: values['state-dir'] as string | undefined,
      rateLimit: values['rate-limit'] === true,
      deployment: deploymentSettings(values),
    },
  };
}
