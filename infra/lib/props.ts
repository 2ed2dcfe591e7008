import { Token } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { z } from 'zod';
import { MIN_TTL_MS } from '../../functions/inspect-source/validate.js';
import { DURATION_FORM, formatDuration, parseDuration } from '../../functions/shared/duration.js';
import { DEFAULT_SWEEPER_SCHEDULE } from '../../functions/shared/schedule.js';
import {
  parseScheduleExpression,
  type ScheduleExpression,
  ScheduleExpressionError,
} from '../../functions/shared/schedule-expression.js';
import { checkLifetime, checkProtected } from './expiry-props.js';
import {
  type RefreshScheduleProps,
  type ResolvedRefreshSchedule,
  resolveRefreshSchedules,
} from './refresh-schedules.js';

export type { RefreshScheduleProps } from './refresh-schedules.js';

/**
 * Settings of one db-artifact-factory deployment.
 *
 * Only `allowedSources` is required. Everything here is checked when the construct is created,
 * so a bad value fails `cdk synth` with a message naming the prop, never a deployment.
 */
export interface CloneFactoryProps {
  /**
   * The only clusters that can be cloned: DB cluster identifiers in the stack's account and region
   * (`legacy-prod`), or DB cluster ARNs for clusters shared through AWS RAM.
   *
   * The restore permission names exactly these clusters, and every clone's teardown refuses them.
   */
  readonly allowedSources: readonly string[];

  /**
   * TTL of a clone whose artifact gives none (`30m`, `8h`, `3d`, `1d12h`; at least 30 minutes).
   * @default '8h'
   */
  readonly defaultTtl?: string;

  /**
   * Longest TTL an artifact may ask for.
   * @default '7d'
   */
  readonly maxTtl?: string;

  /**
   * Every clone's cluster identifier starts with this; the IAM policies are scoped to it.
   *
   * Lowercase letters, digits and single hyphens, starting with a letter, at most 20 characters.
   * No allowed source may start with it.
   * @default 'dbaf-'
   */
  readonly cloneNamePrefix?: string;

  /**
   * Client networks admitted on the clone's port when an artifact names neither `allowedCidrs`
   * nor `securityGroupIds`. Never `/0`.
   * @default - none: every artifact must name its clients
   */
  readonly defaultAllowedCidrs?: readonly string[];

  /**
   * E-mail address subscribed to a new SNS topic that the failed-executions alarm notifies.
   * @default - no e-mail subscription
   */
  readonly notificationEmail?: string;

  /**
   * An existing SNS topic the failed-executions alarm notifies, instead of a new one.
   * @default - a new topic when `notificationEmail` is set, otherwise the alarm notifies nobody
   */
  readonly notificationTopic?: ITopic;

  /**
   * DB clusters to keep free under the region's DB-cluster quota: a clone that would leave fewer
   * free is refused before anything is created.
   * @default 0
   */
  readonly quotaHeadroom?: number;

  /**
   * Most clones one owner (the artifact's `lifecycle.owner`) may have at once: one more is refused
   * before anything is created, naming the owner's clones. 0 means no limit.
   * @default 0
   */
  readonly maxClonesPerOwner?: number;

  /**
   * Customer managed KMS keys that encrypt the allowed sources (or their snapshots). A clone is
   * encrypted with its source's key, so RDS must create grants on it for the restore.
   * @default - none: sources encrypted with the AWS managed key `aws/rds` need nothing
   */
  readonly sourceKmsKeyArns?: readonly string[];

  /**
   * How often the sweeper runs: an EventBridge Scheduler `rate(...)` of at least 5 minutes, or a
   * `cron(...)` (UTC). `false` creates no schedule: the sweeper state machine is still deployed,
   * and runs when someone starts it.
   *
   * The sweeper deletes (through the teardown) expired clones whose TTL schedule was lost, and what
   * failed clones left behind; turning it off leaves those to you.
   * @default 'rate(1 hour)'
   */
  readonly sweeperSchedule?: string | false;

