import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { RETRYABLE_ERRORS } from '../../functions/shared/errors.js';
import { loadDefinition } from '../support/workflow.js';

type State = {
  Type: string;
  Resource?: string;
  Choices?: unknown[];
  Default?: string;
  Retry?: { ErrorEquals: string[]; JitterStrategy?: string; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Next?: string;
  End?: boolean;
};

const MACHINES = ['clone', 'teardown', 'sweeper', 'refresh'] as const;

describe.each(MACHINES)('the %s state machine', (name) => {
  const raw = readFileSync(new URL(`../../state-machines/${name}.asl.json`, import.meta.url), 'utf8');
  const definition = loadDefinition(name) as unknown as { States: Record<string, State>; StartAt: string };
  const states = Object.entries(definition.States);

  it('is valid ASL, as written and once substituted', () => {
    for (const candidate of [JSON.parse(raw), definition]) {
      const result = aslValidator(candidate);
      expect(result.errorsText()).toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  it('takes every deployment value from a ${placeholder}, with no account or region written in', () => {
    expect(raw).not.toMatch(/\d{12}/);
    expect(raw).not.toMatch(/us-east-1|eu-west-1/);
    expect(raw).not.toMatch(/arn:aws:lambda/);
  });

  it('uses only JSONPath features the local interpreter runs (no JSONata, no Assign, no ResultPath "$")', () => {
    expect(raw).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"/);
    expect(raw).not.toMatch(/"Assign"/);
    expect(raw).not.toMatch(/"ResultPath"\s*:\s*"\$"/);
  });

  it('gives every Choice a Default', () => {
    const choices = states.filter(([, s]) => s.Type === 'Choice');
    expect(choices.length).toBeGreaterThan(0);
    for (const [stateName, state] of choices) expect(state.Default, stateName).toBeDefined();
  });

  it('bounds every poll loop: each Choice that loops back has an attempt limit', () => {
    for (const [stateName, state] of states.filter(([, s]) => s.Type === 'Choice' && s.Choices)) {
      const text = JSON.stringify(state.Choices);
      if (state.Default && definition.States[state.Default]?.Type === 'Wait') {
        expect(text, stateName).toMatch(/"Variable":"\$\.status\.attempt","NumericGreaterThanEquals":\d+/);
      }
    }
  });

  it('retries transient failures on every Lambda task with jittered, bounded backoff', () => {
    const lambdaTasks = states.filter(([, s]) => s.Type === 'Task' && s.Resource?.includes(':lambda:'));
    expect(lambdaTasks.length).toBeGreaterThan(0);
    for (const [stateName, state] of lambdaTasks) {
      const transient = state.Retry?.find((r) => r.ErrorEquals.includes('AwsTransient'));
      expect(transient, stateName).toBeDefined();
      expect(transient?.JitterStrategy).toBe('FULL');
      expect(transient?.MaxAttempts).toBeLessThanOrEqual(10);
      for (const retrier of state.Retry ?? []) {
        expect(retrier.ErrorEquals, `${stateName} must not retry every error`).not.toContain('States.ALL');
        for (const error of retrier.ErrorEquals.filter((e) => !e.startsWith('Lambda.'))) {
          expect(RETRYABLE_ERRORS as readonly string[]).toContain(error);
        }
      }
    }
  });

  it('catches failures of every task so that no run ends without a Fail state and a cause', () => {
    for (const [stateName, state] of states.filter(([, s]) => s.Type === 'Task')) {
      expect(state.Catch?.length, stateName).toBeGreaterThan(0);
    }
    const fails = states.filter(([, s]) => s.Type === 'Fail');
    expect(fails.length).toBeGreaterThan(0);
  });
});

describe('the clone state machine', () => {
  const definition = loadDefinition('clone') as unknown as { States: Record<string, State> };

  it('rolls back every failure after inspection and ends in a Fail state afterwards', () => {
    for (const [stateName, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task' || stateName === 'InspectSource' || stateName === 'Rollback') continue;
      expect(state.Catch?.[0]?.Next, stateName).toBe('Rollback');
    }
    expect(definition.States.InspectSource?.Catch?.[0]?.Next).toBe('NotStarted');
    expect(definition.States.Rollback?.Next).toBe('CloneFailed');
    expect(definition.States.CloneFailed?.Type).toBe('Fail');
  });
});
