import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';
import { buildApp } from '../../../infra/lib/app.js';
import type { CloneFactoryStack } from '../../../infra/lib/stack.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The context of cdk.json (feature flags), so in-process apps synthesize as `npx cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** The settings most tests deploy with. */
export const TEST_CONTEXT = {
  allowedSources: 'legacy-prod,arn:aws:rds:us-east-1:444455556666:cluster:shared-orders',
  defaultAllowedCidrs: '10.20.0.0/16',
  sourceKmsKeyArns: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
} as const;

/** One synthesized app: the stack, its template, and where it was written. */
export interface Synthesized {
  readonly app: App;
  readonly stack: CloneFactoryStack;
  readonly template: Template;
  /** The template as plain JSON. */
  readonly json: TemplateJson;
  readonly outdir: string;
}

/** The parts of a CloudFormation template the tests read. */
export interface TemplateJson {
  readonly Resources: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

/** One resource of a template. */
export interface CfnResourceJson {
  readonly Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, unknown>;
}

/**
 * Synthesizes the app of `infra/bin` in this process, as `npx cdk synth -c ...` would, cdk-nag included.
 *
 * Bundling the eight handlers takes seconds, so it is skipped unless `bundle` is set: the template
 * is the same apart from the asset hashes.
 */
export function synthesize(context: Record<string, unknown> = TEST_CONTEXT, bundle = false): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'dbaf-cdk-'));
  // Called while a test file is collected: the file's root suite removes the output when it ends.
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const { app, stack } = buildApp({
    outdir,
    context: { ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': bundle ? ['**'] : [] },
  });
  app.synth();
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as TemplateJson, outdir };
}

/** The logical id CloudFormation knows a construct by (its `node.defaultChild`, or itself). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  const stack = element.stack;
  return stack.resolve(stack.getLogicalId(element)) as string;
}

/** The resources of one type, by logical id. */
export function resourcesOfType(json: TemplateJson, type: string): [string, CfnResourceJson][] {
  return Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
}