  /**
   * Named clones kept fresh from their source on a schedule (for example every weekday at 06:00
   * in the team's time zone): one EventBridge Scheduler schedule `<clone>.refresh` each, which
   * starts the refresh state machine. The first run makes the clone if it does not exist. The
   * CLI's `dbaf schedule-refresh` makes the same schedules.
   * @default - none
   */
  readonly refreshSchedules?: readonly RefreshScheduleProps[];

  /**
   * How long before its expiry a clone's `Clone Expiring` event goes out (`30m`, `1h`, `1d`), so its
   * owner can extend it; `'off'` sends none. With a notification topic (`notificationEmail` or
   * `notificationTopic`), the event is also sent there. A clone whose TTL is shorter gets none.
   * @default '1h'
   */
  readonly expiryWarning?: string;

  /**
   * The longest a clone may live from its creation, however often it is extended (`dbaf extend`);
   * the sweeper deletes a clone past it. At least `maxTtl`.
   * @default '30d'
   */
  readonly maxLifetime?: string;

  /**
   * Clone ids (with the clone name prefix, such as `dbaf-demo`) the maximum lifetime does not apply
   * to: they can be extended for as long as someone keeps extending them, each time by at most
   * `maxTtl` from now.
   * @default - none
   */
  readonly protectedClones?: readonly string[];

