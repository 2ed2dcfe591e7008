/** What the sweeper state machine passes its Lambda. */
export interface SweepRequest {
  /** Report what would be done, start no teardown and send no event. @default false */
  readonly dryRun?: boolean;
}

/** The kinds of resource a clone leaves behind besides its cluster and instances. */
export type LeftoverType = 'schedule' | 'security-group' | 'subnet-group' | 'secret';

/** One resource of a clone whose cluster is gone. */
export interface Leftover {
  readonly type: LeftoverType;
  /** Schedule name, security group id, subnet group name or secret name. */
  readonly id: string;
}

/** A managed clone past its expiry that the sweeper deletes. */
export interface ExpiredClone {
  readonly cloneId: string;
  /** The clone's `dbaf:expires-at` tag. */
  readonly expiresAt: string;
  /** True when its TTL schedule is gone (lost, or deleted by hand); false when it failed to fire. */
  readonly scheduleMissing: boolean;
}

/** A managed clone that has lived longer than the deployment's maximum lifetime, which the sweeper deletes. */
export interface OverLifetimeClone {
  readonly cloneId: string;
  /** When it was first made: its `dbaf:created-at` tag, or its cluster's creation. */
  readonly createdAt: string;
  /** When its maximum lifetime ended. */
  readonly lifetimeEndedAt: string;
  /** Its `dbaf:expires-at` tag: later, so its TTL schedule was pushed past the lifetime by hand. */
  readonly expiresAt: string;
}

/** What is left of a clone whose cluster no longer exists. */
export interface Orphan {
  readonly cloneId: string;
  readonly resources: readonly Leftover[];
}

/** Something the sweeper found and deliberately left alone, with the reason, for a person to read. */
export interface Skipped {
  /** The clone it belongs to, or `null` when nothing says which clone that is. */
  readonly cloneId: string | null;
  readonly reason: string;
}

/**
 * What one sweep found and did: the sweeper execution's output and the detail of the
 * `Sweep Completed` event. Names and times only: never a secret value.
 */
export interface SweepReport {
  readonly dryRun: boolean;
  /** Clones due for deletion: past their expiry with no schedule left, or past it by more than the grace. */
  readonly expired: readonly ExpiredClone[];
  /** Unprotected clones past their maximum lifetime (`MAX_LIFETIME` from creation), though not yet expired. */
  readonly overLifetime: readonly OverLifetimeClone[];
  /** Clones whose cluster is gone but whose schedule, network or secret remain, and whose making has ended. */
  readonly orphans: readonly Orphan[];
  /** The teardown executions this sweep started (none in a dry run). */
  readonly teardownsStarted: readonly string[];
  readonly skipped: readonly Skipped[];
}
