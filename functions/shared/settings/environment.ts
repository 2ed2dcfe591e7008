import type { HandlerName } from '../../../state-machines/catalog.js';
import { ConfigurationError } from '../errors.js';
import { type CheckTable, checkEntries, describeIssue, type Rule, VARIABLE_SUBJECTS } from './check.js';
import { type ConfigField, type ConfigValue, variableOf } from './entries.js';
import { LAMBDA_RULES } from './rules.js';
import {
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  type Settings,
  type SettingValues,
  WIRING,
  WIRING_KEYS,
  type Wiring,
  type WiringKey,
} from './table.js';

/** A wiring key whose value the deployment must supply (a name or ARN it makes). */
export type SuppliedWiringKey = {
  [K in WiringKey]: Wiring[K] extends { readonly supplied: true } ? K : never;
}[WiringKey];

/**
 * The wiring values a deployment gives its functions: the CDK stack's names, ARNs and tokens, or
 * the stand-in's. The fixed ones (`SECRET_PREFIX`, `EVENT_BUS_NAME`, ...) may be left out.
 */
export type WiringSupply = { readonly [K in SuppliedWiringKey]: string } & {
  readonly [K in Exclude<WiringKey, SuppliedWiringKey>]?: string;
};

/**
 * The settings whose variable `handler` gets, in table order: those it reads, and every other
 * setting of a rule `loadConfig` checks on them, so that no check compares a value with a default
 * the deployment changed (the sweeper reads `MAX_LIFETIME`, so it gets `MAX_TTL` and `DEFAULT_TTL`).
 */
export function settingsOf(handler: HandlerName): SettingKey[] {
  const given = new Set(
    SETTING_KEYS.filter((key) => (SETTINGS[key].handlers as readonly HandlerName[]).includes(handler)),
  );
  let grown = true;
  while (grown) {
    grown = false;
    for (const rule of LAMBDA_RULES) {
      if (!rule.keys.some((key) => given.has(key))) continue;
      for (const key of rule.keys) {
        if (!given.has(key)) {
          given.add(key);
          grown = true;
        }
      }
    }
  }
  return SETTING_KEYS.filter((key) => given.has(key));
}

/** The wiring variables `handler` gets, in a deployment with these settings. */
export function wiringOf(handler: HandlerName, settings: SettingValues): WiringKey[] {
  return WIRING_KEYS.filter((key) => {
    const entry = WIRING[key] as Wiring[WiringKey] & { when?: (settings: SettingValues) => boolean };
    return (entry.handlers as readonly HandlerName[]).includes(handler) && (entry.when?.(settings) ?? true);
  });
}

/**
 * The environment of one handler's Lambda function: the variables it reads, no other. The CDK
 * construct and the local stand-in both set exactly this.
 */
export function handlerEnvironment(
  handler: HandlerName,
  settings: SettingValues,
  wiring: WiringSupply,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const key of settingsOf(handler)) {
    environment[variableOf(key)] = SETTINGS[key].kind.encode(settings[key] as never);
  }
  for (const key of wiringOf(handler, settings)) {
    const supplied = (wiring as Partial<Record<WiringKey, string>>)[key];
    environment[variableOf(key)] = supplied ?? WIRING[key].kind.encode(WIRING[key].default as never);
  }
  return environment;
}

/** Every environment variable the tables own, setting or wiring. */
export const VARIABLES: readonly string[] = [
  ...SETTING_KEYS.filter((key) => SETTINGS[key].handlers.length > 0),
  ...WIRING_KEYS,
].map(variableOf);

type ReadSettingKey = {
  [K in SettingKey]: Settings[K]['handlers'] extends readonly [] ? never : K;
}[SettingKey];
type ReadWiringKey = {
  [K in WiringKey]: Wiring[K] extends { readonly config: false } ? never : K;
}[WiringKey];

/** What `loadConfig` reads, by `Config` field: every setting with a variable, and the wiring. */
export type TableConfig = {
  readonly [K in ReadSettingKey as ConfigField<K, Settings[K]>]: ConfigValue<Settings[K]>;
} & { readonly [K in ReadWiringKey as ConfigField<K, Wiring[K]>]: ConfigValue<Wiring[K]> };

const READ: CheckTable = Object.fromEntries([
  ...SETTING_KEYS.filter((key) => SETTINGS[key].handlers.length > 0).map((key) => [key, SETTINGS[key]]),
  ...WIRING_KEYS.filter((key) => (WIRING[key] as { config?: boolean }).config !== false).map((key) => [
    key,
    WIRING[key],
  ]),
]);

/**
 * Reads every variable of the tables from `env`, a missing one as its default, and checks their
 * form and the rules `loadConfig` applies.
 *
 * @throws ConfigurationError naming each bad variable, with (a few dozen characters of) its value.
 */
export function readConfig(env: Readonly<Record<string, string | undefined>>): TableConfig {
  const input: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(READ)) {
    const text = env[variableOf(key)];
    if (text !== undefined) input[key] = entry.kind.decode(text);
  }
  const { values, issues } = checkEntries(READ, input, {
    level: 'form',
    rules: LAMBDA_RULES as unknown as readonly Rule<Record<string, unknown>>[],
  });
  if (issues.length > 0) {
    throw new ConfigurationError(issues.map((issue) => describeIssue(issue, VARIABLE_SUBJECTS)).join(' '));
  }
  const config: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(READ)) {
    config[`${key}${entry.kind.configSuffix}`] = entry.kind.toConfig(values[key]);
  }
  return config as TableConfig;
}
