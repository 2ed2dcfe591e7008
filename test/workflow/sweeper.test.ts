import { SFNServiceException } from '@aws-sdk/client-sfn';
import { describe, expect, it, vi } from 'vitest';
import { cloneTags } from '../../functions/shared/tags.js';
import type { SweepReport } from '../../functions/sweeper/handler.js';
import { type FakeState, rdsArn, SOURCE, SUBNETS } from '../support/fake-aws/index.js';
import { runStateMachine, STATE_MACHINE_ARNS } from '../support/workflow.js';
import { artifact, useFakeAws } from './env.js';

const CLONE = 'dbaf-legacy-prod-alice';
const cloneExecution = (name: string) =>
  `${STATE_MACHINE_ARNS.clone.replace(':stateMachine:', ':execution:')}:${name}`;
const MUTATING = /^(Delete|Modify|Create|Restore|Authorize|Update)/;

/** Managed tags of a clone that `maker` was making. */
function tagsOf(cloneId: string, maker: string) {
  return cloneTags({
    cloneId,
    source: SOURCE.id,
    owner: 'ana',
    expiresAt: '2026-11-21T18:00:00Z',
    executionArn: maker,
    createdAt: '2026-11-20T10:00:00Z',
  });
}

/** What a clone left behind when its cluster went away: its security group and subnet group. */
function leftNetwork(state: FakeState, cloneId: string, maker: string): string {
  const id = state.id('sg');
  state.securityGroups.set(id, {
    id,
    name: cloneId,
    vpcId: SOURCE.vpcId,
    tags: tagsOf(cloneId, maker),
    ingress: [],
  });
  state.subnetGroups.set(cloneId, {
    name: cloneId,
    arn: rdsArn('subgrp', cloneId),
    vpcId: SOURCE.vpcId,
    subnetIds: SUBNETS.filter((s) => s.VpcId === SOURCE.vpcId).map((s) => s.SubnetId),
    tags: tagsOf(cloneId, maker),
  });
  return id;
}

/** Runs, with the workflow harness, every teardown the sweeper started and marks it finished. */
async function runStartedTeardowns(state: FakeState): Promise<string[]> {
  const outcomes: string[] = [];
  for (const execution of state.executions.values()) {
    if (execution.stateMachineArn !== STATE_MACHINE_ARNS.teardown || execution.status !== 'RUNNING') continue;
    const result = await runStateMachine('teardown', JSON.parse(execution.input), {
      executionName: execution.name,
    });
    execution.status = result.status;
    outcomes.push(`${execution.name}: ${result.status}`);
  }
  return outcomes;
}

