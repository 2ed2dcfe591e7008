/**
 * The deployment's settings, written once: the table, its rules, and what reads and writes it (the
 * Lambda environment, the stack outputs, the construct props, the stand-in's flags).
 */
export {
  type Checked,
  checkEntries,
  describeIssue,
  FLAG_SUBJECTS,
  type Issue,
  PROP_SUBJECTS,
  type Rule,
  type Subjects,
  VARIABLE_SUBJECTS,
  type ValuesOf,
} from './check.js';
export { flagOf, type SettingEntry, variableOf, type WiringEntry } from './entries.js';
export {
  handlerEnvironment,
  readConfig,
  type SuppliedWiringKey,
  settingsOf,
  type TableConfig,
  VARIABLES,
  type WiringSupply,
  wiringOf,
} from './environment.js';
export { cidrProblem, clusterSourceProblem, sourceClusterId } from './items.js';
export {
  type AnyKind,
  count,
  duration,
  durationOrOff,
  type Kind,
  list,
  schedule,
  text,
  WRONG_TYPE,
} from './kinds.js';
export {
  NO_ITEMS,
  OUTPUT_SETTING_KEYS,
  type OutputSettingKey,
  type OutputSettings,
  outputSettingsOf,
  readSettingOutputs,
  SETTING_OUTPUT_DESCRIPTIONS,
  SETTING_OUTPUTS,
  settingOutputValues,
} from './outputs.js';
export { LAMBDA_RULES, RULES } from './rules.js';
export {
  ALLOWED_SOURCES_HINT,
  DEFAULT_SWEEPER_SCHEDULE,
  SETTING_DEFAULTS,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  type SettingProps,
  type Settings,
  type SettingValues,
  WIRING,
  WIRING_KEYS,
  type Wiring,
  type WiringKey,
} from './table.js';
