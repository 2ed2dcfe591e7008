/**
 * What a refresh schedule is: a recurring EventBridge Scheduler schedule named
 * `<cloneId>.refresh`, in the TTL schedules' group, that starts the refresh state machine with the
 * clone's artifact. Made by the CDK construct (`refreshSchedules`) or by `dbaf schedule-refresh`;
 * both check what they are given here, so they agree.
 */

import { parseScheduleExpression, ScheduleExpressionError } from './schedule-expression.js';
import { isTimeZone } from './time-zones.js';

/** The reason a scheduled refresh gives the refresh state machine. */
export const SCHEDULED_REFRESH = 'scheduled';

/**
 * `cron(0 6 ? * MON-FRI *)` from either that or its six fields, single-spaced, once Scheduler would
 * take it; refuses anything else (a refresh is a recurring, calendar event: `rate()` would drift
 * through the day, `at()` runs once).
 *
 * @throws Error saying the form expected, and what Scheduler would refuse in the fields
 */
export function refreshCron(expression: string): string {
  const text = expression.trim();
  const body = /^cron\((.*)\)$/.exec(text)?.[1]?.trim() ?? text;
  const fields = body.split(/\s+/).filter((field) => field !== '');
  const cron = `cron(${fields.join(' ')})`;
  try {
    parseScheduleExpression(cron);
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) throw error;
    // With six fields, say which one is wrong; otherwise the form is what is wrong.
    const detail = fields.length === 6 ? `: ${error.reason}` : '';
    throw new Error(
      `"${expression}" is not a cron expression of six fields (minutes hours day-of-month month day-of-week year), such as "0 6 ? * MON-FRI *" for 06:00 every weekday${detail}.`,
    );
  }
  return cron;
}

/**
 * The IANA time zone the schedule's cron is read in.
 *
 * @throws Error naming the zone when Intl does not know it
 */
export function refreshTimeZone(zone: string): string {
  if (!isTimeZone(zone)) {
    throw new Error(
      `"${zone}" is not an IANA time zone such as "Europe/Paris", "America/New_York" or "UTC".`,
    );
  }
  return zone;
}

/** The refresh state machine's input a refresh schedule carries. */
export function refreshScheduleInput(artifact: unknown): string {
  return JSON.stringify({ artifact, reason: SCHEDULED_REFRESH });
}

/** The artifact a refresh schedule's (or a refresh execution's) input carries, if it has one. */
export function artifactOfRefreshInput(input: string | undefined): unknown {
  try {
    const parsed = JSON.parse(input ?? '') as { artifact?: unknown };
    return parsed !== null && typeof parsed === 'object' ? parsed.artifact : undefined;
  } catch {
    return undefined;
  }
}
