import { daysIn, instantOf, localTime } from './time-zones.js';

// Scheduler's six-field cron expressions: minutes hours day-of-month month day-of-week year, with
// the wildcards its user guide lists for each field, and their next occurrence in a time zone.

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

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const LAST_YEAR = 2199;

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

/**
 * The six fields of a `cron(...)` body, checked field by field as Scheduler checks them.
 *
 * @param say makes the error to throw for a reason (what is wrong, and the form expected)
 */
export function parseCron(body: string, say: (reason: string) => Error): Cron {
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

/** Whether a cron's day-of-month or day-of-week takes that day. */
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
