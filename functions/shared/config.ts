import { ConfigurationError } from './errors.js';
import { readConfig, type TableConfig } from './settings/index.js';

/**
 * Deployment configuration, read from the Lambda environment.
 *
 * Each field is a variable of the settings table (`functions/shared/settings/`), which says which
 * handlers get it: the CDK construct and the local stand-in set exactly those. Read on every
 * invocation (it is cheap) so a configuration change needs no cold start.
 */
export interface Config {
  /** Cluster identifiers or ARNs that may be cloned (`ALLOWED_SOURCES`, comma-separated). */
  readonly allowedSources: readonly string[];
  /** TTL when the artifact gives none (`DEFAULT_TTL`). @default 8h */
  readonly defaultTtlMs: number;
  /** Longest TTL an artifact may ask for (`MAX_TTL`). @default 7d */
  readonly maxTtlMs: number;
  /** Every clone identifier starts with this (`CLONE_NAME_PREFIX`); IAM is scoped to it. @default dbaf- */
  readonly cloneNamePrefix: string;
  /** Client CIDRs admitted when the artifact names none (`DEFAULT_ALLOWED_CIDRS`). @default none */
  readonly defaultAllowedCidrs: readonly string[];
  /** Secrets Manager name prefix of clone secrets (`SECRET_PREFIX`). @default dbaf/ */
  readonly secretPrefix: string;
  /** EventBridge Scheduler group of TTL schedules (`SCHEDULE_GROUP_NAME`). @default dbaf */
  readonly scheduleGroupName: string;
  /** Role EventBridge Scheduler assumes to start the teardown (`SCHEDULER_ROLE_ARN`). */
  readonly schedulerRoleArn: string;
  /** The teardown state machine, target of TTL schedules (`TEARDOWN_STATE_MACHINE_ARN`). */
  readonly teardownStateMachineArn: string;
  /** The clone state machine, whose executions the sweeper checks (`CLONE_STATE_MACHINE_ARN`). */
  readonly cloneStateMachineArn: string;
  /** The refresh state machine, target of refresh schedules (`REFRESH_STATE_MACHINE_ARN`). */
  readonly refreshStateMachineArn: string;
  /**
   * How long past its expiry a clone whose TTL schedule still exists is left to that schedule,
   * before the sweeper deletes it (`SWEEPER_GRACE`). @default 15m
   */
  readonly sweeperGraceMs: number;
  /** Bus for the project's events (`EVENT_BUS_NAME`). @default default */
  readonly eventBusName: string;
  /**
   * ARN of that bus, the target of the expiry warning schedules (`EVENT_BUS_ARN`).
   * @default - the bus named `EVENT_BUS_NAME` in the teardown state machine's region and account, or '' when that is not set either
   */
  readonly eventBusArn: string;
  /**
   * How long before its expiry a clone's `Clone Expiring` event is sent (`EXPIRY_WARNING`); 0 (`off`)
   * sends none. @default 1h
   */
  readonly expiryWarningMs: number;
  /**
   * The longest a clone may live from its creation (its `dbaf:created-at` tag), however often it is
   * extended (`MAX_LIFETIME`); at least `MAX_TTL`. @default 30d
   */
  readonly maxLifetimeMs: number;
  /** Clone ids the maximum lifetime does not apply to (`PROTECTED_CLONES`, comma-separated), lower case. @default none */
  readonly protectedClones: readonly string[];
  /** Clusters to keep free under the region's DB-cluster quota (`QUOTA_HEADROOM`). @default 0 */
  readonly quotaHeadroom: number;
  /** Most clones one owner may have at once (`MAX_CLONES_PER_OWNER`); 0 means no limit. @default 0 */
  readonly maxClonesPerOwner: number;
}

/** The `source` of the project's EventBridge events. */
export const EVENT_SOURCE = 'db-artifact-factory';

/**
 * The ARN of the bus named `name` in the region and account of `sameAccountArn` (any ARN of the
 * deployment, such as the teardown state machine's), or '' when there is none to read them from.
 */
export function eventBusArnOf(name: string, sameAccountArn: string): string {
  if (name.startsWith('arn:')) return name;
  const [, partition, , region, account] = sameAccountArn.split(':');
  if (!partition || !region || !account) return '';
  return `arn:${partition}:events:${region}:${account}:event-bus/${name}`;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

/** Compiles only while `Config` is exactly what the settings table reads, field by field. */
export type ConfigIsTheTable = Expect<Same<Config, TableConfig>>;

/**
 * Reads and checks the configuration (`functions/shared/settings/`): each variable's form, and
 * the rules between the ones a handler gets. A missing variable takes its default.
 *
 * @throws ConfigurationError naming each bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Config = readConfig(env);
  return {
    ...config,
    eventBusArn: config.eventBusArn || eventBusArnOf(config.eventBusName, config.teardownStateMachineArn),
  };
}

/** The value of a setting a handler cannot work without, or a {@link ConfigurationError}. */
export function required(value: string, name: string): string {
  if (value === '') throw new ConfigurationError(`${name} is not set in this function's environment.`);
  return value;
}

/** The cluster identifier in an RDS cluster ARN, or the text itself when it is an identifier. */
export function clusterIdOf(identifierOrArn: string): string {
  return identifierOrArn.startsWith('arn:')
    ? (identifierOrArn.split(':').pop() ?? identifierOrArn)
    : identifierOrArn;
}

/** True when `identifierOrArn` names one of the allowed sources (by identifier or full ARN). */
export function isAllowedSource(config: Config, identifierOrArn: string, arn?: string): boolean {
  const id = clusterIdOf(identifierOrArn).toLowerCase();
  return config.allowedSources.some((allowed) => {
    if (allowed.startsWith('arn:')) return allowed === identifierOrArn || allowed === arn;
    return allowed.toLowerCase() === id && !identifierOrArn.startsWith('arn:');
  });
}
