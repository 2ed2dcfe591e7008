import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MANAGED_BY, TAG } from '../../functions/shared/tags.js';
import { sdkConfig } from './support.js';

/**
 * Every resource carrying the project's managed-by tag (or in its schedule group) that still
 * exists; only those of one clone when `cloneId` is given.
 */
export async function managedLeftovers(endpoint: string, cloneId?: string): Promise<string[]> {
  const rds = new RDSClient(sdkConfig(endpoint));
  const managed = (tags: { Key?: string; Value?: string }[] | undefined) =>
    tags?.some((t) => t.Key === TAG.managedBy && t.Value === MANAGED_BY) === true &&
    (cloneId === undefined || tags?.some((t) => t.Key === TAG.cloneId && t.Value === cloneId) === true);
  const found: string[] = [];
  const { DBClusters = [] } = await rds.send(new DescribeDBClustersCommand({}));
  found.push(...DBClusters.filter((c) => managed(c.TagList)).map((c) => `cluster ${c.DBClusterIdentifier}`));
  const { DBInstances = [] } = await rds.send(new DescribeDBInstancesCommand({}));
  found.push(
    ...DBInstances.filter((i) => managed(i.TagList)).map((i) => `instance ${i.DBInstanceIdentifier}`),
  );
  const { DBSubnetGroups = [] } = await rds.send(new DescribeDBSubnetGroupsCommand({}));
  for (const group of DBSubnetGroups) {
    const listed = await rds
      .send(new ListTagsForResourceCommand({ ResourceName: group.DBSubnetGroupArn }))
      // Deleted since it was listed (a teardown is running): gone.
      .catch((error: Error) => {
        if (error.name === 'DBSubnetGroupNotFoundFault') return { TagList: [] };
        throw error;
      });
    if (managed(listed.TagList)) found.push(`subnet group ${group.DBSubnetGroupName}`);
  }
  const ec2 = new EC2Client(sdkConfig(endpoint));
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${TAG.managedBy}`, Values: [MANAGED_BY] }] }),
  );
  found.push(...SecurityGroups.filter((g) => managed(g.Tags)).map((g) => `security group ${g.GroupId}`));
  const secrets = new SecretsManagerClient(sdkConfig(endpoint));
  const { SecretList = [] } = await secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
  found.push(...SecretList.filter((s) => managed(s.Tags)).map((s) => `secret ${s.Name}`));
  const scheduler = new SchedulerClient(sdkConfig(endpoint));
  const { Schedules = [] } = await scheduler.send(new ListSchedulesCommand({ GroupName: 'dbaf' }));
  found.push(
    ...Schedules.filter((s) => cloneId === undefined || s.Name?.includes(cloneId)).map(
      (s) => `schedule ${s.Name}`,
    ),
  );
  return found;
}
