import {
  type ArtifactDocument,
  artifactSchema,
  cloneIdForName,
  describeIssues,
} from '../../functions/shared/artifact.js';
import { refreshCron, refreshTimeZone } from '../../functions/shared/refresh-schedule.js';

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

/** A refresh schedule after validation. */
export interface ResolvedRefreshSchedule {
  readonly cloneId: string;
  /** `cron(...)`. */
  readonly expression: string;
  readonly timezone: string;
  /** The artifact, naming the clone by its id. */
  readonly artifact: ArtifactDocument;
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
    const parsed = artifactSchema.safeParse(entry.artifact);
    if (!parsed.success) {
      for (const issue of describeIssues(parsed.error.issues, entry.artifact))
        problems.push(`${where}.artifact.${issue}`);
      return;
    }
    const name = parsed.data.target.cloneName;
    if (name === undefined) {
      problems.push(
        `${where}.artifact.target.cloneName: missing; a refresh schedule keeps one named clone fresh.`,
      );
      return;
    }
    const source = parsed.data.source.clusterIdentifier;
    if (!settings.allowedSources.includes(source)) {
      problems.push(`${where}.artifact.source.clusterIdentifier: "${source}" is not one of allowedSources.`);
    }
    let expression = '';
    let timezone = '';
    try {
      expression = refreshCron(entry.cron);
    } catch (error) {
      problems.push(`${where}.cron: ${(error as Error).message}`);
    }
    try {
      timezone = refreshTimeZone(entry.timezone ?? 'UTC');
    } catch (error) {
      problems.push(`${where}.timezone: ${(error as Error).message}`);
    }
    const cloneId = cloneIdForName(name, settings.cloneNamePrefix);
    if (resolved.some((other) => other.cloneId === cloneId)) {
      problems.push(`${where}: clone "${cloneId}" already has a refresh schedule; give each clone one.`);
      return;
    }
    const document = entry.artifact as ArtifactDocument;
    resolved.push({
      cloneId,
      expression,
      timezone,
      artifact: { ...document, target: { ...document.target, cloneName: cloneId } } as ArtifactDocument,
    });
  });
  return resolved;
}
