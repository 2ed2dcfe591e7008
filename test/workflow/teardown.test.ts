import { describe, expect, it } from 'vitest';
import { SOURCE } from '../support/fake-aws/index.js';
import { runStateMachine } from '../support/workflow.js';
import { artifact, useFakeAws } from './env.js';

const MUTATING = /^(Delete|Modify|Create|Restore|Authorize|Put|Update)/;

describe('tearing a clone down with the teardown state machine', () => {
  const fake = useFakeAws();

  it('deletes the clone and everything created for it, as the TTL schedule asks', async () => {
    expect((await runStateMachine('clone', artifact({ target: { instanceCount: 2 } }))).status).toBe(
      'SUCCEEDED',
    );
    const input = JSON.parse(
      fake.aws.state.schedules.get('dbaf/dbaf-legacy-prod-alice')?.target.Input ?? '{}',
    );

    const result = await runStateMachine('teardown', input);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ cloneId: 'dbaf-legacy-prod-alice', reason: 'ttl-expired' });
    expect(fake.aws.state.leftovers()).toEqual([]);
    expect(fake.aws.state.clusters.get(SOURCE.id)?.status).toBe('available');
    expect(fake.aws.state.events.map((e) => e.DetailType)).toContain('Clone Deleted');
  });

  it('succeeds when everything is already gone, and when run twice', async () => {
    expect((await runStateMachine('clone', artifact())).status).toBe('SUCCEEDED');
    expect((await runStateMachine('teardown', { cloneId: 'dbaf-legacy-prod-alice' })).status).toBe(
      'SUCCEEDED',
    );
    const again = await runStateMachine('teardown', { cloneId: 'dbaf-legacy-prod-alice' });
    expect(again.status).toBe('SUCCEEDED');
    expect((await runStateMachine('teardown', { cloneId: 'dbaf-never-existed' })).status).toBe('SUCCEEDED');
  });

  it.each([
    ['the source cluster by name', { cloneId: SOURCE.id }],
    ['the source cluster by ARN', { cloneId: 'arn:aws:rds:us-east-1:123456789012:cluster:legacy-prod' }],
  ])('refuses %s and deletes nothing', async (_what, input) => {
    const result = await runStateMachine('teardown', input);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RefusedTarget');
    expect(fake.aws.calls.filter((name) => MUTATING.test(name))).toEqual([]);
    expect(fake.aws.state.clusters.get(SOURCE.id)?.status).toBe('available');
  });

  it('refuses a cluster with the clone prefix that it did not create', async () => {
    const source = fake.aws.state.clusters.get(SOURCE.id);
    if (!source) throw new Error('seeded source missing');
    fake.aws.state.clusters.set('dbaf-handmade', { ...source, id: 'dbaf-handmade', tags: [] });

    const result = await runStateMachine('teardown', { cloneId: 'dbaf-handmade' });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RefusedTarget');
    expect(fake.aws.state.clusters.has('dbaf-handmade')).toBe(true);
    expect(fake.aws.calls.filter((name) => MUTATING.test(name))).toEqual([]);
  });

  it('fails with a message saying what to give when cloneId is missing', async () => {
    const result = await runStateMachine('teardown', { clone: 'dbaf-x' });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidRequest');
    expect(result.cause).toContain('"cloneId"');
    expect(fake.aws.calls).toEqual([]);
  });
});
