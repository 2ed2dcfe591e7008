import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArtifact } from '../../../functions/shared/artifact.js';
import { InvalidArtifact } from '../../../functions/shared/errors.js';
import { iniToArtifact, parseIni } from '../../../functions/shared/ini.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

const GOOD = `[source_db]
source_db_cluster_id = legacy-billing-prod

[target_db]
subnet_ids = subnet-0a1b2c3d, subnet-1b2c3d4e
instance_type = db.r6g.large
`;

/** The problems `run` is rejected with; fails the test when it succeeds. */
function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArtifact);
    return (error as InvalidArtifact).problems;
  }
  throw new Error('the INI file was accepted');
}

describe('parseIni', () => {
  it('reads sections, both separators, comments and continuation lines', () => {
    const text = [
      '; the original tool wrote this',
      '# another comment',
      '[source_db]',
      'source_db_cluster_id: arn:aws:rds:us-east-1:123456789012:cluster:prod  ; shared',
      '',
      '[target_db]',
      'Subnet_IDs =',
      '  subnet-0a1b2c3d,',
      '  subnet-1b2c3d4e',
      'empty =',
    ].join('\n');
    expect(parseIni(text)).toEqual({
      source_db: { source_db_cluster_id: 'arn:aws:rds:us-east-1:123456789012:cluster:prod' },
      target_db: { subnet_ids: '\nsubnet-0a1b2c3d,\nsubnet-1b2c3d4e', empty: '' },
    });
  });

  it.each([
    [
      'a key outside a section',
      'instance_type = db.r5.large\n[target_db]',
      'line 1: instance_type is outside any section',
    ],
    [
      'a line that is neither',
      '[target_db]\n\njust words',
      'line 3: "just words" is neither a [section] header nor',
    ],
    [
      'a duplicate key',
      '[target_db]\ninstance_type = a\nINSTANCE_TYPE = b',
      'line 3: [target_db] instance_type is given twice (first on line 2)',
    ],
    ['a duplicate section', '[a]\nx = 1\n[a]', 'line 3: section [a] appears twice (first on line 1)'],
  ])('rejects %s with its line number', (_case, text, problem) => {
    expect(problemsOf(() => parseIni(text))).toEqual([expect.stringContaining(problem)]);
  });
});

