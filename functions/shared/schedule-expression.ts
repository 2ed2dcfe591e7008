import { instantOf, type LocalTime, localTime } from './time-zones.js';

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

/** Day-of-month: numbers, or `L` (last day), `LW` (last weekday), `nW` (weekday nearest n). */
type DayOfMonth =
  | { kind: 'any' }
  | { kind: 'set'; days: Set<number> }
  | { kind: 'last' }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number };
/** Day-of-week (1 = SUN ... 7 = SAT): numbers, `nL` (last n of the month) or `n#k` (k-th n). */
type DayOfWeek =
  | { kind: 'any' }
  | { kind: 'set'; days: Set<number> }
  | { kind: 'last'; day: number }
  | { kind: 'nth'; day: number; nth: number };

/** A parsed cron expression. */
export interface Cron {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonth;
  readonly months: Set<number>;
  readonly dayOfWeek: DayOfWeek;
  readonly years: Set<number>;
}

const MINUTE_MS = 60_000;
const UNITS: Readonly<Record<RateUnit, number>> = {
  minute: MINUTE_MS,
  minutes: MINUTE_MS,
  hour: 60 * MINUTE_MS,
  hours: 60 * MINUTE_MS,
  day: 24 * 60 * MINUTE_MS,
  days: 24 * 60 * MINUTE_MS,
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const LAST_YEAR = 2199;

function invalid(expression: string, reason: string): ScheduleExpressionError {
  return new ScheduleExpressionError(expression, reason);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday ... 7 = Saturday, as cron's day-of-week counts. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The values of one plain cron field: `*`, `n`, `a-b`, `a/step`, `*\/step`, `a-b/step`, comma lists. */
function values(
  field: string,
  min: number,
  max: number,
  names: readonly string[],
  say: (r: string) => Error,
) {
  const number = (text: string): number => {
    const index = names.indexOf(text.toUpperCase());
    const value = index >= 0 ? index + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) throw say(`'${text}' is not a value from ${min} to ${max}`);
    return value;
  };
  const found = new Set<number>();
  for (const item of field.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw say(`'${item}' has an invalid increment`);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      from = number(a);
      to = b === undefined ? (stepText === undefined ? from : max) : number(b);
      if (from > to) throw say(`the range '${range}' runs backwards (wrapping ranges are not supported)`);
    }
    for (let v = from; v <= to; v += step) found.add(v);
  }
  return found;
}

function dayOfMonth(field: string, say: (r: string) => Error): DayOfMonth {
  if (field === '?') return { kind: 'any' };
  if (field === 'L') return { kind: 'last' };
  if (field === 'LW') return { kind: 'lastWeekday' };
  const nearest = /^(\d{1,2})W$/.exec(field);
  if (nearest) {
    const day = Number(nearest[1]);
    if (day < 1 || day > 31) throw say(`'${field}' is not a day of the month`);
    return { kind: 'nearestWeekday', day };
  }
  if (/[LW#]/.test(field)) throw say(`'${field}': L and W stand alone in the day-of-month field`);
  return { kind: 'set', days: values(field, 1, 31, [], say) };
}

function dayOfWeek(field: string, say: (r: string) => Error): DayOfWeek {
  if (field === '?') return { kind: 'any' };
  const day = (text: string) => [...values(text, 1, 7, WEEKDAYS, say)][0] ?? 1;
  if (field === 'L') return { kind: 'set', days: new Set([7]) };
  const last = /^(\w+)L$/.exec(field);
  if (last?.[1]) return { kind: 'last', day: day(last[1]) };
  const nth = /^(\w+)#(\d)$/.exec(field);
  if (nth?.[1]) {
    const k = Number(nth[2]);
    if (k < 1 || k > 5) throw say(`'${field}': the occurrence after # runs from 1 to 5`);
    return { kind: 'nth', day: day(nth[1]), nth: k };
  }
  if (/[LW#]/.test(field)) throw say(`'${field}': L and # stand alone in the day-of-week field`);
  // Scheduler's day-of-week takes , - * ? L and #, but no increment.
  if (field.includes('/')) throw say(`'${field}': the day-of-week field takes no increment (/)`);
  return { kind: 'set', days: values(field, 1, 7, WEEKDAYS, say) };
}

function parseCron(expression: string, body: string): Cron {
  const say = (reason: string) => invalid(expression, reason);
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    throw say('a cron expression has six fields: minutes hours day-of-month month day-of-week year');
  const [minutes = '', hours = '', dom = '', month = '', dow = '', year = ''] = fields;
  if ((dom === '?') === (dow === '?')) {
    throw say('give either the day-of-month or the day-of-week, and ? in the other');
  }
  return {
    minutes: [...values(minutes, 0, 59, [], say)].sort((a, b) => a - b),
    hours: [...values(hours, 0, 23, [], say)].sort((a, b) => a - b),
    dayOfMonth: dayOfMonth(dom, say),
    months: values(month, 1, 12, MONTHS, say),
    dayOfWeek: dayOfWeek(dow, say),
    years: values(year, 1970, LAST_YEAR, [], say),
  };
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
  if (cron) return { kind: 'cron', cron: parseCron(expression, cron[1] ?? '') };
  throw invalid(expression, 'use at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)');
}

function dayMatches(cron: Cron, year: number, month: number, day: number): boolean {
  const { dayOfMonth: dom, dayOfWeek: dow } = cron;
  const last = daysIn(year, month);
  if (dom.kind === 'set') return dom.days.has(day);
  if (dom.kind === 'last') return day === last;
  if (dom.kind === 'lastWeekday' || dom.kind === 'nearestWeekday') {
    const target = Math.min(dom.kind === 'lastWeekday' ? last : dom.day, last);
    const wd = weekday(year, month, target);
    // Saturday moves to Friday (or Monday when that leaves the month); Sunday to Monday (or Friday).
    let nearest = target;
    if (wd === 7) nearest = target === 1 ? 3 : target - 1;
    if (wd === 1) nearest = target === last ? target - 2 : target + 1;
    return day === nearest;
  }
  const wd = weekday(year, month, day);
  if (dow.kind === 'set') return dow.days.has(wd);
  if (dow.kind === 'last') return wd === dow.day && day + 7 > last;
  if (dow.kind === 'nth') return wd === dow.day && Math.ceil(day / 7) === dow.nth;
  return false;
}

/** The first instant after `after` at which the cron expression fires in `zone`, if any before 2200. */
export function nextCron(cron: Cron, after: number, zone: string): number | undefined {
  const start = localTime(after, zone);
  let { year, month, day } = start;
  let first = true;
  while (year <= LAST_YEAR) {
    if (!cron.years.has(year)) {
      year += 1;
      month = 1;
      day = 1;
      first = false;
      continue;
    }
    if (!cron.months.has(month) || day > daysIn(year, month)) {
      month += 1;
      day = 1;
      first = false;
      if (month > 12) {
        month = 1;
        year += 1;
      }
      continue;
    }
    if (dayMatches(cron, year, month, day)) {
      // On the first day, skip times well before `after` without converting them.
      const floor = first ? start.hour * 60 + start.minute - 180 : -1;
      for (const hour of cron.hours) {
        for (const minute of cron.minutes) {
          if (hour * 60 + minute < floor) continue;
          const instant = instantOf({ year, month, day, hour, minute, second: 0 }, zone);
          if (instant !== undefined && instant > after) return instant;
        }
      }
    }
    day += 1;
    first = false;
  }
  return undefined;
}
