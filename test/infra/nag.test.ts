import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/lib/app.js';
import { acknowledgeWildcards, WILDCARD_REASONS } from '../../infra/lib/nag.js';
import { allStatements } from './support/policies.js';
import { cdkJsonContext, synthesize, TEST_CONTEXT } from './support/synth.js';

/** Every acknowledgement in the tree: where, which finding, and the reason written for it. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

const { app, json, outdir } = synthesize();

describe('cdk-nag AwsSolutionsChecks', () => {
  it('reports no unacknowledged finding on the app (synthesis would fail)', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { summary?: { status?: string }; violations?: unknown[] }[];
    };
    const violations = report.pluginReports.flatMap((plugin) => plugin.violations ?? []);
    expect(violations).toEqual([]);
  });

  it('fails synthesis on a new unexplained wildcard, so the check is real', () => {
    const { app: sabotaged, stack } = buildApp({
      context: { ...cdkJsonContext(), ...TEST_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    });
    stack.factory.functions.teardown.addToRolePolicy(
      new PolicyStatement({ actions: ['rds:DeleteDBCluster'], resources: ['arn:aws:rds:*:*:cluster:*'] }),
    );
    expect(() => sabotaged.synth()).toThrow(/AwsSolutions-IAM5\[Resource::arn:aws:rds:\*:\*:cluster:\*\]/);
  });

  it('has a written reason for every acknowledgement', () => {
    const found = acknowledgements(app);
    expect(found.length).toBeGreaterThan(20);
    for (const { path, id, reason } of found) {
      expect(reason.length, `${path} ${id}`).toBeGreaterThan(60);
    }
    const rules = new Set(found.map(({ id }) => id.replace(/^\w+::/, '').replace(/\[.*$/, '')));
    expect([...rules].sort()).toEqual(['AwsSolutions-IAM5', 'AwsSolutions-L1']);
  });

  it('keeps no reason for a statement that no longer exists', () => {
    const sids = new Set(allStatements(json).map(({ statement }) => statement.Sid));
    expect(Object.keys(WILDCARD_REASONS).filter((sid) => !sids.has(sid))).toEqual([]);
  });

  it('refuses to acknowledge a wildcard whose statement has no reason', () => {
    const stack = new Stack();
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const statement = new PolicyStatement({
      sid: 'DeleteEverything',
      actions: ['rds:DeleteDBCluster'],
      resources: ['arn:aws:rds:us-east-1:111122223333:cluster:*'],
    });
    expect(() => acknowledgeWildcards(role, [statement])).toThrow(/DeleteEverything .* no reason/);
  });
});
