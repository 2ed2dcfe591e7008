/**
 * What a refresh schedule is: a recurring EventBridge Scheduler schedule named
 * `<cloneId>.refresh`, in the TTL schedules' group, that starts the refresh state machine with the
 * clone's artifact. Made by the CDK construct (`refreshSchedules`) or by `dbaf schedule-refresh`;
 * both check what they are given here, so they agree.
 */

import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { type ArtifactDocument, artifactSchema, cloneIdForName, describeIssues } from './artifact.js';
import { refreshScheduleName } from './names.js';
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

/** A refresh schedule as a caller asks for it: the construct's `refreshSchedules` entries, `dbaf schedule-refresh`. */
export interface RefreshScheduleRequest {
  /** The clone's artifact; it must name the clone (`target.cloneName`) and clone an allowed source. */
  readonly artifact: unknown;
  /** Six cron fields, or `cron(...)`. */
  readonly cron: string;
  /** The IANA time zone of the cron. @default 'UTC' */
  readonly timezone?: string;
}

/** A refresh schedule after every check. */
export interface ResolvedRefreshSchedule {
  readonly cloneId: string;
  /** `cron(...)`. */
  readonly expression: string;
  readonly timezone: string;
  /** The artifact as given, naming the clone by its id. */
  readonly artifact: ArtifactDocument;
}

/** What a deployment allows a refresh schedule to name. */
export interface RefreshScheduleRules {
  readonly cloneNamePrefix: string;
  /** True when the artifact's `source.clusterIdentifier` may be cloned here. */
  readonly isAllowedSource: (source: string) => boolean;
}

/**
 * Checks a refresh schedule: a valid artifact naming a clone of an allowed source, a cron, a time
 * zone. Returns it resolved, or every problem, each starting with the field it is about
 * (`artifact.target.cloneName: ...`, `cron: ...`).
 */
export function resolveRefreshSchedule(
  request: RefreshScheduleRequest,
  rules: RefreshScheduleRules,
): { readonly schedule: ResolvedRefreshSchedule } | { readonly problems: readonly string[] } {
  const parsed = artifactSchema.safeParse(request.artifact);
  if (!parsed.success) {
    return {
      problems: describeIssues(parsed.error.issues, request.artifact).map((issue) => `artifact.${issue}`),
    };
  }
  const problems: string[] = [];
  const name = parsed.data.target.cloneName;
  if (name === undefined) {
    problems.push('artifact.target.cloneName: missing; a refresh schedule keeps one named clone fresh.');
  }
  const source = parsed.data.source.clusterIdentifier;
  if (!rules.isAllowedSource(source)) {
    problems.push(`artifact.source.clusterIdentifier: "${source}" is not one of allowedSources.`);
  }
  const checked = (field: string, check: () => string): string => {
    try {
      return check();
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      return '';
    }
  };
  const expression = checked('cron', () => refreshCron(request.cron));
  const timezone = checked('timezone', () => refreshTimeZone(request.timezone ?? 'UTC'));
  if (problems.length > 0 || name === undefined) return { problems };
  const cloneId = cloneIdForName(name, rules.cloneNamePrefix);
  const document = request.artifact as ArtifactDocument;
  return {
    schedule: {
      cloneId,
      expression,
      timezone,
      artifact: { ...document, target: { ...document.target, cloneName: cloneId } } as ArtifactDocument,
    },
  };
}

/** Where a refresh schedule lives and what it starts. */
export interface RefreshScheduleTarget {
  /** The TTL schedules' group. */
  readonly groupName: string;
  readonly refreshStateMachineArn: string;
  /** The role the deployment's schedules run as. */
  readonly roleArn: string;
}

type ScheduleTarget = NonNullable<CreateScheduleCommandInput['Target']>;
type Defined<T, K extends keyof T> = { [P in K]-?: NonNullable<T[P]> };

/** A refresh schedule's every field, as CreateSchedule and UpdateSchedule take them. */
export type RefreshSchedule = CreateScheduleCommandInput &
  Defined<
    CreateScheduleCommandInput,
    | 'Name'
    | 'GroupName'
    | 'Description'
    | 'ScheduleExpression'
    | 'ScheduleExpressionTimezone'
    | 'FlexibleTimeWindow'
    | 'State'
  > & { Target: Defined<ScheduleTarget, 'Arn' | 'RoleArn' | 'Input' | 'RetryPolicy'> };

/**
 * The EventBridge Scheduler schedule `<cloneId>.refresh` that starts the refresh state machine
 * with the clone's artifact on its cron, in its time zone: what the CDK construct deploys and the
 * deployment's `schedule-refresh` operation puts, field for field.
 */
export function refreshSchedule(
  resolved: ResolvedRefreshSchedule,
  target: RefreshScheduleTarget,
): RefreshSchedule {
  return {
    Name: refreshScheduleName(resolved.cloneId),
    GroupName: target.groupName,
    Description: `db-artifact-factory: refresh clone ${resolved.cloneId} from ${String(resolved.artifact.source?.clusterIdentifier)}`,
    ScheduleExpression: resolved.expression,
    ScheduleExpressionTimezone: resolved.timezone,
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'ENABLED',
    Target: {
      Arn: target.refreshStateMachineArn,
      RoleArn: target.roleArn,
      Input: refreshScheduleInput(resolved.artifact),
      // A refresh that cannot start within the hour waits for the next one.
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
    },
  };
}
