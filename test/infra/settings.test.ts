import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { App } from 'aws-cdk-lib';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { upArguments } from '../../cli/commands/local.js';
import { buildProgram } from '../../cli/program.js';
import { flagOf, SETTING_KEYS, SETTINGS, type SettingKey } from '../../functions/shared/settings/index.js';
import { settingsFromContext } from '../../infra/lib/context.js';
import { type CloneFactoryProps, CONSTRUCT_SETTINGS, resolveSettings } from '../../infra/lib/props.js';
import { parseStandInFlags, USAGE } from '../../local/flags.js';
import { SETTING_EXAMPLES } from '../support/settings.js';
import { ROOT } from './support/synth.js';

/** The value of a setting's example, as every surface should end up with it. */
function expected(key: SettingKey): unknown {
  const { kind } = SETTINGS[key];
  return kind.normalize(kind.decode(SETTING_EXAMPLES[key]) as never);
}

/** Props with the example of `key`, and allowed sources that go with every example. */
function propsWith(key: SettingKey): CloneFactoryProps {
  const value = SETTINGS[key].kind.decode(SETTING_EXAMPLES[key]);
  return { allowedSources: ['legacy-prod'], cloneNamePrefix: 'tmp-', maxTtl: '3d', [key]: value };
}

// Compile-time: every setting is a construct prop of the same name and type.
type PropOf<K extends SettingKey> = Required<CloneFactoryProps>[K];
const _everySettingIsAProp: { [K in SettingKey]: PropOf<K> } | undefined = undefined;

describe.each(SETTING_KEYS)('the setting %s', (key) => {
  it('is a construct prop, checked and kept', () => {
    expect(resolveSettings(propsWith(key))[key]).toEqual(expected(key));
  });

  it('is a context key of the same name', () => {
    const context = { allowedSources: 'legacy-prod', [key]: SETTING_EXAMPLES[key] };
    const { factory } = settingsFromContext(new App({ context }).node);
    expect(SETTINGS[key].kind.normalize(factory[key] as never)).toEqual(expected(key));
  });

  it('is a stand-in flag, in its usage text', () => {
    const flags = parseStandInFlags([
      '--clone-name-prefix',
      'tmp-',
      `--${flagOf(key)}`,
      SETTING_EXAMPLES[key],
    ]);
    expect(flags.options.deployment?.[key]).toEqual(expected(key));
    expect(USAGE).toContain(`--${flagOf(key)} ${SETTINGS[key].kind.placeholder}`);
  });

  it('is a `dbaf local up` option, passed on to the stand-in', () => {
    const up = (buildProgram() as unknown as CommandUnknownOpts).commands
      .find((command) => command.name() === 'local')
      ?.commands.find((command) => command.name() === 'up');
    expect(up?.options.map((option) => option.long)).toContain(`--${flagOf(key)}`);
    expect(upArguments({ [key]: SETTING_EXAMPLES[key] })).toEqual([
      `--${flagOf(key)}`,
      SETTING_EXAMPLES[key],
    ]);
  });
});

describe("the README's settings table", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('Settings, as `-c key=value`'));
  const rows = new Map(
    [...table.matchAll(/^\| `(\w+)` +\| (.+?) +\| (.+?) +\|$/gm)].map(([, key, meaning, shown]) => [
      key,
      { meaning, shown },
    ]),
  );

  it.each([
    ...SETTING_KEYS,
    ...Object.keys(CONSTRUCT_SETTINGS),
  ])('documents %s, with the default of the table', (key) => {
    const row = rows.get(key);
    expect(row, key).toBeDefined();
    if (!(key in SETTINGS)) return;
    const entry = SETTINGS[key as SettingKey];
    if ('required' in entry) expect(row?.shown).toBe('required');
    else expect(row?.shown).toContain(entry.kind.encode(entry.default as never) || 'none');
  });
});

describe('the TSDoc of the settings table', () => {
  const file = join(ROOT, 'functions/shared/settings/table.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const defaults = new Map<string, string | undefined>();
  source.forEachChild(function visit(node) {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'SETTINGS') {
      const literal = (node.initializer as ts.AsExpression).expression as ts.ObjectLiteralExpression;
      for (const property of literal.properties) {
        const tag = ts.getJSDocTags(property).find((candidate) => candidate.tagName.text === 'default');
        defaults.set(property.name?.getText() ?? '', ts.getTextOfJSDocComment(tag?.comment));
      }
      return;
    }
    node.forEachChild(visit);
  });

  it.each(SETTING_KEYS)('says %s’s @default, as the prop’s TSDoc', (key) => {
    expect(defaults.has(key)).toBe(true);
    const entry = SETTINGS[key];
    const documented = defaults.get(key);
    if ('required' in entry) return expect(documented).toBeUndefined();
    const value = entry.default as unknown;
    if (Array.isArray(value) && value.length === 0) return expect(documented).toMatch(/^- none/);
    expect(documented).toBe(typeof value === 'string' ? `'${value}'` : String(value));
  });
});
