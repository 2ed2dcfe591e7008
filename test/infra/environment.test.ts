import { describe, expect, it } from 'vitest';
import {
  SETTING_KEYS,
  SETTINGS,
  type SettingValues,
  VARIABLES,
  variableOf,
  WIRING,
} from '../../functions/shared/settings/index.js';
import { DEFAULT_DEPLOYMENT, functionEnvironment, runtimeEnvironment } from '../../local/deployment.js';
import { HANDLER_NAMES, type HandlerName } from '../../state-machines/catalog.js';
import { SETTING_EXAMPLES } from '../support/settings.js';
import { logicalId, synthesize } from './support/synth.js';

/** The values the stand-in is given for the same settings as the stack's context. */
function settingsOf(context: Readonly<Record<string, string>>): SettingValues {
  return Object.fromEntries(
    SETTING_KEYS.map((key) => {
      const text = context[key];
      const { kind } = SETTINGS[key];
      return [key, text === undefined ? DEFAULT_DEPLOYMENT[key] : kind.normalize(kind.decode(text) as never)];
    }),
  ) as unknown as SettingValues;
}

// Every variable whose value both give alike: the settings, and the wiring the project fixes
// (not the names and ARNs each deployment makes, nor the log level each runs at).
const SAME_VALUE = new Set([
  ...SETTING_KEYS.map(variableOf),
  ...Object.entries(WIRING)
    .filter(([key, entry]) => !('supplied' in entry) && key !== 'powertoolsLogLevel')
    .map(([key]) => variableOf(key)),
]);

describe.each([
  ['every setting changed', SETTING_EXAMPLES],
  ['the expiry warnings off', { allowedSources: 'legacy-prod', expiryWarning: 'off' }],
])('the stack and the stand-in, with %s', (_case, context) => {
  const { json, stack } = synthesize(context);
  const endpoint = 'http://127.0.0.1:4566';
  const deployment = { ...DEFAULT_DEPLOYMENT, ...settingsOf(context) };
  const runtime = Object.keys(runtimeEnvironment(deployment, endpoint));

  const stackEnvironment = (name: HandlerName): Record<string, unknown> => {
    const id = logicalId(stack.factory.functions[name]);
    const { NODE_OPTIONS, ...variables } = json.Resources[id]?.Properties?.Environment?.Variables ?? {};
    expect(NODE_OPTIONS).toBe('--enable-source-maps');
    return variables;
  };
  const standInEnvironment = (name: HandlerName): Record<string, string> => {
    const variables = { ...functionEnvironment(deployment, endpoint, name) };
    for (const key of runtime) delete variables[key];
    return variables;
  };

  it.each(HANDLER_NAMES)('give %s the same variables, with the same settings', (name) => {
    const fromStack = stackEnvironment(name);
    const fromStandIn = standInEnvironment(name);
    expect(Object.keys(fromStandIn).sort()).toEqual(Object.keys(fromStack).sort());
    for (const [variable, value] of Object.entries(fromStandIn)) {
      if (SAME_VALUE.has(variable)) expect(fromStack[variable], variable).toBe(value);
    }
  });

  it('set only variables the settings table owns (besides the runtime’s)', () => {
    for (const name of HANDLER_NAMES) {
      for (const variable of Object.keys(stackEnvironment(name))) expect(VARIABLES).toContain(variable);
    }
  });
});

describe('the variables a function gets', () => {
  const { json, stack } = synthesize(SETTING_EXAMPLES);
  const variables = (name: HandlerName) =>
    Object.keys(
      json.Resources[logicalId(stack.factory.functions[name])]?.Properties?.Environment?.Variables ?? {},
    );

  it('include every setting whose table entry names its handler', () => {
    for (const key of SETTING_KEYS) {
      for (const name of SETTINGS[key].handlers as readonly HandlerName[]) {
        expect(variables(name), `${name} ${key}`).toContain(variableOf(key));
      }
    }
  });

  it('leave the steps that read no setting with their log level alone', () => {
    expect(variables('create-instance').sort()).toEqual(['NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL']);
  });
});
