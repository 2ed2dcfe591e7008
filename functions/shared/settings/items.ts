import { z } from 'zod';
import { MAX_CLONE_ID_LENGTH } from '../artifact.js';
import {
  parseScheduleExpression,
  type ScheduleExpression,
  ScheduleExpressionError,
} from '../schedule-expression.js';

/**
 * What one value of a setting must look like: the checks of list items, and the patterns the
 * cross-field rules share. Each returns the tail of a sentence about the value, or undefined.
 */

const CLUSTER_ID = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,62}$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:([a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,62})$/;
const CIDR = z.union([z.cidrv4(), z.cidrv6()]);

/** A clone name prefix: lowercase letters, digits and single hyphens, starting with a letter, at most 20 characters. */
export const CLONE_NAME_PREFIX = /^[a-z](?:[a-z0-9]|-(?!-)){0,19}$/;

/** The cluster identifier an allowed source names (the last part of an ARN), or undefined if malformed. */
export function sourceClusterId(source: string): string | undefined {
  const arn = CLUSTER_ARN.exec(source);
  if (arn) return arn[1];
  return CLUSTER_ID.test(source) && !source.endsWith('-') ? source : undefined;
}

/** An allowed source: a DB cluster identifier, or the ARN of a cluster shared through AWS RAM. */
export function clusterSourceProblem(source: string): string | undefined {
  return sourceClusterId(source) === undefined
    ? 'is not a DB cluster identifier (such as "legacy-prod") or a DB cluster ARN (arn:aws:rds:REGION:ACCOUNT:cluster:NAME)'
    : undefined;
}

/** A client network of the clones: a CIDR block, never `/0`. */
export function cidrProblem(cidr: string): string | undefined {
  if (!CIDR.safeParse(cidr).success) return 'is not a CIDR block such as "10.20.0.0/16"';
  return cidr.endsWith('/0') ? 'admits every address; a clone is never open to the world' : undefined;
}

/** Why `id` cannot be the id of a clone of a deployment with this prefix, or undefined. */
export function cloneIdProblem(id: string, prefix: string): string | undefined {
  if (!CLUSTER_ID.test(id) || id.endsWith('-')) {
    return `is not a clone id (a DB cluster identifier such as "${prefix}demo")`;
  }
  if (id.length > MAX_CLONE_ID_LENGTH) {
    return `is longer than ${MAX_CLONE_ID_LENGTH} characters, the longest clone id, so no clone can have it`;
  }
  if (!id.toLowerCase().startsWith(prefix) || id.length <= prefix.length) {
    return `does not start with the clone name prefix "${prefix}", so no clone can have that id; write it as "dbaf extend" and "dbaf list" show it`;
  }
  return undefined;
}

const MINUTES: Readonly<Record<string, number>> = { minute: 1, hour: 60, day: 1440 };
const SCHEDULE_HINT =
  '; expected "rate(1 hour)", "rate(30 minutes)", "cron(0 * * * ? *)", or off (false in cdk.json) for no schedule';

/**
 * The sweeper's schedule: a recurring expression EventBridge Scheduler accepts, no more often than
 * every 5 minutes (each sweep spends RDS API calls the clones need).
 */
export function sweeperScheduleProblem(expression: string): string | undefined {
  let parsed: ScheduleExpression;
  try {
    parsed = parseScheduleExpression(expression);
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) throw error;
    return `is not a schedule expression${SCHEDULE_HINT} (Scheduler would refuse it: ${error.reason})`;
  }
  if (parsed.kind === 'cron') return undefined;
  if (parsed.kind === 'at') return `runs once; the sweeper needs a recurring schedule${SCHEDULE_HINT}`;
  const singular = parsed.unit.replace(/s$/, '');
  // Scheduler's API reference takes either unit for any value; EventBridge rules take a singular
  // unit for 1 and a plural one otherwise, and so does the construct, valid for both.
  if ((parsed.value === 1) !== (parsed.unit === singular)) {
    return `is not a rate Scheduler accepts (the unit is singular for 1, plural otherwise)${SCHEDULE_HINT}`;
  }
  if (parsed.value * (MINUTES[singular] ?? 0) < 5) {
    return 'sweeps more often than every 5 minutes, spending the RDS API rate the clones need';
  }
  return undefined;
}
