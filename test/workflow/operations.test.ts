import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TAG, tagValue } from '../../functions/shared/tags.js';
import { causeMessage, runStateMachine } from '../support/workflow.js';
import { artifact, useFakeAws } from './env.js';

const CLONE = 'dbaf-legacy-prod-alice';
const MUTATING = /^(Delete|Modify|Create|Update|Put|Add|Tag)/;

/** The deployment's operations, started directly as `aws stepfunctions start-execution` would: no CLI. */
describe('the operations state machine', () => {
  const fake = useFakeAws();
  const expiresAt = () => tagValue(fake.aws.state.clusters.get(CLONE)?.tags, TAG.expiresAt);
  const ttlSchedule = () => fake.aws.state.schedules.get(`dbaf/${CLONE}`)?.expression;

  beforeEach(async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-21T10:00:00Z'), toFake: ['Date'] });
    const made = await runStateMachine('clone', artifact());
    expect(made.status).toBe('SUCCEEDED');
  });
  afterEach(() => vi.useRealTimers());

  it('extends a clone within the maximum TTL: the TTL schedule and the expiry tag move', async () => {
    const result = await runStateMachine('operations', { operation: 'extend', cloneId: CLONE, by: '1d' });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      cloneId: CLONE,
      previousExpiresAt: '2026-11-21T18:00:00Z',
      expiresAt: '2026-11-22T18:00:00Z',
    });
    expect(expiresAt()).toBe('2026-11-22T18:00:00Z');
    expect(ttlSchedule()).toBe('at(2026-11-22T18:00:00)');
  });

  it('refuses an extension beyond the maximum TTL, changing nothing, whoever starts it', async () => {
    const before = fake.aws.calls.length;

    const result = await runStateMachine('operations', { operation: 'extend', cloneId: CLONE, by: '8d' });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ExpiryLimitExceeded');
    expect(causeMessage(result)).toBe(
      `Clone ${CLONE} cannot be extended by 8d: it may expire at most this deployment's maximum TTL, 7d, from now. It can be extended by 6d16h at most (to 2026-11-28T10:00:00Z).`,
    );
    expect(fake.aws.calls.slice(before).filter((name) => MUTATING.test(name))).toEqual([]);
    expect(expiresAt()).toBe('2026-11-21T18:00:00Z');
    expect(ttlSchedule()).toBe('at(2026-11-21T18:00:00)');
  });

  it.each([
    [
      { operation: 'extend', cloneId: 'dbaf-nobody', by: '1h' },
      'CloneNotFound',
      /No clone named "dbaf-nobody"/,
    ],
    [
      { operation: 'extend', cloneId: CLONE, by: 'a week' },
      'InvalidRequest',
      /by: "a week" is not a duration/,
    ],
    [{ operation: 'grow', cloneId: CLONE }, 'InvalidRequest', /operation: "grow" is not valid/],
  ])('refuses %j with %s', async (input, error, message) => {
    const result = await runStateMachine('operations', input);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(error);
    expect(causeMessage(result)).toMatch(message);
  });

  it('schedules and unschedules a refresh of an allowed source, and refuses one of another source', async () => {
    const scheduled = await runStateMachine('operations', {
      operation: 'schedule-refresh',
      artifact: artifact(),
      cron: '0 6 ? * MON-FRI *',
      timezone: 'Europe/Paris',
    });
    expect(scheduled.status).toBe('SUCCEEDED');
    expect(scheduled.output).toMatchObject({
      status: 'CREATED',
      schedule: `${CLONE}.refresh`,
      cloneExists: true,
    });
    expect(fake.aws.state.schedules.get(`dbaf/${CLONE}.refresh`)?.expression).toBe('cron(0 6 ? * MON-FRI *)');

    const elsewhere = await runStateMachine('operations', {
      operation: 'schedule-refresh',
      artifact: artifact({ source: { clusterIdentifier: 'orders-prod' } }),
      cron: '0 6 ? * MON-FRI *',
    });
    expect(elsewhere.error).toBe('InvalidRequest');
    expect(causeMessage(elsewhere)).toContain('"orders-prod" is not one of allowedSources');

    const removed = await runStateMachine('operations', { operation: 'unschedule-refresh', cloneId: CLONE });
    expect(removed.output).toMatchObject({ status: 'DELETED', cloneExists: true });
    expect(fake.aws.state.schedules.has(`dbaf/${CLONE}.refresh`)).toBe(false);
  });
});
