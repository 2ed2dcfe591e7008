import { ConfigurationError } from './errors.js';

/**
 * `2026-11-21T18:00:00.123Z` → `2026-11-21T18:00:00Z`: ISO 8601 UTC in whole seconds, as the
 * `dbaf:expires-at` and `dbaf:created-at` tags and the schedules hold times.
 */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * The execution's start time (`$$.Execution.StartTime`, which the state machine passes), in epoch
 * milliseconds: a clone's or refresh's TTL counts from it.
 *
 * @throws ConfigurationError when the state machine passed something else
 */
export function executionStartMs(startTime: string): number {
  const startMs = Date.parse(startTime);
  if (Number.isNaN(startMs)) {
    throw new ConfigurationError(
      `The state machine passed startTime "${startTime}", which is not an ISO 8601 time; pass $$.Execution.StartTime.`,
    );
  }
  return startMs;
}
