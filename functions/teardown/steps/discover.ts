import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetScheduleCommand, ResourceNotFoundException } from '@aws-sdk/client-scheduler';
import { rds } from '../../shared/clients/rds.js';
import { scheduler } from '../../shared/clients/scheduler.js';
import type { Config } from '../../shared/config.js';
import { ttlScheduleName, warningScheduleName } from '../../shared/names.js';
import type { TeardownRequest } from '../../shared/plan.js';
import { findCluster, findSubnetGroup } from '../../shared/rds.js';
import { clusterOf, isClusterOnly, refreshClusters, verdictFor } from '../safety.js';
import type { Discovery } from '../types.js';
import { findSecurityGroups } from './network.js';
import { findSecret } from './secret.js';

async function findSchedule(name: string, groupName: string): Promise<string | null> {
  try {
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: groupName }));
    return schedule.Name ?? name;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}

/**
 * Reports what exists of the clone now, changing nothing.
 *
 * A cluster under the clone's name that the project did not create stops the whole
 * teardown here, before the first delete. Each deleting step still checks the tags of
 * what it is about to delete, at the moment it deletes it.
 */
export async function discover(request: TeardownRequest, config: Config): Promise<Discovery> {
  const { cloneId } = request;
  const clusterIdentifier = clusterOf(request);
  const whole = !isClusterOnly(request);
  const [cluster, instances, subnetGroup, securityGroups, secret, schedule, warningSchedule, others] =
    await Promise.all([
      findCluster(clusterIdentifier),
      rds.send(
        new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [clusterIdentifier] }] }),
      ),
      whole ? findSubnetGroup(cloneId) : undefined,
      whole ? findSecurityGroups(cloneId) : [],
      whole ? findSecret(`${config.secretPrefix}${cloneId}`) : undefined,
      whole ? findSchedule(ttlScheduleName(cloneId), config.scheduleGroupName) : null,
      whole ? findSchedule(warningScheduleName(cloneId), config.scheduleGroupName) : null,
      whole ? refreshClusters(cloneId) : [],
    ]);
  if (cluster !== undefined) verdictFor(`DB cluster ${clusterIdentifier}`, cluster.TagList, request);
  return {
    cloneId,
    clusterIdentifier,
    refreshClusters: others,
    cluster: cluster === undefined ? null : { status: cluster.Status ?? 'unknown' },
    instanceIdentifiers: (instances.DBInstances ?? []).flatMap((i) =>
      i.DBInstanceIdentifier === undefined ? [] : [i.DBInstanceIdentifier],
    ),
    subnetGroup: subnetGroup?.name ?? null,
    securityGroupIds: securityGroups.flatMap((g) => (g.GroupId === undefined ? [] : [g.GroupId])),
    secretArn: secret === undefined || secret.DeletedDate !== undefined ? null : (secret.ARN ?? null),
    schedule,
    warningSchedule,
  };
}