  /**
   * How long the Lambda and state machine logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
}

/** The props after validation, with every default applied. */
export interface ResolvedSettings {
  /** As given, without duplicates. */
  readonly allowedSources: readonly string[];
  /** A duration such as `8h`. */
  readonly defaultTtl: string;
  /** A duration such as `7d`. */
  readonly maxTtl: string;
  readonly cloneNamePrefix: string;
  readonly defaultAllowedCidrs: readonly string[];
  readonly notificationEmail: string | undefined;
  readonly notificationTopic: ITopic | undefined;
  readonly quotaHeadroom: number;
  readonly maxClonesPerOwner: number;
  readonly sourceKmsKeyArns: readonly string[];
  /** A schedule expression, or `false` for none. */
  readonly sweeperSchedule: string | false;
  readonly refreshSchedules: readonly ResolvedRefreshSchedule[];
  /** A duration such as `1h`, or `off`. */
  readonly expiryWarning: string;
  /** A duration such as `30d`. */
  readonly maxLifetime: string;
  /** Clone ids, lower case, without duplicates. */
  readonly protectedClones: readonly string[];
}

/** Thrown by {@link resolveSettings}: every problem with the props, one per line. */
export class InvalidCloneFactoryProps extends Error {
  override readonly name = 'InvalidCloneFactoryProps';
  /** One sentence per problem, naming the prop. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `CloneFactory props are invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
    );
    this.problems = problems;
  }
}

/** The default of {@link CloneFactoryProps.cloneNamePrefix}. */
export const DEFAULT_CLONE_NAME_PREFIX = 'dbaf-';

/** How to set the allowed sources, for error messages. */
export const ALLOWED_SOURCES_HINT =
  'name the clusters that may be cloned, e.g. `npx cdk deploy -c allowedSources=legacy-prod,orders-prod`, ' +
  '"allowedSources": ["legacy-prod"] in the "context" of cdk.json, or ' +
  "`new CloneFactory(this, 'Clones', { allowedSources: ['legacy-prod'] })`";

const CLUSTER_ID = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,62}$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:([a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,62})$/;
const PREFIX = /^[a-z](?:[a-z0-9]|-(?!-)){0,19}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;
const CIDR = z.union([z.cidrv4(), z.cidrv6()]);

/** The cluster identifier an allowed source names (the last part of an ARN), or undefined if malformed. */
export function sourceClusterId(source: string): string | undefined {
  const arn = CLUSTER_ARN.exec(source);
  if (arn) return arn[1];
  return CLUSTER_ID.test(source) && !source.endsWith('-') ? source : undefined;
}

function checkSources(sources: readonly string[] | undefined, prefix: string, problems: string[]): void {
  if (sources === undefined || sources.length === 0) {
    problems.push(`allowedSources is empty: ${ALLOWED_SOURCES_HINT}.`);
    return;
  }
  sources.forEach((source, index) => {
    const name = `allowedSources[${index}]`;
    if (typeof source !== 'string' || Token.isUnresolved(source)) {
      problems.push(
        `${name} is not a literal string; give the cluster identifier or ARN itself, so that it can be checked and the IAM policies scoped to it when the app is synthesized.`,
      );
      return;
    }
    const id = sourceClusterId(source);
    if (id === undefined) {
      problems.push(
        `${name}: "${source}" is not a DB cluster identifier (such as "legacy-prod") or a DB cluster ARN (arn:aws:rds:REGION:ACCOUNT:cluster:NAME).`,
      );
    } else if (PREFIX.test(prefix) && id.toLowerCase().startsWith(prefix)) {
      problems.push(
        `${name}: "${source}" starts with the clone name prefix "${prefix}", so the permissions meant for clones would cover it; rename the prefix (cloneNamePrefix) or choose another source.`,
      );
    }
  });
}

function checkTtls(defaultTtl: string, maxTtl: string, problems: string[]): void {
  const defaultMs = parseDuration(defaultTtl);
  const maxMs = parseDuration(maxTtl);
  const min = formatDuration(MIN_TTL_MS);
  if (defaultMs === undefined) problems.push(`defaultTtl: "${defaultTtl}" is not ${DURATION_FORM}.`);
  else if (defaultMs < MIN_TTL_MS) problems.push(`defaultTtl: "${defaultTtl}" is shorter than ${min}.`);
  if (maxMs === undefined) problems.push(`maxTtl: "${maxTtl}" is not ${DURATION_FORM}.`);
  else if (maxMs < MIN_TTL_MS) problems.push(`maxTtl: "${maxTtl}" is shorter than ${min}.`);
  if (defaultMs !== undefined && maxMs !== undefined && defaultMs > maxMs) {
    problems.push(`defaultTtl "${defaultTtl}" is longer than maxTtl "${maxTtl}".`);
  }
}

function checkCidrs(cidrs: readonly string[], problems: string[]): void {
  cidrs.forEach((cidr, index) => {
    const name = `defaultAllowedCidrs[${index}]`;
    if (!CIDR.safeParse(cidr).success) {
      problems.push(`${name}: "${cidr}" is not a CIDR block such as "10.20.0.0/16".`);
    } else if (cidr.endsWith('/0')) {
      problems.push(`${name}: "${cidr}" admits every address; a clone is never open to the world.`);
    }
  });
}

const MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/** Why `expression` cannot be the sweeper's schedule, or undefined when it can. */
function sweeperScheduleProblem(expression: string | false): string | undefined {
  if (expression === false) return undefined;
  const hint = `; expected "rate(1 hour)", "rate(30 minutes)", "cron(0 * * * ? *)", or false for no schedule`;
  let parsed: ScheduleExpression;
  try {
    parsed = parseScheduleExpression(expression);
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) throw error;
    return `sweeperSchedule: "${expression}" is not a schedule expression${hint} (Scheduler would refuse it: ${error.reason}).`;
  }
  if (parsed.kind === 'cron') return undefined;
  if (parsed.kind === 'at')
    return `sweeperSchedule: "${expression}" runs once; the sweeper needs a recurring schedule${hint}.`;
  const singular = parsed.unit.replace(/s$/, '');
  // Scheduler's API reference takes either unit for any value; EventBridge rules take a singular
  // unit for 1 and a plural one otherwise, and so does the construct, valid for both.
  if ((parsed.value === 1) !== (parsed.unit === singular)) {
    return `sweeperSchedule: "${expression}" is not a rate Scheduler accepts (the unit is singular for 1, plural otherwise)${hint}.`;
  }
  if (parsed.value * (MINUTES[singular] ?? 0) < 5) {
    return `sweeperSchedule: "${expression}" sweeps more often than every 5 minutes, spending the RDS API rate the clones need.`;
  }
  return undefined;
}

