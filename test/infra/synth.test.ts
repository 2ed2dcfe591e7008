import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_OUTPUTS } from '../../infra/lib/outputs.js';
import { HANDLER_NAMES } from '../../state-machines/catalog.js';
import { ROOT, type TemplateJson } from './support/synth.js';

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory, removed when the tests end. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** The environment of a fresh machine: no AWS credentials, region or profile, an empty home. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_')),
  );
  return { ...env, HOME: tempDir('dbaf-home-'), CI: 'true' };
}

/** Runs the pinned CDK CLI as a person would, from the repository root. */
function cdk(...args: string[]) {
  return spawnSync('npx', ['cdk', ...args], {
    cwd: ROOT,
    env: offlineEnv(),
    encoding: 'utf8',
    timeout: 180_000,
  });
}

describe('npx cdk synth', () => {
  it('synthesizes the app offline, with no credentials, from -c allowedSources', () => {
    const out = tempDir('dbaf-cdk-out-');
    const result = cdk('synth', '--quiet', '-c', 'allowedSources=legacy-prod', '--output', out);
    expect(result.stderr).not.toMatch(/AwsSolutions-|Error/);
    expect(result.status).toBe(0);

    const template = JSON.parse(
      readFileSync(join(out, 'DbArtifactFactory.template.json'), 'utf8'),
    ) as TemplateJson;
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(HANDLER_NAMES.length);
    expect(Object.keys(template.Outputs ?? {})).toEqual(expect.arrayContaining(Object.values(STACK_OUTPUTS)));

    // Each handler was bundled by the local esbuild, minified, with a source map, and loads.
    const assets = readdirSync(out).filter((name) => existsSync(join(out, name, 'index.js')));
    expect(assets).toHaveLength(HANDLER_NAMES.length);
    for (const asset of assets) expect(existsSync(join(out, asset, 'index.js.map'))).toBe(true);
    const load = spawnSync(
      process.execPath,
      [
        '-e',
        `for (const dir of ${JSON.stringify(assets.map((asset) => join(out, asset)))}) {
           const code = require('fs').readFileSync(dir + '/index.js', 'utf8');
           if (code.length / code.split('\\n').length < 1000) throw new Error(dir + ' is not minified');
           if (typeof require(dir + '/index.js').handler !== 'function') throw new Error(dir + ' exports no handler');
         }`,
      ],
      { env: offlineEnv(), encoding: 'utf8' },
    );
    expect(load.stderr).not.toMatch(/Error/);
    expect(load.status).toBe(0);
  }, 180_000);

  it('refuses to synthesize without allowedSources, saying how to set it', () => {
    const result = cdk('synth', '--quiet', '--output', tempDir('dbaf-cdk-out-'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('allowedSources is not set');
    expect(result.stderr).toContain('npx cdk deploy -c allowedSources=');
  }, 180_000);
});
