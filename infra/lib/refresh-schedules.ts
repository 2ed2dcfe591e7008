import type { ArtifactDocument } from '../../functions/shared/artifact.js';
import {
  type ResolvedRefreshSchedule,
  resolveRefreshSchedule,
} from '../../functions/shared/refresh-schedule.js';

export type { ResolvedRefreshSchedule } from '../../functions/shared/refresh-schedule.js';

/** A named clone kept fresh on a schedule: the construct's `refreshSchedules` entries. */
export interface RefreshScheduleProps {
  /**
   * The clone's artifact, as in `artifact.json`. It must name the clone (`target.cloneName`; the
   * prefix is added when missing) and clone one of the allowed sources.
   */
  readonly artifact: ArtifactDocument;
  /**
   * When to refresh: six cron fields, or `cron(...)`, read in `timezone`.
   * For example `0 6 ? * MON-FRI *`: 06:00 every weekday.
   */
  readonly cron: string;
  /**
   * The IANA time zone of `cron`.
   * @default 'UTC'
   */
  readonly timezone?: string;
}

/**
 * Checks the `refreshSchedules` entries: a valid artifact naming a clone of an allowed source, a
 * cron, a time zone, one schedule per clone. Problems are added to `problems`, naming the entry.
 */
export function resolveRefreshSchedules(
  entries: readonly RefreshScheduleProps[],
  settings: { readonly cloneNamePrefix: string; readonly allowedSources: readonly string[] },
  problems: string[],
): ResolvedRefreshSchedule[] {
  const resolved: ResolvedRefreshSchedule[] = [];
  entries.forEach((entry, index) => {
    const where = `refreshSchedules[${index}]`;
    const result = resolveRefreshSchedule(entry, {
      cloneNamePrefix: settings.cloneNamePrefix,
      isAllowedSource: (source) => settings.allowedSources.includes(source),
    });
    if ('problems' in result) {
      for (const problem of result.problems) problems.push(`${where}.${problem}`);
      return;
    }
    if (resolved.some((other) => other.cloneId === result.schedule.cloneId)) {
      problems.push(
        `${where}: clone "${result.schedule.cloneId}" already has a refresh schedule; give each clone one.`,
      );
      return;
    }
    resolved.push(result.schedule);
  });
  return resolved;
}
