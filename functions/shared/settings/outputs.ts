import { checkEntries, describeIssue, type Subjects } from './check.js';
import type { OutputEntry } from './entries.js';
import { SETTING_KEYS, SETTINGS, type SettingKey, type Settings, type SettingValues } from './table.js';

/** A setting that the stack outputs for the `dbaf` CLI. */
export type OutputSettingKey = {
  [K in SettingKey]: Settings[K] extends { readonly output: OutputEntry } ? K : never;
}[SettingKey];

/** The settings the stack outputs, with their values. */
export type OutputSettings = Pick<SettingValues, OutputSettingKey>;

/** Every setting the stack outputs, in table order. */
export const OUTPUT_SETTING_KEYS = SETTING_KEYS.filter(
  (key): key is OutputSettingKey => 'output' in SETTINGS[key],
);

const outputOf = (key: OutputSettingKey): OutputEntry => (SETTINGS[key] as { output: OutputEntry }).output;

/** The output key of each setting the stack outputs, such as `maxTtl: 'MaxTtl'`. */
export const SETTING_OUTPUTS = Object.fromEntries(
  OUTPUT_SETTING_KEYS.map((key) => [key, outputOf(key).key]),
) as { readonly [K in OutputSettingKey]: (Settings[K] & { readonly output: OutputEntry })['output']['key'] };

/** The description of each of those outputs. */
export const SETTING_OUTPUT_DESCRIPTIONS = Object.fromEntries(
  OUTPUT_SETTING_KEYS.map((key) => [key, outputOf(key).description]),
) as Readonly<Record<OutputSettingKey, string>>;

/** The settings the stack outputs, picked from all of them. */
export function outputSettingsOf(values: SettingValues): OutputSettings {
  return Object.fromEntries(
    OUTPUT_SETTING_KEYS.map((key) => [key, values[key]]),
  ) as unknown as OutputSettings;
}

/** An empty list as an output's value: CloudFormation outputs cannot be empty. */
export const NO_ITEMS = 'none';

const isList = (key: OutputSettingKey): boolean => Array.isArray(SETTINGS[key].default);

/** The value of each setting output, as the stack (and the stand-in's DescribeStacks) gives it. */
export function settingOutputValues(values: OutputSettings): Record<OutputSettingKey, string> {
  return Object.fromEntries(
    OUTPUT_SETTING_KEYS.map((key) => [key, SETTINGS[key].kind.encode(values[key] as never) || NO_ITEMS]),
  ) as Record<OutputSettingKey, string>;
}

const OUTPUT_SUBJECTS: Subjects = {
  name: (key) => `Output ${SETTING_OUTPUTS[key as OutputSettingKey]}`,
  field: (key, value) => `Output ${SETTING_OUTPUTS[key as OutputSettingKey]} ${OUTPUT_SUBJECTS.quote(value)}`,
  pair: (key, value) => `output ${SETTING_OUTPUTS[key as OutputSettingKey]} ${OUTPUT_SUBJECTS.quote(value)}`,
  quote: (value) => JSON.stringify(value)?.slice(0, 40) ?? String(value),
};

/**
 * The settings a stack's outputs carry, read back (`none` is an empty list); `problems` names each
 * output whose value cannot be read.
 */
export function readSettingOutputs(outputValue: (outputKey: string) => string): {
  readonly values: OutputSettings;
  readonly problems: readonly string[];
} {
  const table = Object.fromEntries(OUTPUT_SETTING_KEYS.map((key) => [key, SETTINGS[key]]));
  const input = Object.fromEntries(
    OUTPUT_SETTING_KEYS.map((key) => {
      const text = outputValue(outputOf(key).key);
      return [key, SETTINGS[key].kind.decode(text === NO_ITEMS && isList(key) ? '' : text)];
    }),
  );
  const { values, issues } = checkEntries(table, input, { level: 'form' });
  return {
    values: values as unknown as OutputSettings,
    problems: issues.map((issue) => describeIssue(issue, OUTPUT_SUBJECTS)),
  };
}
