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

/**
 * The sweeper's recurring schedule, in the TTL schedules' group. The dot keeps it apart from
 * them: no RDS identifier, so no clone's TTL schedule, can have one.
 */
export const SWEEPER_SCHEDULE_NAME = 'dbaf.sweeper';

/** How often the sweeper runs when the deployment does not say otherwise. */
export const DEFAULT_SWEEPER_SCHEDULE = 'rate(1 hour)';
