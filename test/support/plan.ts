import type { ClonePlan } from '../../functions/shared/plan.js';
import { cloneTags, type Tag } from '../../functions/shared/tags.js';

/** The clone execution that made {@link samplePlan}. */
export const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:dbaf-clone:run-1';

/** The sample clone's identity: what its tags are made from unless a test overrides it. */
const SAMPLE = {
  cloneId: 'dbaf-reporting',
  source: {
    clusterIdentifier: 'legacy-prod',
    clusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:legacy-prod',
  },
  owner: 'ana@example.com',
  expiresAt: '2026-11-21T18:00:00Z',
} as const;

/** The tags of {@link samplePlan}: clone `dbaf-reporting` of `legacy-prod`, owned by ana, made by {@link EXECUTION_ARN}. */
export const SAMPLE_TAGS: Tag[] = cloneTags({
  cloneId: SAMPLE.cloneId,
  source: SAMPLE.source.clusterIdentifier,
  owner: SAMPLE.owner,
  expiresAt: SAMPLE.expiresAt,
  executionArn: EXECUTION_ARN,
  createdAt: '2026-11-21T10:00:00Z',
});

/**
 * A complete clone plan, as inspect-source makes it for the sample artifact (clone `dbaf-reporting`
 * of `legacy-prod`, one instance, in the source's subnet group, open to 10.0.0.0/16).
 *
 * The names made from the clone id (security group, instances, secret, schedule) and the tags follow
 * `overrides.cloneId`, `source`, `owner`, `expiresAt` and `executionArn`, unless overridden too;
 * `network` overrides single network fields.
 */
export function samplePlan(
  overrides: Partial<ClonePlan> = {},
  network: Partial<ClonePlan['network']> = {},
): ClonePlan {
  const cloneId = overrides.cloneId ?? SAMPLE.cloneId;
  const executionArn = overrides.executionArn ?? EXECUTION_ARN;
  const source = overrides.source ?? SAMPLE.source;
  const owner = overrides.owner ?? SAMPLE.owner;
  const expiresAt = overrides.expiresAt ?? SAMPLE.expiresAt;
  return {
    cloneId,
    clusterIdentifier: overrides.clusterIdentifier ?? cloneId,
    executionArn,
    source,
    restore: { type: 'latest' },
    engine: 'aurora-postgresql',
    engineVersion: '16.4',
    port: 5432,
    masterUsername: 'postgres_admin',
    databaseName: 'app',
    network: {
      vpcId: 'vpc-0prod',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-1a1b2c3d'],
      dbSubnetGroupName: 'prod-subnets',
      createSubnetGroup: false,
      securityGroupName: cloneId,
      securityGroupId: null,
      allowedCidrs: ['10.0.0.0/16'],
      clientSecurityGroupIds: [],
      ...network,
    },
    instanceClass: 'db.r6g.large',
    instanceIdentifiers: [`${cloneId}-1`],
    dbClusterParameterGroupName: 'prod-cluster-params',
    dbParameterGroupName: 'prod-instance-params',
    tags: cloneTags({
      cloneId,
      source: source.clusterIdentifier,
      owner,
      expiresAt,
      executionArn,
      createdAt: '2026-11-21T10:00:00Z',
    }),
    owner,
    expiresAt,
    finalSnapshot: false,
    secretName: `dbaf/${cloneId}`,
    schedule: { name: cloneId, groupName: 'dbaf' },
    ...overrides,
  };
}
