import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArtifact } from '../../functions/shared/artifact.js';
import { dbaf } from './support.js';

// The original tool's configuration files, as its users have them (copied from ../shared/fixtures/).
const FIXTURES = ['artifact_config.ini', 'artifact_config_subnets.ini'].map(
  (name) => new URL(`../fixtures/${name}`, import.meta.url).pathname,
);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbaf-cli-'));
});

describe('dbaf build and dbaf validate', () => {
  it.each(FIXTURES)('builds %s into a document that dbaf validate accepts', async (ini) => {
    const output = join(dir, `${ini.split('/').pop()}.json`);
    const built = await dbaf(['build', ini, '-o', output, '--owner', 'alice@example.com', '--ttl', '8h']);
    expect(built).toMatchObject({ code: 0, stderr: '' });
    expect(built.stdout).toContain(`Wrote ${output}`);
    const document = JSON.parse(readFileSync(output, 'utf8'));
    expect(document.lifecycle).toMatchObject({ owner: 'alice@example.com', ttl: '8h' });

    const validated = await dbaf(['validate', output]);
    expect(validated).toMatchObject({ code: 0, stderr: '' });
    expect(validated.stdout).toContain('is a valid artifact');
    expect(validated.stdout).toContain(document.source.clusterIdentifier);
  });

  it('prints the document on standard output without -o', async () => {
    const run = await dbaf(['build', FIXTURES[1] ?? '', '--name', 'billing-debug']);
    expect(run.code).toBe(0);
    const artifact = parseArtifact(JSON.parse(run.stdout));
    expect(artifact.source.clusterIdentifier).toBe('legacy-billing-prod');
    expect(artifact.target).toMatchObject({
      cloneName: 'billing-debug',
      subnets: ['subnet-0a1b2c3d', 'subnet-1b2c3d4e'],
      instanceClass: 'db.r6g.large',
    });
  });

  it('validate --json gives the artifact with its defaults applied', async () => {
    const run = await dbaf(['validate', 'examples/artifact.json', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ valid: true, artifact: { target: { instanceCount: 1 } } });
  });
});

describe('dbaf build and validate, given bad input', () => {
  const invalid = () => {
    const file = join(dir, 'invalid.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        source: { clusterIdentifier: 'prod' },
        target: { instanceClass: 'large', color: 'red' },
      }),
    );
    return file;
  };

  it('lists every problem of an invalid artifact, with no stack trace, and exits 3', async () => {
    const run = await dbaf(['validate', invalid()]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('The artifact is invalid (2 problems)');
    expect(run.stderr).toContain('target.instanceClass: "large" is not valid');
    expect(run.stderr).toContain('target.color: unknown field');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate --json gives the problems and exits 3', async () => {
    const run = await dbaf(['validate', invalid(), '--json']);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      valid: false,
      problems: expect.arrayContaining([expect.stringMatching(/^target\.color/)]),
    });
  });

  it.each([
    [['validate', 'no-such-artifact.json'], 3, /Cannot read no-such-artifact\.json: no such file/],
    [['build', 'no-such.ini'], 3, /Cannot read no-such\.ini: no such file/],
    [['validate', 'README.md'], 3, /README\.md is not JSON .*dbaf build README\.md/],
    [['build', 'README.md'], 3, /README\.md: The artifact is invalid/],
    [['validate'], 2, /missing required argument 'artifact'/],
    [['clone', 'examples/artifact.json', '--ttl', 'soon'], 2, /--ttl "soon" is not a duration/],
    [['extend', 'my-clone', 'forever', '--local'], 2, /"forever" is not a duration/],
    [['launch'], 2, /unknown command 'launch'/],
    [['list', '--colour'], 2, /unknown option '--colour'/],
  ])('dbaf %j exits %i with one clear message', async (args, code, message) => {
    const run = await dbaf(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
