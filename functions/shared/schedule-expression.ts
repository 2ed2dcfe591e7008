import { type Cron, nextCron, parseCron } from './cron.js';
import { daysIn, type LocalTime } from './time-zones.js';

export { type Cron, nextCron } from './cron.js';
export type { LocalTime } from './time-zones.js';

// EventBridge Scheduler's schedule expressions, read as Scheduler reads them: what the CLI, the
// CDK construct's checks, the refresh schedules and the local stand-in's Scheduler all use. It
// refuses at least what Scheduler refuses (its API reference and user guide): an expression over
// 256 characters, a rate that is no positive whole number of minute(s), hour(s) or day(s), a cron
// without exactly six fields or with a value or wildcard its field does not take.

/**
 * A schedule expression Scheduler would refuse.
 *
 * The message says what is wrong and what form is expected, in Scheduler's words
 * (`Invalid Schedule Expression rate(5 weeks): the unit is minute(s), hour(s) or day(s)`).
 */
export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';

  /**
   * @param expression the expression as given
   * @param reason what is wrong with it, and the form expected
   */
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`Invalid Schedule Expression ${expression}: ${reason}`);
  }
}

/** Scheduler's longest ScheduleExpression. */
export const MAX_SCHEDULE_EXPRESSION_LENGTH = 256;

/** The units of `rate()`, singular and plural. */
export type RateUnit = 'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days';

/**
 * A parsed schedule expression: `at(yyyy-mm-ddThh:mm:ss)`, `rate(value unit)` or six-field
 * `cron(minutes hours day-of-month month day-of-week year)`, evaluated in a time zone (a local
 * time skipped by daylight saving time does not fire; a repeated one fires once, as the Scheduler
 * user guide says).
 */
export type ScheduleExpression =
  | { readonly kind: 'at'; readonly local: LocalTime }
  | { readonly kind: 'rate'; readonly everyMs: number; readonly value: number; readonly unit: RateUnit }
  | { readonly kind: 'cron'; readonly cron: Cron };

const MINUTE_MS = 60_000;
const UNITS: Readonly<Record<RateUnit, number>> = {
  minute: MINUTE_MS,
  minutes: MINUTE_MS,
  hour: 60 * MINUTE_MS,
  hours: 60 * MINUTE_MS,
  day: 24 * 60 * MINUTE_MS,
  days: 24 * 60 * MINUTE_MS,
};

function invalid(expression: string, reason: string): ScheduleExpressionError {
  return new ScheduleExpressionError(expression, reason);
}

/**
 * Parses and checks a schedule expression as Scheduler does.
 *
 * @throws ScheduleExpressionError saying what is wrong and the form expected
 */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  if (expression.length > MAX_SCHEDULE_EXPRESSION_LENGTH) {
    throw invalid(
      expression,
      `a schedule expression has at most ${MAX_SCHEDULE_EXPRESSION_LENGTH} characters`,
    );
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (
      month < 1 ||
      month > 12 ||
      day < 1 ||
      day > daysIn(year, month) ||
      hour > 23 ||
      minute > 59 ||
      second > 59
    ) {
      throw invalid(expression, 'not a valid date and time');
    }
    return { kind: 'at', local: { year, month, day, hour, minute, second } };
  }
  const rate = /^rate\((\d+) (\w+)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    if (!Object.hasOwn(UNITS, unit)) throw invalid(expression, 'the unit is minute(s), hour(s) or day(s)');
    if (value < 1) throw invalid(expression, 'the value is a positive whole number');
    return { kind: 'rate', everyMs: value * UNITS[unit as RateUnit], value, unit: unit as RateUnit };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return { kind: 'cron', cron: parseCron(cron[1] ?? '', (reason) => invalid(expression, reason)) };
  throw invalid(expression, 'use at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)');
}

/**
 * When a recurring `cron(...)` schedule fires next after `now`, as Scheduler reads it in `zone`
 * (ISO 8601 UTC); undefined for another kind of expression, or one this library cannot read.
 */
export function nextCronRun(expression: string, zone: string, now = Date.now()): string | undefined {
  let parsed: ScheduleExpression;
  try {
    parsed = parseScheduleExpression(expression);
  } catch (error) {
    // A schedule changed outside the project to something Scheduler took and we cannot read: no next run.
    if (error instanceof ScheduleExpressionError) return undefined;
    throw error;
  }
  if (parsed.kind !== 'cron') return undefined;
  const next = nextCron(parsed.cron, now, zone);
  return next === undefined ? undefined : new Date(next).toISOString();
}
