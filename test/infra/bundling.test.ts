import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../bench/bundle-measure.js';
import { HANDLER_NAMES, type HandlerName } from '../../state-machines/catalog.js';
import { asList, rolePolicies } from './support/policies.js';
import { logicalId, synthesize } from './support/synth.js';

const { json, stack } = synthesize();
const { factory } = stack;

const benchDir = mkdtempSync(join(tmpdir(), 'dbaf-bundles-'));
afterAll(() => rmSync(benchDir, { recursive: true, force: true }));

/** The SDK client package (`@aws-sdk/client-<name>`) of each IAM service prefix a handler may call. */
const CLIENT_OF_SERVICE: Readonly<Record<string, string>> = {
  rds: 'rds',
  ec2: 'ec2',
  secretsmanager: 'secrets-manager',
  scheduler: 'scheduler',
  events: 'eventbridge',
  states: 'sfn',
};

/** The SDK clients of the services a handler's role allows calls to. */
function clientsAllowed(name: HandlerName): string[] {
  const roleId = logicalId(factory.functions[name].role as never);
  const services = rolePolicies(json, roleId).flatMap(({ policy }) =>
    policy.Statement.flatMap((statement) => asList(statement.Action).map((action) => action.split(':')[0])),
  );
  return [...new Set(services.flatMap((service) => CLIENT_OF_SERVICE[service ?? ''] ?? []))].sort();
}

// Built as the CDK app builds them (infra/lib/bundling.ts); a few seconds each.
describe.each(HANDLER_NAMES)('the %s bundle', (name) => {
  it('holds the SDK clients of the services its role may call, and no other', () => {
    const bundle = buildBundle(name, join(benchDir, name));
    expect(bundle.clients.map(([service]) => service).sort()).toEqual(clientsAllowed(name));
  }, 60_000);
});
