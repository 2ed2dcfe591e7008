/**
 * The statuses of Aurora DB clusters and DB instances that the project waits through or stops at,
 * and the order RDS goes through them, from the Amazon Aurora User Guide ("Viewing DB cluster
 * status", "Viewing Aurora DB instance status") and `reference/aws-facts.md`.
 *
 * The handlers decide with them when a poll loop is done or can never be; both fakes of AWS move
 * their resources through {@link CLUSTER_LIFECYCLES} and {@link INSTANCE_LIFECYCLES}, and a test
 * (`test/local/fakes-agree.test.ts`) checks that each fake shows exactly these sequences.
 */

/**
 * Cluster statuses RDS never leaves by itself ("incompatible-" ones too): waiting longer is
 * pointless. Aurora User Guide: `cloning-failed` ("Cloning a DB cluster failed"),
 * `migration-failed`, `inaccessible-encryption-credentials` ("The KMS key ... can't be accessed"),
 * and, as seen in the flow, `failed`, `incompatible-parameters`, `incompatible-restore`.
 */
export const TERMINAL_CLUSTER_STATUSES: readonly string[] = [
  'failed',
  'cloning-failed',
  'migration-failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
];

/**
 * Instance statuses RDS never leaves by itself ("incompatible-" ones too). Aurora User Guide:
 * `failed` ("The instance has failed and Amazon RDS can't recover it"), `storage-full`,
 * `restore-error`, `inaccessible-encryption-credentials`, `incompatible-parameters`,
 * `incompatible-network`, `incompatible-restore`, ...
 */
export const TERMINAL_INSTANCE_STATUSES: readonly string[] = [
  'failed',
  'inaccessible-encryption-credentials',
  'storage-full',
  'restore-error',
];

/** True for cluster statuses RDS never leaves by itself. */
export function isTerminalClusterStatus(status: string): boolean {
  return TERMINAL_CLUSTER_STATUSES.includes(status) || status.startsWith('incompatible-');
}

/** True for an instance status that will not reach `available` without a person. */
export function isTerminalInstanceStatus(status: string): boolean {
  return TERMINAL_INSTANCE_STATUSES.includes(status) || status.startsWith('incompatible-');
}

/**
 * What a DB cluster shows after each request, in order; after the last status of `delete` the
 * cluster is gone (DescribeDBClusters answers `DBClusterNotFoundFault`).
 *
 * A rename shows `renaming` under the old identifier, then `available` under the new one.
 */
export const CLUSTER_LIFECYCLES = {
  /** `RestoreDBClusterToPointInTime` (a clone) or `RestoreDBClusterFromSnapshot`. */
  restore: ['creating', 'available'],
  /** `ModifyDBCluster MasterUserPassword`: applied at once, whatever `ApplyImmediately` says. */
  masterPassword: ['resetting-master-credentials', 'available'],
  /** `ModifyDBCluster NewDBClusterIdentifier` with `ApplyImmediately`. */
  rename: ['renaming', 'available'],
  /** `DeleteDBCluster`. */
  delete: ['deleting'],
} as const satisfies Record<string, readonly string[]>;

/** What a DB instance shows after each request, in order; after `delete` it is gone. */
export const INSTANCE_LIFECYCLES = {
  /** `CreateDBInstance` in an Aurora cluster. */
  create: ['creating', 'backing-up', 'available'],
  /** `DeleteDBInstance`. */
  delete: ['deleting'],
} as const satisfies Record<string, readonly string[]>;

/** The status after `status` in `lifecycle`; `undefined` after its last one (or for a status not in it). */
export function statusAfter(lifecycle: readonly string[], status: string): string | undefined {
  const at = lifecycle.indexOf(status);
  return at === -1 ? undefined : lifecycle[at + 1];
}