/**
 * Checks the props and applies the defaults.
 *
 * @throws InvalidCloneFactoryProps listing every problem at once.
 */
export function resolveSettings(props: CloneFactoryProps): ResolvedSettings {
  const problems: string[] = [];
  const prefix = props.cloneNamePrefix ?? DEFAULT_CLONE_NAME_PREFIX;
  if (!PREFIX.test(prefix)) {
    problems.push(
      `cloneNamePrefix: "${prefix}" is not valid; expected 1 to 20 lowercase letters, digits or single hyphens, starting with a letter (such as "dbaf-").`,
    );
  }
  checkSources(props.allowedSources, prefix, problems);
  const defaultTtl = props.defaultTtl ?? '8h';
  const maxTtl = props.maxTtl ?? '7d';
  checkTtls(defaultTtl, maxTtl, problems);
  const defaultAllowedCidrs = props.defaultAllowedCidrs ?? [];
  checkCidrs(defaultAllowedCidrs, problems);
  if (props.notificationEmail !== undefined && !EMAIL.test(props.notificationEmail)) {
    problems.push(`notificationEmail: "${props.notificationEmail}" is not an e-mail address.`);
  }
  if (props.notificationEmail !== undefined && props.notificationTopic !== undefined) {
    problems.push(
      'notificationEmail and notificationTopic are both set; give one: subscribe the address to your topic yourself.',
    );
  }
  const sourceKmsKeyArns = props.sourceKmsKeyArns ?? [];
  sourceKmsKeyArns.forEach((arn, index) => {
    if (!KMS_KEY_ARN.test(arn)) {
      problems.push(
        `sourceKmsKeyArns[${index}]: "${arn}" is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID; aliases cannot be used in IAM policies).`,
      );
    }
  });
  const quotaHeadroom = props.quotaHeadroom ?? 0;
  if (!Number.isInteger(quotaHeadroom) || quotaHeadroom < 0) {
    problems.push(`quotaHeadroom: ${quotaHeadroom} must be a whole number, 0 or more.`);
  }
  const maxClonesPerOwner = props.maxClonesPerOwner ?? 0;
  if (!Number.isInteger(maxClonesPerOwner) || maxClonesPerOwner < 0) {
    problems.push(`maxClonesPerOwner: ${maxClonesPerOwner} must be a whole number, 0 (no limit) or more.`);
  }
  const expiryWarning = props.expiryWarning ?? '1h';
  const maxLifetime = props.maxLifetime ?? '30d';
  checkLifetime(maxLifetime, maxTtl, expiryWarning, problems);
  const protectedClones = props.protectedClones ?? [];
  checkProtected(protectedClones, prefix, problems);
  const sweeperSchedule = props.sweeperSchedule ?? DEFAULT_SWEEPER_SCHEDULE;
  const scheduleProblem = sweeperScheduleProblem(sweeperSchedule);
  if (scheduleProblem !== undefined) problems.push(scheduleProblem);
  const refreshSchedules = resolveRefreshSchedules(
    props.refreshSchedules ?? [],
    { cloneNamePrefix: prefix, allowedSources: props.allowedSources },
    problems,
  );
  if (problems.length > 0) throw new InvalidCloneFactoryProps(problems);
  return {
    allowedSources: [...new Set(props.allowedSources)],
    defaultTtl,
    maxTtl,
    cloneNamePrefix: prefix,
    defaultAllowedCidrs: [...defaultAllowedCidrs],
    notificationEmail: props.notificationEmail,
    notificationTopic: props.notificationTopic,
    quotaHeadroom,
    maxClonesPerOwner,
    sourceKmsKeyArns: [...sourceKmsKeyArns],
    sweeperSchedule,
    refreshSchedules,
    expiryWarning,
    maxLifetime,
    protectedClones: [...new Set(protectedClones.map((id) => id.toLowerCase()))],
  };
}