describe('the sweeper state machine', () => {
  const fake = useFakeAws();

  it('has an expired clone with a lost schedule and orphans deleted, and nothing else touched', async () => {
    expect((await runStateMachine('clone', artifact())).status).toBe('SUCCEEDED');
    const { state } = fake.aws;
    state.schedules.delete(`dbaf/${CLONE}`);
    const clone = state.clusters.get(CLONE);
    if (!clone) throw new Error('the clone was not made');
    clone.tags = clone.tags.map((t) =>
      t.Key === 'dbaf:expires-at' ? { ...t, Value: '2020-01-01T00:00:00Z' } : t,
    );
    const source = state.clusters.get(SOURCE.id);
    if (!source) throw new Error('seeded source missing');
    state.clusters.set('dbaf-handmade', {
      ...source,
      id: 'dbaf-handmade',
      arn: rdsArn('cluster', 'dbaf-handmade'),
      tags: [],
    });
    leftNetwork(state, 'dbaf-orphan', cloneExecution('long-gone'));
    const inProgress = cloneExecution('dbaf-in-progress');
    state.executions.set(inProgress, {
      arn: inProgress,
      name: 'dbaf-in-progress',
      stateMachineArn: STATE_MACHINE_ARNS.clone,
      input: '{}',
      status: 'RUNNING',
    });
    const inProgressGroup = leftNetwork(state, 'dbaf-in-progress', inProgress);

    const callsBefore = fake.aws.calls.length;

    const result = await runStateMachine('sweeper', {});

    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(result.visited).toEqual([
      'ValidateRequest',
      'ApplyDefaults',
      'NormalizeRequest',
      'Sweep',
      'Swept',
    ]);
    const report = result.output as SweepReport;
    expect(report).toMatchObject({
      dryRun: false,
      expired: [{ cloneId: CLONE, expiresAt: '2020-01-01T00:00:00Z', scheduleMissing: true }],
      orphans: [{ cloneId: 'dbaf-orphan' }],
      skipped: [{ cloneId: 'dbaf-in-progress', reason: expect.stringContaining('being made') }],
    });
    expect(report.teardownsStarted).toHaveLength(2);
    expect(state.events.map((e) => e.DetailType)).toContain('Sweep Completed');
    // The sweeper itself deletes nothing: the teardowns it started do.
    expect(fake.aws.calls.slice(callsBefore).filter((name) => MUTATING.test(name))).toEqual([]);

    expect(await runStartedTeardowns(state)).toEqual([
      expect.stringMatching(new RegExp(`^${CLONE}--sweep-\\w+: SUCCEEDED$`)),
      expect.stringMatching(/^dbaf-orphan--sweep-\w+: SUCCEEDED$/),
    ]);
    expect(state.leftovers().sort()).toEqual(
      ['cluster dbaf-handmade', `security group ${inProgressGroup}`, 'subnet group dbaf-in-progress'].sort(),
    );
    expect(state.clusters.get(SOURCE.id)?.status).toBe('available');

    const again = await runStateMachine('sweeper', {});
    expect(again.output).toMatchObject({ expired: [], orphans: [], teardownsStarted: [] });
  });

  it('starts one teardown per clone when two sweeps run before the teardowns end', async () => {
    leftNetwork(fake.aws.state, 'dbaf-orphan', cloneExecution('long-gone'));

    const first = await runStateMachine('sweeper', {});
    const second = await runStateMachine('sweeper', {});

    expect((first.output as SweepReport).teardownsStarted).toHaveLength(1);
    expect(second.output).toMatchObject({
      orphans: [{ cloneId: 'dbaf-orphan' }],
      teardownsStarted: [],
      skipped: [{ cloneId: 'dbaf-orphan', reason: expect.stringContaining('already running') }],
    });
    expect(fake.aws.count('StartExecutionCommand')).toBe(1);
  });

  it('in a dry run reports the orphans and starts nothing', async () => {
    leftNetwork(fake.aws.state, 'dbaf-orphan', cloneExecution('long-gone'));

    const result = await runStateMachine('sweeper', { dryRun: true });

    expect(result.output).toMatchObject({
      dryRun: true,
      orphans: [{ cloneId: 'dbaf-orphan' }],
      teardownsStarted: [],
    });
    expect(fake.aws.count('StartExecutionCommand')).toBe(0);
    expect(fake.aws.state.events).toEqual([]);
  });

  it('retries a throttled call and then sweeps', async () => {
    leftNetwork(fake.aws.state, 'dbaf-orphan', cloneExecution('long-gone'));
    fake.aws.failNext(
      'ListExecutionsCommand',
      () =>
        new SFNServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: {},
          message: 'slow down',
        }),
    );

    const result = await runStateMachine('sweeper', {});

    expect(result.status).toBe('SUCCEEDED');
    expect(result.visited.filter((state) => state === 'Sweep')).toHaveLength(1);
    expect(fake.aws.count('ListExecutionsCommand')).toBe(2);
    expect((result.output as SweepReport).teardownsStarted).toHaveLength(1);
  });

  it('ends in SweepFailed with the error when the deployment is misconfigured', async () => {
    vi.stubEnv('CLONE_STATE_MACHINE_ARN', '');

    const result = await runStateMachine('sweeper', {});

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ConfigurationError');
    expect(result.visited.at(-1)).toBe('SweepFailed');
    expect(result.cause).toContain('CLONE_STATE_MACHINE_ARN');
  });

  it('refuses an input whose dryRun is not true or false, before any AWS call', async () => {
    const result = await runStateMachine('sweeper', { dryRun: 'yes' });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidRequest');
    expect(fake.aws.calls).toEqual([]);
  });
});