describe('iniToArtifact', () => {
  it("converts the original tool's file that clones onto the source's subnets", () => {
    const artifact = iniToArtifact(fixture('artifact_config.ini'));
    expect(artifact).toEqual({
      version: 1,
      source: { clusterIdentifier: 'dbartifact-prod-create-cluster-1k326eivoq3i0' },
      target: { instanceClass: 'db.r4.large', subnets: 'source' },
    });
    expect(Object.keys(artifact)[0]).toBe('version');
    expect(() => parseArtifact(artifact)).not.toThrow();
  });

  it('converts a file with explicit subnets and adds the owner, TTL and clone name given', () => {
    const artifact = iniToArtifact(fixture('artifact_config_subnets.ini'), {
      owner: 'ana',
      ttl: '8h',
      cloneName: 'billing-debug',
    });
    expect(artifact).toEqual({
      version: 1,
      source: { clusterIdentifier: 'legacy-billing-prod' },
      target: {
        cloneName: 'billing-debug',
        instanceClass: 'db.r6g.large',
        subnets: ['subnet-0a1b2c3d', 'subnet-1b2c3d4e'],
      },
      lifecycle: { ttl: '8h', owner: 'ana' },
    });
    expect(parseArtifact(artifact).lifecycle).toEqual({ ttl: '8h', owner: 'ana', finalSnapshot: false });
  });

  it('uses the source subnets when subnet_ids is absent', () => {
    const artifact = iniToArtifact(
      '[source_db]\nsource_db_cluster_id = prod\n[target_db]\ninstance_type = db.r5.large\n',
    );
    expect(artifact.target.subnets).toBe('source');
  });

  it.each([
    [
      'an unknown section',
      `${GOOD}[extra]\nx = 1\n`,
      '[extra]: unknown section; known sections: source_db, target_db (line 7)',
    ],
    [
      'an unknown key',
      GOOD.replace('instance_type', 'instance_size'),
      '[target_db] instance_size: unknown key; known keys: subnet_ids, instance_type (line 6)',
    ],
    [
      'an unknown key in source_db',
      GOOD.replace('[source_db]', '[source_db]\nregion = us-east-1'),
      '[source_db] region: unknown key; known keys: source_db_cluster_id (line 2)',
    ],
    [
      'a missing instance_type',
      GOOD.replace('instance_type = db.r6g.large', ''),
      '[target_db] instance_type: missing; expected an instance class',
    ],
    [
      'a missing source_db section',
      GOOD.replace('[source_db]\nsource_db_cluster_id = legacy-billing-prod', ''),
      '[source_db] source_db_cluster_id: missing; expected the identifier or ARN of the cluster to clone (add a [source_db] section with it)',
    ],
    [
      'a bad second subnet id',
      GOOD.replace('subnet-1b2c3d4e', 'nope'),
      '[target_db] subnet_ids: "nope" (item 2) is not valid; expected subnet ids such as "subnet-0a1b2c3d"',
    ],
    [
      'a single subnet id',
      GOOD.replace(', subnet-1b2c3d4e', ''),
      '[target_db] subnet_ids: ["subnet-0a1b2c3d"] is not valid; expected at least two subnet ids',
    ],
    [
      'a bad instance type',
      GOOD.replace('db.r6g.large', 'large'),
      '[target_db] instance_type: "large" is not valid',
    ],
    [
      'a bad cluster id',
      GOOD.replace('legacy-billing-prod', 'legacy_billing'),
      '[source_db] source_db_cluster_id: "legacy_billing"',
    ],
    ['a key outside a section', `region = us-east-1\n${GOOD}`, 'line 1: region is outside any section'],
    [
      'a garbage line',
      GOOD.replace('[target_db]', '[target_db]\nsubnet-0a1b2c3d'),
      'line 5: "subnet-0a1b2c3d" is neither',
    ],
    [
      'a duplicate key',
      `${GOOD}instance_type = db.r5.large\n`,
      'line 7: [target_db] instance_type is given twice (first on line 6)',
    ],
  ])('rejects %s, naming it', (_case, text, problem) => {
    expect(problemsOf(() => iniToArtifact(text))).toContainEqual(expect.stringContaining(problem));
  });

  it('checks every subnet id, not only the first', () => {
    const text = GOOD.replace(
      'subnet-0a1b2c3d, subnet-1b2c3d4e',
      'subnet-0a1b2c3d, bad-1, subnet-1b2c3d4e, bad-2',
    );
    expect(problemsOf(() => iniToArtifact(text))).toEqual([
      expect.stringContaining('[target_db] subnet_ids: "bad-1" (item 2)'),
      expect.stringContaining('[target_db] subnet_ids: "bad-2" (item 4)'),
    ]);
  });

  it('rejects a bad owner or TTL option, naming the option', () => {
    expect(problemsOf(() => iniToArtifact(GOOD, { ttl: 'forever', owner: 'ana!' }))).toEqual([
      expect.stringContaining('ttl (--ttl): "forever" is not valid'),
      expect.stringContaining('owner (--owner): "ana!" is not valid'),
    ]);
  });

  it('reports every problem of a file at once, syntax first', () => {
    const text =
      'stray = 1\n[source_db]\nsource_db_cluster_id = prod\n[target_db]\ninstance_size = db.r5.large\n???\n';
    expect(problemsOf(() => iniToArtifact(text))).toEqual([
      expect.stringContaining('line 1: stray is outside any section'),
      expect.stringContaining('line 6: "???" is neither'),
      expect.stringContaining('[target_db] instance_size: unknown key'),
      expect.stringContaining('[target_db] instance_type: missing'),
    ]);
  });
});
