/**
 * How long RDS takes, in AWS time (milliseconds), before the stand-in's clock scales it.
 *
 * Modelled on `reference/aws-facts.md`: a clone cluster is ready in a few minutes, a DB
 * instance takes five to ten, and the whole clone about ten minutes ("most of that time
 * spent provisioning a new RDS instance").
 */
export const RDS_TIMING = {
  /** RestoreDBClusterToPointInTime (copy-on-write): `creating` → `available`. */
  clusterCreate: 4 * 60_000,
  /** CreateDBInstance: `creating` → `backing-up`. */
  instanceCreate: 5 * 60_000,
  /** `backing-up` → `available`. */
  instanceBackup: 60_000,
  /** ModifyDBCluster MasterUserPassword: `resetting-master-credentials` → `available`. */
  passwordReset: 60_000,
  /** ModifyDBCluster NewDBClusterIdentifier: `renaming` → `available`. */
  rename: 60_000,
  /** DeleteDBInstance: `deleting` → gone. */
  instanceDelete: 3 * 60_000,
  /** DeleteDBCluster: `deleting` → gone. */
  clusterDelete: 2 * 60_000,
} as const;
