import {
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import {
  DBSubnetGroupNotFoundFault,
  DeleteDBSubnetGroupCommand,
  InvalidDBSubnetGroupStateFault,
} from '@aws-sdk/client-rds';
import { ec2 } from '../../shared/clients/ec2.js';
import { rds } from '../../shared/clients/rds.js';
import { isAwsError, NotReady } from '../../shared/errors.js';
import type { TeardownRequest } from '../../shared/plan.js';
import { findSubnetGroup, subnetGroupTags } from '../../shared/rds.js';
import { MANAGED_BY, TAG } from '../../shared/tags.js';
import { Verdict, verdictFor } from '../safety.js';
import type { StepResult } from '../types.js';

/** The security groups tagged for this clone by this project. */
export async function findSecurityGroups(cloneId: string): Promise<SecurityGroup[]> {
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: `tag:${TAG.cloneId}`, Values: [cloneId] },
        { Name: `tag:${TAG.managedBy}`, Values: [MANAGED_BY] },
      ],
    }),
  );
  return SecurityGroups;
}

/**
 * Deletes the clone's own DB subnet group and security groups.
 *
 * Runs after the cluster is gone: until RDS releases the cluster's network interfaces
 * both deletes fail as "in use", which is {@link NotReady} and retried. A clone on the
 * source's subnet group has none named after it, so the source's is never touched.
 */
export async function deleteNetwork(request: TeardownRequest): Promise<StepResult> {
  const { cloneId } = request;
  const skipped: string[] = [];
  let subnetGroup = await findSubnetGroup(cloneId);
  const tags = subnetGroup === undefined ? undefined : await subnetGroupTags(subnetGroup.arn);
  // Deleted between the two calls (by a teardown running beside this one): nothing left to delete.
  if (tags === undefined) subnetGroup = undefined;
  if (subnetGroup !== undefined) {
    if (verdictFor(`DB subnet group "${subnetGroup.name}"`, tags, request) === Verdict.skip) {
      skipped.push(subnetGroup.name);
      subnetGroup = undefined;
    }
  }
  const groups: string[] = [];
  for (const group of await findSecurityGroups(cloneId)) {
    const id = group.GroupId ?? '';
    const verdict = verdictFor(`Security group "${id}" (${group.GroupName})`, group.Tags, request);
    if (verdict === Verdict.skip) skipped.push(id);
    else groups.push(id);
  }

  const deleted: string[] = [];
  if (subnetGroup !== undefined) {
    try {
      await rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: subnetGroup.name }));
      deleted.push(subnetGroup.name);
    } catch (error) {
      if (error instanceof InvalidDBSubnetGroupStateFault) {
        throw new NotReady(
          `DB subnet group "${subnetGroup.name}" is still in use (the clone's cluster is still being deleted); will retry.`,
          { cause: error },
        );
      }
      if (!(error instanceof DBSubnetGroupNotFoundFault)) throw error;
    }
  }
  for (const id of groups) {
    try {
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId: id }));
      deleted.push(id);
    } catch (error) {
      if (isAwsError(error, 'DependencyViolation')) {
        throw new NotReady(
          `Security group "${id}" is still in use (the network interfaces of the deleted cluster are still being released); will retry.`,
          { cause: error },
        );
      }
      if (!isAwsError(error, 'InvalidGroup.NotFound')) throw error;
    }
  }
  return { step: 'network', deleted, alreadyGone: deleted.length === 0 && skipped.length === 0, skipped };
}
