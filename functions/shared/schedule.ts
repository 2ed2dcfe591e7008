/**
 * `at(yyyy-mm-ddThh:mm:ss)` for an ISO 8601 time, read in UTC.
 *
 * Scheduler wants the local time without zone or milliseconds; the zone goes in
 * `ScheduleExpressionTimezone`.
 */
export function atExpression(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) {
    throw new TypeError(`The expiry time "${iso}" is not an ISO 8601 time such as "2026-11-21T14:00:00Z".`);
  }
  return `at(${time.toISOString().slice(0, 19)})`;
}
