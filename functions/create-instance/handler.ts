import {
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  type DBInstance,
  DBInstanceAlreadyExistsFault,
  InsufficientDBInstanceCapacityFault,
  InvalidDBClusterStateFault,
} from '@aws-sdk/client-rds';
import { rds } from '../shared/clients/rds.js';
import { CloneConflict, NotReady, ResourceFailed } from '../shared/errors.js';
import { createHandler } from '../shared/handler.js';
import type { ClonePlan } from '../shared/plan.js';
import { findInstance } from '../shared/rds.js';
import { isManaged } from '../shared/tags.js';

/** The plan made by inspect-source. */
export interface Input {
  readonly plan: ClonePlan;
}

/** The clone's instances, writer first. */
export interface Output {
  readonly instanceIdentifiers: string[];
}

/** Aurora's highest (least preferred) failover promotion tier. */
const MAX_PROMOTION_TIER = 15;

/** Accepts an existing instance only when it was made for this clone and sits in its cluster. */
function checkOwned(plan: ClonePlan, instanceId: string, instance: DBInstance): void {
  const inCluster = instance.DBClusterIdentifier?.toLowerCase() === plan.clusterIdentifier.toLowerCase();
  if (isManaged(instance.TagList, plan.cloneId) && inCluster) return;
  const where = instance.DBClusterIdentifier
    ? `in cluster "${instance.DBClusterIdentifier}"`
    : 'outside any cluster';
  throw new CloneConflict(
    `A DB instance named "${instanceId}" already exists (${where}) and was not made for clone "${plan.cloneId}"; choose another target.cloneName or delete that instance first.`,
  );
}

async function createInstance(plan: ClonePlan, instanceId: string, index: number): Promise<void> {
  try {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: instanceId,
        DBClusterIdentifier: plan.clusterIdentifier,
        DBInstanceClass: plan.instanceClass,
        Engine: plan.engine,
        ...(plan.dbParameterGroupName === null ? {} : { DBParameterGroupName: plan.dbParameterGroupName }),
        PubliclyAccessible: false,
        PromotionTier: Math.min(index, MAX_PROMOTION_TIER),
        Tags: [...plan.tags],
      }),
    );
  } catch (error) {
    if (error instanceof DBInstanceAlreadyExistsFault) {
      // A retry raced us: accept it only if it is ours.
      const raced = await findInstance(instanceId);
      if (raced === undefined) {
        throw new NotReady(
          `DB instance "${instanceId}" is reported as existing but cannot be described yet; this step will be retried.`,
          { cause: error },
        );
      }
      checkOwned(plan, instanceId, raced);
      return;
    }
    const options = { cause: error };
    if (error instanceof InvalidDBClusterStateFault) {
      throw new NotReady(
        `Clone cluster "${plan.clusterIdentifier}" cannot take instance "${instanceId}" yet (AWS: ${error.message}); this step will be retried.`,
        options,
      );
    }
    if (error instanceof InsufficientDBInstanceCapacityFault) {
      throw new ResourceFailed(
        `AWS has no capacity for class ${plan.instanceClass} (instance "${instanceId}" of clone "${plan.cloneId}"); choose another target.instanceClass.`,
        options,
      );
    }
    if (error instanceof DBClusterNotFoundFault) {
      throw new ResourceFailed(
        `Clone cluster "${plan.clusterIdentifier}" vanished before instance "${instanceId}" was created; it was deleted outside this workflow. Start a new clone.`,
        options,
      );
    }
    throw error;
  }
}

/**
 * Adds the clone's instances (writer first) to the restored cluster; instances that already exist
 * for this clone are skipped.
 *
 * A restored Aurora cluster has no instance and serves no connection until this step runs. One
 * instance at a time keeps the step well inside RDS's API rate limit.
 */
export async function createInstances(input: Input): Promise<Output> {
  const { plan } = input;
  for (const [index, instanceId] of plan.instanceIdentifiers.entries()) {
    const existing = await findInstance(instanceId);
    if (existing !== undefined) {
      checkOwned(plan, instanceId, existing);
      continue;
    }
    await createInstance(plan, instanceId, index);
  }
  return { instanceIdentifiers: [...plan.instanceIdentifiers] };
}

/** Lambda entry point of the `create-instance` state. */
export const handler = createHandler('create-instance', createInstances);
