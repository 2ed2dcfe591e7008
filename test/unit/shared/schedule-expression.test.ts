import { describe, expect, it } from 'vitest';
import {
  type Cron,
  nextCron,
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../../../functions/shared/schedule-expression.js';
import { atInstant, instantOf, isTimeZone } from '../../../functions/shared/time-zones.js';

function cron(expression: string): Cron {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind !== 'cron') throw new Error(`${expression} is not a cron expression`);
  return parsed.cron;
}

/** The next firing of `expression` after the ISO time `after`, in `zone`, as an ISO time. */
function next(expression: string, after: string, zone = 'UTC'): string | undefined {
  const instant = nextCron(cron(expression), Date.parse(after), zone);
  return instant === undefined ? undefined : new Date(instant).toISOString();
}

describe('schedule expressions', () => {
  it('parses at(), rate() and cron()', () => {
    expect(parseScheduleExpression('at(2030-02-28T23:59:00)')).toEqual({
      kind: 'at',
      local: { year: 2030, month: 2, day: 28, hour: 23, minute: 59, second: 0 },
    });
    expect(parseScheduleExpression('rate(1 minute)')).toEqual({
      kind: 'rate',
      everyMs: 60_000,
      value: 1,
      unit: 'minute',
    });
    expect(parseScheduleExpression('rate(5 minutes)')).toEqual({
      kind: 'rate',
      everyMs: 300_000,
      value: 5,
      unit: 'minutes',
    });
    expect(parseScheduleExpression('rate(2 days)')).toEqual({
      kind: 'rate',
      everyMs: 172_800_000,
      value: 2,
      unit: 'days',
    });
    expect(parseScheduleExpression('cron(0/15 8-17 ? * MON-FRI *)').kind).toBe('cron');
  });

  it.each([
    ['every day', 'use at(yyyy-mm-ddThh:mm:ss)'],
    ['at(2030-02-30T00:00:00)', 'not a valid date'],
    ['at(2030-02-01 00:00:00)', 'use at('],
    ['at(2030-02-01T00:00:00Z)', 'use at('],
    ['rate(0 minutes)', 'positive whole number'],
    ['rate(5 weeks)', 'minute(s), hour(s) or day(s)'],
    ['rate(5  minutes)', 'use at('],
    ['cron(0 12 * * ?)', 'six fields'],
    ['cron(0 12 * * * *)', 'either the day-of-month or the day-of-week'],
    ['cron(0 12 ? * ? *)', 'either the day-of-month or the day-of-week'],
    ['cron(60 12 * * ? *)', "'60' is not a value from 0 to 59"],
    ['cron(0 22-2 * * ? *)', 'runs backwards'],
    ['cron(0 12 * FOO ? *)', "'FOO' is not a value from 1 to 12"],
    ['cron(0 12 ? * 6#6 *)', 'runs from 1 to 5'],
    ['cron(0 12 L,15 * ? *)', 'stand alone'],
    ['cron(0 12 * * ? 2300)', 'from 1970 to 2199'],
    ['cron(0 12 ? * 1/2 *)', 'the day-of-week field takes no increment'],
    ['rate(1 hour) ', 'use at('],
    [`cron(0 12 ? * MON${',MON'.repeat(70)} *)`, 'at most 256 characters'],
  ])('refuses %s with a ScheduleExpressionError saying %s', (expression, reason) => {
    let error: unknown;
    try {
      parseScheduleExpression(expression);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScheduleExpressionError);
    expect(error).toMatchObject({ name: 'ScheduleExpressionError', expression });
    expect((error as Error).message).toContain(`Invalid Schedule Expression ${expression}`);
    expect((error as Error).message).toContain(reason);
  });

  it('knows the time zones Intl knows', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('the next cron occurrence', () => {
  it.each([
    ['cron(0 12 * * ? *)', '2025-01-01T13:00:00Z', '2025-01-02T12:00:00.000Z'],
    ['cron(0 12 * * ? *)', '2025-01-01T11:59:59Z', '2025-01-01T12:00:00.000Z'],
    ['cron(0/15 * * * ? *)', '2025-01-01T10:07:00Z', '2025-01-01T10:15:00.000Z'],
    ['cron(*/20 * * * ? *)', '2025-01-01T10:45:00Z', '2025-01-01T11:00:00.000Z'],
    ['cron(5,35 1-3 * * ? *)', '2025-01-01T03:36:00Z', '2025-01-02T01:05:00.000Z'],
    ['cron(0 9 ? * MON-FRI *)', '2025-01-04T00:00:00Z', '2025-01-06T09:00:00.000Z'],
    ['cron(0 9 ? * 2-6 *)', '2025-01-04T00:00:00Z', '2025-01-06T09:00:00.000Z'],
    ['cron(0 0 L * ? *)', '2024-02-10T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['cron(0 0 LW * ? *)', '2025-08-01T00:00:00Z', '2025-08-29T00:00:00.000Z'],
    ['cron(0 0 15W * ? *)', '2025-02-01T00:00:00Z', '2025-02-14T00:00:00.000Z'],
    ['cron(0 0 1W * ? *)', '2025-02-02T00:00:00Z', '2025-02-03T00:00:00.000Z'],
    ['cron(0 0 1W * ? *)', '2025-02-03T00:00:00Z', '2025-03-03T00:00:00.000Z'],
    ['cron(0 0 ? * 6#3 *)', '2025-01-01T00:00:00Z', '2025-01-17T00:00:00.000Z'],
    ['cron(0 0 ? * FRI#3 *)', '2025-01-01T00:00:00Z', '2025-01-17T00:00:00.000Z'],
    ['cron(0 0 ? * 2L *)', '2025-01-01T00:00:00Z', '2025-01-27T00:00:00.000Z'],
    ['cron(0 0 ? * L *)', '2025-01-01T00:00:00Z', '2025-01-04T00:00:00.000Z'],
    ['cron(0 0 31 * ? *)', '2025-02-01T00:00:00Z', '2025-03-31T00:00:00.000Z'],
    ['cron(0 0 1 JAN ? 2030)', '2025-06-01T00:00:00Z', '2030-01-01T00:00:00.000Z'],
    ['cron(0 0 1 JAN ? 2030)', '2030-01-01T00:00:00Z', undefined],
  ])('of %s after %s is %s', (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it('follows the time zone, daylight saving time included', () => {
    expect(next('cron(0 9 * * ? *)', '2025-01-01T00:00:00Z', 'America/New_York')).toBe(
      '2025-01-01T14:00:00.000Z',
    );
    expect(next('cron(0 9 * * ? *)', '2025-07-01T00:00:00Z', 'America/New_York')).toBe(
      '2025-07-01T13:00:00.000Z',
    );
    expect(next('cron(0 9 * * ? *)', '2025-07-01T00:00:00Z', 'Asia/Kolkata')).toBe(
      '2025-07-01T03:30:00.000Z',
    );
  });

  it('skips a local time that daylight saving time skips', () => {
    // 2025-03-09 02:30 does not exist in New York (02:00 jumps to 03:00).
    expect(next('cron(30 2 * * ? *)', '2025-03-08T08:00:00Z', 'America/New_York')).toBe(
      '2025-03-10T06:30:00.000Z',
    );
  });

  it('fires once at a local time that daylight saving time repeats', () => {
    // 2025-11-02 01:30 happens twice in New York: at 05:30Z (EDT) and 06:30Z (EST).
    const first = next('cron(30 1 * * ? *)', '2025-11-02T00:00:00Z', 'America/New_York');
    expect(first).toBe('2025-11-02T05:30:00.000Z');
    expect(next('cron(30 1 * * ? *)', first ?? '', 'America/New_York')).toBe('2025-11-03T06:30:00.000Z');
  });

  it('turns an at() local time into its instant in the zone', () => {
    const local = { year: 2025, month: 6, day: 1, hour: 12, minute: 0, second: 0 };
    expect(new Date(instantOf(local, 'UTC') ?? 0).toISOString()).toBe('2025-06-01T12:00:00.000Z');
    expect(new Date(instantOf(local, 'Europe/Paris') ?? 0).toISOString()).toBe('2025-06-01T10:00:00.000Z');
    expect(new Date(instantOf(local, 'Asia/Tokyo') ?? 0).toISOString()).toBe('2025-06-01T03:00:00.000Z');
  });

  it('reads an at() time that daylight saving time skips with the offset before the change', () => {
    const skipped = { year: 2025, month: 3, day: 9, hour: 2, minute: 30, second: 0 };
    expect(instantOf(skipped, 'America/New_York')).toBeUndefined();
    // 02:30 EST would be 07:30Z, which New York calls 03:30 EDT.
    expect(new Date(atInstant(skipped, 'America/New_York')).toISOString()).toBe('2025-03-09T07:30:00.000Z');
  });
});
