import type { Artifact } from './artifact.js';
import type { Tag } from './tags.js';

/**
 * The clone plan: everything the steps after inspect-source need, resolved once.
 *
 * It travels in the execution state as `$.plan` and holds no secret. Optional
 * values are `null`, never missing, so JSONPath references in the ASL resolve.
 */
export interface ClonePlan {
  /** The clone's DB cluster identifier; also names its subnet group, security group, secret and schedule. */
  readonly cloneId: string;
  /**
   * The DB cluster this plan creates: the clone id, or for a refresh the cluster built beside the
   * clone (`<cloneId>-next`) that takes its place once ready.
   */
  readonly clusterIdentifier: string;
  /** The clone execution that made this plan; every resource is tagged with it. */
  readonly executionArn: string;
  readonly source: {
    /** As given in the artifact: identifier, or ARN for a shared source. */
    readonly clusterIdentifier: string;
    readonly clusterArn: string;
  };
  readonly restore: Artifact['source']['restore'];
  /** `aurora-postgresql`. */
  readonly engine: string;
  readonly engineVersion: string;
  readonly port: number;
  /** Inherited from the source (a clone keeps its master username). */
  readonly masterUsername: string;
  readonly databaseName: string;
  readonly network: {
    readonly vpcId: string;
    readonly subnetIds: readonly string[];
    /** The source's subnet group, or the clone's own (named after the clone) when subnets are explicit. */
    readonly dbSubnetGroupName: string;
    readonly createSubnetGroup: boolean;
    /** Name of the security group made for the clone (= cloneId). */
    readonly securityGroupName: string;
    /**
     * The clone's existing security group, for a refresh: the network is the clone's and is
     * neither created nor changed. `null` when the plan creates the network.
     */
    readonly securityGroupId: string | null;
    /** Client networks admitted on the port. */
    readonly allowedCidrs: readonly string[];
    /** Client security groups admitted on the port. */
    readonly clientSecurityGroupIds: readonly string[];
  };
  readonly instanceClass: string;
  /** Instance identifiers to create: `<cloneId>-1` (writer), `<cloneId>-2`, ... */
  readonly instanceIdentifiers: readonly string[];
  readonly dbClusterParameterGroupName: string | null;
  readonly dbParameterGroupName: string | null;
  /** The project's tags then the user's, for every resource. */
  readonly tags: readonly Tag[];
  readonly owner: string;
  /** ISO 8601, whole seconds, UTC. */
  readonly expiresAt: string;
  readonly finalSnapshot: boolean;
  /** Secrets Manager name of the clone's credentials secret (`<SECRET_PREFIX><cloneId>`). */
  readonly secretName: string;
  /** EventBridge Scheduler schedule that deletes the clone at `expiresAt`. */
  readonly schedule: { readonly name: string; readonly groupName: string };
}

/** What restore-clone-cluster made, as `$.cluster`. */
export interface CloneCluster {
  readonly clusterIdentifier: string;
  readonly clusterArn: string;
  readonly endpoint: string;
  readonly readerEndpoint: string;
  readonly port: number;
  readonly dbSubnetGroupName: string;
  readonly securityGroupId: string;
}

/** What the teardown state machine takes (from a TTL schedule, a user, or a rollback). */
export interface TeardownRequest {
  readonly cloneId: string;
  /** Why: `ttl-expired`, `rollback`, `user`, `sweeper-expired`, `sweeper-orphan`, `max-lifetime`. */
  readonly reason?: string;
  /** Take a final cluster snapshot named `<cloneId>-final`. @default false */
  readonly finalSnapshot?: boolean;
  /**
   * Rollback only: touch nothing but what this execution created (its `dbaf:execution-arn` tag),
   * so a failed clone can never remove an older clone of the same name.
   */
  readonly onlyExecutionArn?: string | null;
  /**
   * The cluster to delete, when it is not the clone's own: the cluster a refresh built
   * (`<cloneId>-next`, in the refresh's rollback) or the one it replaced (`<cloneId>-old`).
   * @default the clone id
   */
  readonly clusterIdentifier?: string | null;
  /**
   * `clone`: everything of the clone. `cluster`: only `clusterIdentifier` and its instances; the
   * clone's schedule, network and secret stay (a refresh's old or new cluster shares them).
   * @default 'clone'
   */
  readonly scope?: 'clone' | 'cluster' | null;
}
