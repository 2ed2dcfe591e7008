import { describe, expect, it } from 'vitest';
import { type ArtifactDocument, parseArtifact } from '../../../functions/shared/artifact.js';
import { InvalidArtifact } from '../../../functions/shared/errors.js';

const minimal = {
  version: 1,
  source: { clusterIdentifier: 'legacy-prod' },
  target: { instanceClass: 'db.r6g.large' },
};

const complete: ArtifactDocument = {
  $schema: '../docs/artifact.schema.json',
  version: 1,
  source: {
    clusterIdentifier: 'arn:aws:rds:us-east-1:123456789012:cluster:legacy-prod',
    restore: { type: 'point-in-time', restoreTime: '2026-11-20T06:00:00Z' },
  },
  target: {
    cloneName: 'orders-debug',
    instanceClass: 'db.r6g.xlarge',
    instanceCount: 3,
    subnets: ['subnet-0a1b2c3d', 'subnet-1b2c3d4e'],
    securityGroupIds: ['sg-0a1b2c3d'],
    allowedCidrs: ['10.0.0.0/16', '2001:db8::/32'],
    port: 5433,
    dbClusterParameterGroupName: 'orders-cluster-pg16',
    dbParameterGroupName: 'orders.instance-pg16',
    tags: { team: 'orders', 'cost-center': '42' },
  },
  lifecycle: { ttl: '1d12h', owner: 'ana@example.com', finalSnapshot: true },
};

/** The problems `input` is rejected with; fails the test when it is accepted. */
function problemsOf(input: unknown): readonly string[] {
  try {
    parseArtifact(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArtifact);
    return (error as InvalidArtifact).problems;
  }
  throw new Error('the artifact was accepted');
}

function withTarget(target: Record<string, unknown>): unknown {
  return { ...minimal, target: { ...minimal.target, ...target } };
}

