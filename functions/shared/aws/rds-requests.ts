import type { AwsRefusal } from './refusal.js';

/**
 * The region's default RDS quotas, by their `DescribeAccountAttributes` `AccountQuotaName`.
 *
 * Amazon Aurora User Guide, "Quotas in Amazon Aurora": DB clusters 40, DB instances 40 (both
 * adjustable). A restore beyond `DBClusters` answers `DBClusterQuotaExceededFault`.
 */
export const RDS_QUOTAS = { DBClusters: 40, DBInstances: 40 } as const;

/** One of the quota names of {@link RDS_QUOTAS}. */
export type RdsQuotaName = keyof typeof RDS_QUOTAS;

/**
 * What RDS refuses in a `RestoreDBClusterToPointInTime` before it looks at the source; `undefined`
 * when nothing.
 *
 * RDS API Reference, `RestoreToTime`: "Must be specified if UseLatestRestorableTime parameter isn't
 * provided", "Can't be specified if the UseLatestRestorableTime parameter is enabled", "Can't be
 * specified if the RestoreType parameter is copy-on-write".
 */
export function pointInTimeRestoreRefusal(input: {
  readonly RestoreType?: string | undefined;
  readonly RestoreToTime?: Date | undefined;
  readonly UseLatestRestorableTime?: boolean | undefined;
}): AwsRefusal | undefined {
  const name = 'InvalidParameterCombination';
  if (!input.UseLatestRestorableTime && !input.RestoreToTime) {
    return { name, message: 'Either RestoreToTime or UseLatestRestorableTime must be specified.' };
  }
  if (input.UseLatestRestorableTime && input.RestoreToTime) {
    return { name, message: 'Cannot specify both RestoreToTime and UseLatestRestorableTime.' };
  }
  if (input.RestoreToTime && input.RestoreType === 'copy-on-write') {
    return {
      name,
      message: "RestoreToTime can't be specified if the RestoreType parameter is copy-on-write.",
    };
  }
  return undefined;
}

/** A subnet as far as a DB subnet group cares: its VPC and zone. */
export interface PlacedSubnet {
  readonly vpcId: string;
  readonly availabilityZone: string;
}

/**
 * What RDS refuses in the subnets of a new DB subnet group; `undefined` when nothing.
 *
 * RDS API Reference, `CreateDBSubnetGroup` Errors: `InvalidSubnet` ("The requested subnet is
 * invalid"), `DBSubnetGroupDoesNotCoverEnoughAZs` ("Subnets in the DB subnet group should cover at
 * least two Availability Zones unless there is only one Availability Zone"); the subnets must all
 * be in one VPC.
 *
 * @param find the subnet of an id, `undefined` when the account has none of that id
 */
export function subnetGroupRefusal(
  subnetIds: readonly string[],
  find: (id: string) => PlacedSubnet | undefined,
): AwsRefusal | undefined {
  const missing = subnetIds.filter((id) => find(id) === undefined);
  if (missing.length > 0) {
    return { name: 'InvalidSubnet', message: `Some input subnets in :[${missing.join(', ')}] are invalid.` };
  }
  const subnets = subnetIds.map(find).filter((subnet) => subnet !== undefined);
  if (new Set(subnets.map((subnet) => subnet.vpcId)).size > 1) {
    return {
      name: 'InvalidParameterValue',
      message: 'Some of the subnets to be added do not belong to the same VPC.',
    };
  }
  const zones = new Set(subnets.map((subnet) => subnet.availabilityZone)).size;
  if (zones < 2) {
    return {
      name: 'DBSubnetGroupDoesNotCoverEnoughAZs',
      message: `The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ${zones}. Add subnets to cover at least 2 AZs.`,
    };
  }
  return undefined;
}

/** A cluster as far as its identifier goes: the one it has, and the one a rename is moving it to. */
export interface NamedCluster {
  readonly id: string;
  /** While `renaming`: the identifier it will have. */
  readonly renamingTo?: string | undefined;
}

/**
 * True when `id` (as stored, in lower case) belongs to a cluster, or to the rename of one.
 *
 * A cluster keeps its identifier while `renaming` and takes the new one at the end
 * (`ModifyDBCluster` `NewDBClusterIdentifier`), so both names are in use until then: RDS refuses a
 * restore or another rename onto either with `DBClusterAlreadyExistsFault`.
 */
export function clusterIdentifierTaken(id: string, clusters: Iterable<NamedCluster>): boolean {
  for (const cluster of clusters) if (cluster.id === id || cluster.renamingTo === id) return true;
  return false;
}

/**
 * A cluster's endpoints as RDS names them: the identifier, then `cluster-` (`cluster-ro-` for the
 * reader) and a per-account-and-region suffix (Amazon Aurora User Guide, "Types of Aurora
 * endpoints": `mydbcluster.cluster-c7tj4example.us-east-1.rds.amazonaws.com`).
 *
 * The DNS names carry the identifier, so a renamed cluster's endpoint moves with its new name.
 * The stand-in answers `127.0.0.1` instead (its clients must reach it), and moves the port.
 */
export function clusterEndpoints(
  id: string,
  region: string,
  suffix: string,
): { Endpoint: string; ReaderEndpoint: string } {
  return {
    Endpoint: `${id}.cluster-${suffix}.${region}.rds.amazonaws.com`,
    ReaderEndpoint: `${id}.cluster-ro-${suffix}.${region}.rds.amazonaws.com`,
  };
}
