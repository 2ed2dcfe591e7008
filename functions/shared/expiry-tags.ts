import { CreateTagsCommand, DescribeSecurityGroupsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  AddTagsToResourceCommand,
  type DBCluster,
  DBClusterNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  DescribeSecretCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { RefusedTarget } from './errors.js';
import { isManaged, MANAGED_BY, TAG } from './tags.js';

/** The clients the expiry is written with: the Lambdas' own (`functions/shared/clients/`). */
export interface ExpiryClients {
  readonly scheduler: SchedulerClient;
  readonly rds: RDSClient;
  readonly ec2: EC2Client;
  readonly secrets: SecretsManagerClient;
}

/** What of a clone carries its `dbaf:expires-at` tag, found by its id and checked by its tags. */
export interface TaggedResources {
  /** The cluster's ARN, or undefined while the clone has no cluster yet. */
  readonly clusterArn: string | undefined;
  /** ARNs of the cluster's instances. */
  readonly instanceArns: readonly string[];
  /** The secret `<SECRET_PREFIX><cloneId>`, when it exists and is the clone's. */
  readonly secret: { readonly name: string; readonly arn: string } | undefined;
  readonly securityGroupIds: readonly string[];
  /** ARN of the clone's own DB subnet group (explicit subnets only). */
  readonly subnetGroupArn: string | undefined;
}

async function findCluster(rds: RDSClient, cloneId: string): Promise<DBCluster | undefined> {
  try {
    const { DBClusters } = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cloneId }));
    return DBClusters?.[0];
  } catch (error) {
    if (error instanceof DBClusterNotFoundFault) return undefined;
    throw error;
  }
}

async function findSubnetGroupArn(rds: RDSClient, cloneId: string): Promise<string | undefined> {
  try {
    const { DBSubnetGroups } = await rds.send(
      new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: cloneId }),
    );
    const arn = DBSubnetGroups?.[0]?.DBSubnetGroupArn;
    if (arn === undefined) return undefined;
    const { TagList } = await rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    return isManaged(TagList, cloneId) ? arn : undefined;
  } catch (error) {
    // Gone between the two calls, or never made (the clone uses its source's subnet group).
    if (error instanceof DBSubnetGroupNotFoundFault) return undefined;
    throw error;
  }
}

async function findSecret(
  secrets: SecretsManagerClient,
  name: string,
  cloneId: string,
): Promise<TaggedResources['secret']> {
  try {
    const secret = await secrets.send(new DescribeSecretCommand({ SecretId: name }));
    if (secret.DeletedDate !== undefined || !isManaged(secret.Tags, cloneId)) return undefined;
    return { name, arn: secret.ARN ?? name };
  } catch (error) {
    // A clone still being made has no secret yet; reset-password tags it from the plan then.
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Finds what of the clone carries the expiry tag: the cluster and its instances, the secret, the
 * security groups and the clone's own subnet group. Only resources tagged for this clone count.
 *
 * @throws RefusedTarget when a cluster of that name exists that the project did not make for it.
 */
export async function findTaggedResources(
  clients: ExpiryClients,
  cloneId: string,
  secretName: string,
): Promise<TaggedResources> {
  const [cluster, secret, groups, subnetGroupArn] = await Promise.all([
    findCluster(clients.rds, cloneId),
    findSecret(clients.secrets, secretName, cloneId),
    clients.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: `tag:${TAG.cloneId}`, Values: [cloneId] },
          { Name: `tag:${TAG.managedBy}`, Values: [MANAGED_BY] },
        ],
      }),
    ),
    findSubnetGroupArn(clients.rds, cloneId),
  ]);
  if (cluster !== undefined && !isManaged(cluster.TagList, cloneId)) {
    throw new RefusedTarget(
      `DB cluster "${cloneId}" was not made by db-artifact-factory for this clone (its ${TAG.managedBy} and ${TAG.cloneId} tags say otherwise): its expiry is not ours to move.`,
    );
  }
  const clusterArn = cluster?.DBClusterArn;
  const instanceArns =
    clusterArn === undefined
      ? []
      : (cluster?.DBClusterMembers ?? []).flatMap((member) =>
          member.DBInstanceIdentifier === undefined
            ? []
            : [clusterArn.replace(/:cluster:[^:]+$/, `:db:${member.DBInstanceIdentifier}`)],
        );
  return {
    clusterArn,
    instanceArns,
    secret,
    securityGroupIds: (groups.SecurityGroups ?? []).flatMap((group) =>
      group.GroupId === undefined || !isManaged(group.Tags, cloneId) ? [] : [group.GroupId],
    ),
    subnetGroupArn,
  };
}

/**
 * Writes `dbaf:expires-at` on every resource found, the cluster last: callers that compute a new
 * expiry from the cluster's tag (`dbaf extend`) can then repeat a call that failed half way and
 * reach the same time. Returns what it tagged (ARNs and security group ids).
 */
export async function writeExpiryTags(
  clients: ExpiryClients,
  resources: TaggedResources,
  expiresAt: string,
): Promise<string[]> {
  const tag = [{ Key: TAG.expiresAt, Value: expiresAt }];
  const tagged: string[] = [];
  const rdsArns = [
    ...resources.instanceArns,
    ...(resources.subnetGroupArn ? [resources.subnetGroupArn] : []),
  ];
  for (const arn of rdsArns) {
    await clients.rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: tag }));
    tagged.push(arn);
  }
  if (resources.secret !== undefined) {
    await clients.secrets.send(new TagResourceCommand({ SecretId: resources.secret.name, Tags: tag }));
    tagged.push(resources.secret.arn);
  }
  if (resources.securityGroupIds.length > 0) {
    await clients.ec2.send(new CreateTagsCommand({ Resources: [...resources.securityGroupIds], Tags: tag }));
    tagged.push(...resources.securityGroupIds);
  }
  if (resources.clusterArn !== undefined) {
    await clients.rds.send(new AddTagsToResourceCommand({ ResourceName: resources.clusterArn, Tags: tag }));
    tagged.push(resources.clusterArn);
  }
  return tagged;
}
