import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/shared/config.js';
import {
  handlerEnvironment,
  LAMBDA_RULES,
  NO_ITEMS,
  readSettingOutputs,
  SETTING_DEFAULTS,
  SETTING_KEYS,
  SETTING_OUTPUTS,
  SETTINGS,
  type SettingValues,
  settingOutputValues,
  settingsOf,
  VARIABLES,
  type WiringSupply,
  wiringOf,
} from '../../../functions/shared/settings/index.js';
import { HANDLER_NAMES } from '../../../state-machines/catalog.js';
import { SETTING_EXAMPLES } from '../../support/settings.js';

const WIRING: WiringSupply = {
  scheduleGroupName: 'group',
  schedulerRoleArn: 'arn:aws:iam::123456789012:role/scheduler',
  teardownStateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:teardown',
  cloneStateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:clone',
  refreshStateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:refresh',
  eventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
};

const EXAMPLE_VALUES = Object.fromEntries(
  SETTING_KEYS.map((key) => [key, SETTINGS[key].kind.decode(SETTING_EXAMPLES[key])]),
) as unknown as SettingValues;

describe('the settings table', () => {
  it('names each variable after its key, as the handlers read them', () => {
    expect(VARIABLES).toEqual([
      'ALLOWED_SOURCES',
      'DEFAULT_TTL',
      'MAX_TTL',
      'CLONE_NAME_PREFIX',
      'DEFAULT_ALLOWED_CIDRS',
      'QUOTA_HEADROOM',
      'MAX_CLONES_PER_OWNER',
      'EXPIRY_WARNING',
      'MAX_LIFETIME',
      'PROTECTED_CLONES',
      'SWEEPER_GRACE',
      'SECRET_PREFIX',
      'SCHEDULE_GROUP_NAME',
      'SCHEDULER_ROLE_ARN',
      'TEARDOWN_STATE_MACHINE_ARN',
      'CLONE_STATE_MACHINE_ARN',
      'REFRESH_STATE_MACHINE_ARN',
      'EVENT_BUS_NAME',
      'EVENT_BUS_ARN',
      'POWERTOOLS_LOG_LEVEL',
    ]);
  });

  it.each(HANDLER_NAMES)('gives %s both sides of every rule loadConfig checks, or neither', (name) => {
    const given = new Set(settingsOf(name));
    for (const rule of LAMBDA_RULES) {
      const sides = rule.keys.map((key) => given.has(key));
      expect(new Set(sides).size, `${name}: ${rule.keys.join(', ')}`).toBe(1);
    }
  });

  it.each(SETTING_KEYS)('writes and reads back %s, its default and an example', (key) => {
    const { kind } = SETTINGS[key];
    for (const value of [SETTINGS[key].default, EXAMPLE_VALUES[key]]) {
      const text = kind.encode(value as never);
      expect(kind.normalize((kind.decode(text) ?? SETTINGS[key].default) as never)).toEqual(
        kind.normalize(value as never),
      );
    }
  });
});

describe('handlerEnvironment', () => {
  it('gives a handler the variables it reads, and no other', () => {
    expect(Object.keys(handlerEnvironment('publish-endpoint', SETTING_DEFAULTS, WIRING)).sort()).toEqual([
      'EVENT_BUS_NAME',
      'POWERTOOLS_LOG_LEVEL',
    ]);
    expect(wiringOf('teardown', SETTING_DEFAULTS)).not.toContain('teardownStateMachineArn');
  });

  it('writes each setting as its variable: lists comma-separated, durations as given', () => {
    expect(handlerEnvironment('refresh', EXAMPLE_VALUES, WIRING)).toMatchObject({
      ALLOWED_SOURCES: 'legacy-prod,orders-prod',
      PROTECTED_CLONES: 'tmp-demo,TMP-Training',
      MAX_LIFETIME: '14d',
      QUOTA_HEADROOM: '2',
      EVENT_BUS_ARN: WIRING.eventBusArn,
      SECRET_PREFIX: 'dbaf/',
    });
  });

  it('gives the bus ARN only to a deployment with expiry warnings', () => {
    const off = { ...SETTING_DEFAULTS, expiryWarning: 'off' };
    expect(handlerEnvironment('schedule-ttl-deletion', off, WIRING)).not.toHaveProperty('EVENT_BUS_ARN');
    expect(handlerEnvironment('schedule-ttl-deletion', SETTING_DEFAULTS, WIRING)).toHaveProperty(
      'EVENT_BUS_ARN',
    );
  });

  it.each(HANDLER_NAMES)('%s: loadConfig reads back the settings it gets', (name) => {
    const config = loadConfig(handlerEnvironment(name, EXAMPLE_VALUES, WIRING));
    const given = settingsOf(name);
    if (given.includes('maxLifetime')) expect(config.maxLifetimeMs).toBe(14 * 24 * 3_600_000);
    if (given.includes('protectedClones'))
      expect(config.protectedClones).toEqual(['tmp-demo', 'tmp-training']);
    if (given.includes('cloneNamePrefix')) expect(config.cloneNamePrefix).toBe('tmp-');
  });
});

describe('loadConfig, for untrusted values', () => {
  it('shows a few dozen characters of a bad value, naming the variable', () => {
    const error = (() => {
      try {
        loadConfig({ MAX_TTL: `${'x'.repeat(500)}` });
      } catch (thrown) {
        return thrown as Error;
      }
    })();
    expect(error?.message).toMatch(/^MAX_TTL="x{37}\.\.\." is not a duration/);
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ QUOTA_HEADROOM: '-1', DEFAULT_TTL: 'soon' })).toThrow(
      /DEFAULT_TTL="soon" is not a duration .* QUOTA_HEADROOM="-1" must be a whole number, 0 or more\./,
    );
  });
});

describe('the stack outputs of the settings', () => {
  it('are written with an empty list as "none", and read back', () => {
    const values = settingOutputValues({ ...SETTING_DEFAULTS, maxTtl: '3d' });
    expect(values).toMatchObject({ maxTtl: '3d', protectedClones: NO_ITEMS, cloneNamePrefix: 'dbaf-' });
    const byKey = new Map<string, string>(
      Object.entries(values).map(([key, text]) => [
        SETTING_OUTPUTS[key as keyof typeof SETTING_OUTPUTS],
        text,
      ]),
    );
    const read = readSettingOutputs((outputKey) => byKey.get(outputKey) ?? '');
    expect(read).toEqual({ values: { ...values, protectedClones: [] }, problems: [] });
  });

  it('name an output whose value cannot be read', () => {
    const read = readSettingOutputs((outputKey) => (outputKey === 'MaxTtl' ? 'a week' : '1h'));
    expect(read.problems).toContain(
      'Output MaxTtl "a week" is not a duration such as "30m", "8h", "3d" or "1d12h".',
    );
  });
});
