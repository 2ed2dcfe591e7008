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
  /** Clones whose cluster is gone but whose schedule, network or secret remain, and whose making has ended. */
  readonly orphans: readonly Orphan[];
  /** The teardown executions this sweep started (none in a dry run). */
  readonly teardownsStarted: readonly string[];
  readonly skipped: readonly Skipped[];
}