describe('parseArtifact', () => {
  it('accepts a complete artifact and keeps every field', () => {
    expect(parseArtifact(complete)).toEqual(complete);
  });

  it('applies the defaults to a minimal artifact', () => {
    expect(parseArtifact(minimal)).toEqual({
      version: 1,
      source: { clusterIdentifier: 'legacy-prod', restore: { type: 'latest' } },
      target: {
        instanceClass: 'db.r6g.large',
        instanceCount: 1,
        subnets: 'source',
        securityGroupIds: [],
        allowedCidrs: [],
        tags: {},
      },
      lifecycle: { finalSnapshot: false },
    });
  });

  it.each([
    ['a snapshot restore', { type: 'snapshot', snapshotIdentifier: 'rds:legacy-prod-2026-11-20-06-00' }],
    [
      'a shared snapshot ARN',
      { type: 'snapshot', snapshotIdentifier: 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:nightly' },
    ],
    ['the latest state', { type: 'latest' }],
  ])('accepts %s', (_case, restore) => {
    expect(parseArtifact({ ...minimal, source: { ...minimal.source, restore } }).source.restore).toEqual(
      restore,
    );
  });

  it.each([
    ['a wrong version', { ...minimal, version: 2 }, 'version', '2'],
    ['a missing source', { version: 1, target: minimal.target }, 'source', 'missing'],
    [
      'a malformed cluster ARN',
      { ...minimal, source: { clusterIdentifier: 'arn:aws:rds:us-east-1:12345:cluster:prod' } },
      'source.clusterIdentifier',
      '"arn:aws:rds:us-east-1:12345:cluster:prod"',
    ],
    [
      'a clone name with "--"',
      withTarget({ cloneName: 'orders--debug' }),
      'target.cloneName',
      '"orders--debug"',
    ],
    ['a clone name ending in "-"', withTarget({ cloneName: 'orders-' }), 'target.cloneName', '"orders-"'],
    [
      'a clone name of 51 characters',
      withTarget({ cloneName: `a${'b'.repeat(50)}` }),
      'target.cloneName',
      `"a${'b'.repeat(50)}"`,
    ],
    [
      'a clone name starting with a digit',
      withTarget({ cloneName: '1orders' }),
      'target.cloneName',
      '"1orders"',
    ],
    [
      'a malformed instance class',
      withTarget({ instanceClass: 'r6g.large' }),
      'target.instanceClass',
      '"r6g.large"',
    ],
    ['instanceCount 0', withTarget({ instanceCount: 0 }), 'target.instanceCount', '0'],
    ['instanceCount 16', withTarget({ instanceCount: 16 }), 'target.instanceCount', '16'],
    ['instanceCount 1.5', withTarget({ instanceCount: 1.5 }), 'target.instanceCount', '1.5'],
    [
      'a single subnet',
      withTarget({ subnets: ['subnet-0a1b2c3d'] }),
      'target.subnets',
      '["subnet-0a1b2c3d"]',
    ],
    [
      'a bad second subnet id',
      withTarget({ subnets: ['subnet-0a1b2c3d', 'subnet-zz'] }),
      'target.subnets[1]',
      '"subnet-zz"',
    ],
    [
      'a repeated subnet',
      withTarget({ subnets: ['subnet-0a1b2c3d', 'subnet-0a1b2c3d'] }),
      'target.subnets',
      'without repeats',
    ],
    [
      'a bad security group id',
      withTarget({ securityGroupIds: ['sg-xyz'] }),
      'target.securityGroupIds[0]',
      '"sg-xyz"',
    ],
    [
      'a CIDR open to everyone',
      withTarget({ allowedCidrs: ['0.0.0.0/0'] }),
      'target.allowedCidrs[0]',
      '"0.0.0.0/0"',
    ],
    [
      'a malformed CIDR',
      withTarget({ allowedCidrs: ['10.0.0.0/16', '10.0.0/33'] }),
      'target.allowedCidrs[1]',
      '"10.0.0/33"',
    ],
    ['port 80', withTarget({ port: 80 }), 'target.port', '80'],
    [
      'a tag key under dbaf:',
      withTarget({ tags: { 'dbaf:owner': 'me' } }),
      'target.tags.dbaf:owner',
      '"dbaf:owner" is not valid; expected tag keys not starting with "dbaf:"',
    ],
    [
      'a tag key under aws:',
      withTarget({ tags: { 'aws:cloudformation': 'x' } }),
      'target.tags.aws:cloudformation',
      '"aws:cloudformation" is not valid; expected tag keys not starting with "aws:"',
    ],
    ['a malformed ttl', { ...minimal, lifecycle: { ttl: '8 hours' } }, 'lifecycle.ttl', '"8 hours"'],
    ['an unknown top-level field', { ...minimal, name: 'x' }, 'name', 'unknown field'],
    [
      'an unknown source field',
      { ...minimal, source: { ...minimal.source, engine: 'postgres' } },
      'source.engine',
      'unknown field',
    ],
    [
      'an unknown target field',
      withTarget({ instanceType: 'db.r5.large' }),
      'target.instanceType',
      'unknown field',
    ],
    [
      'an unknown lifecycle field',
      { ...minimal, lifecycle: { expires: '8h' } },
      'lifecycle.expires',
      'unknown field',
    ],
    [
      'a point-in-time restore without restoreTime',
      { ...minimal, source: { ...minimal.source, restore: { type: 'point-in-time' } } },
      'source.restore.restoreTime',
      'missing',
    ],
    [
      'a snapshot restore without an id',
      { ...minimal, source: { ...minimal.source, restore: { type: 'snapshot' } } },
      'source.restore.snapshotIdentifier',
      'missing',
    ],
  ])('rejects %s, naming the field and the value', (_case, input, field, value) => {
    const problems = problemsOf(input);
    expect(problems).toContainEqual(
      expect.stringMatching(new RegExp(`^${regexText(field)}: .*${regexText(value)}`)),
    );
  });

  it('reports every problem of a document at once', () => {
    const problems = problemsOf({
      version: 1,
      source: { clusterIdentifier: 'legacy-prod' },
      target: { instanceClass: 'large', instanceCount: 0, subnets: ['subnet-0a1b2c3d', 'nope', 'nada'] },
      lifecycle: { ttl: 'forever' },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^target\.instanceClass: "large" is not valid; expected an instance class/),
      expect.stringMatching(/^target\.instanceCount: 0 is not valid; expected a whole number from 1 to 15/),
      expect.stringMatching(/^target\.subnets\[1\]: "nope" is not valid; expected subnet ids/),
      expect.stringMatching(/^target\.subnets\[2\]: "nada" is not valid; expected subnet ids/),
      expect.stringMatching(/^lifecycle\.ttl: "forever" is not valid; expected a duration/),
    ]);
  });

  it('puts the count and every problem in the error message', () => {
    expect(() => parseArtifact({ ...minimal, version: 0, name: 'x' })).toThrow(
      /The artifact is invalid \(2 problems\):\n- version: 0 is not valid.*\n- name: unknown field/,
    );
  });
});

function regexText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
