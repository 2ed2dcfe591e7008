import {
  type DBCluster,
  DBClusterAlreadyExistsFault,
  InvalidDBClusterStateFault,
  ModifyDBClusterCommand,
} from '@aws-sdk/client-rds';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { rds } from '../shared/clients/rds.js';
import { secretsManager } from '../shared/clients/secrets-manager.js';
import { CloneConflict, NotReady, ResourceFailed } from '../shared/errors.js';
import { logger } from '../shared/handler.js';
import type { ClonePlan } from '../shared/plan.js';
import { findCluster, madeByExecution, setMasterPassword } from '../shared/rds.js';
import { isManaged } from '../shared/tags.js';
import type { RefreshSwap, RevertOutcome } from './types.js';

/** What the swap steps take: the plan of the new cluster and the names of this refresh. */
export interface SwapInput {
  readonly plan: ClonePlan;
  readonly swap: RefreshSwap;
}

/** True when this refresh execution made `cluster` (it carries the execution's tag). */
function madeBy(cluster: DBCluster | undefined, plan: ClonePlan): boolean {
  return madeByExecution(cluster, plan.cloneId, plan.executionArn);
}

/** ModifyDBCluster NewDBClusterIdentifier, with ApplyImmediately: RDS moves the endpoint with the name. */
async function rename(from: string, to: string): Promise<void> {
  try {
    await rds.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: from,
        NewDBClusterIdentifier: to,
        ApplyImmediately: true,
      }),
    );
  } catch (error) {
    if (error instanceof InvalidDBClusterStateFault) {
      throw new NotReady(`Cluster "${from}" cannot be renamed to "${to}" yet (${error.message}); retrying.`, {
        cause: error,
      });
    }
    if (error instanceof DBClusterAlreadyExistsFault) {
      throw new CloneConflict(
        `Cluster "${from}" cannot be renamed to "${to}": a cluster of that name already exists.`,
        { cause: error },
      );
    }
    throw error;
  }
  logger.info('cluster rename requested', { from, to });
}

/**
 * Gives the new cluster the clone's password, read from the clone's secret, so consumers that
 * hold the password keep working after the swap. The password never leaves this function.
 */
export async function copyPassword(input: SwapInput): Promise<{ readonly secretName: string }> {
  const { plan } = input;
  const { SecretString } = await secretsManager.send(
    new GetSecretValueCommand({ SecretId: plan.secretName }),
  );
  let password: unknown;
  try {
    password = (JSON.parse(SecretString ?? '{}') as { password?: unknown }).password;
  } catch {
    password = undefined;
  }
  if (typeof password !== 'string' || password === '') {
    throw new ResourceFailed(
      `Secret "${plan.secretName}" of clone "${plan.cloneId}" holds no password field; it was changed outside db-artifact-factory. Delete the clone and make it anew.`,
    );
  }
  await setMasterPassword(
    plan.clusterIdentifier,
    password,
    `The refresh's new cluster "${plan.clusterIdentifier}" disappeared before it got the clone's password; someone deleted it.`,
  );
  logger.info('clone password given to the new cluster', { cluster: plan.clusterIdentifier });
  return { secretName: plan.secretName };
}

/** Moves the clone's current cluster out of the way: `<cloneId>` → `<cloneId>-old`. */
export async function retireOld(input: SwapInput): Promise<{ readonly retiredId: string }> {
  const { plan, swap } = input;
  const done = { retiredId: swap.retiredId };
  const current = await findCluster(plan.cloneId);
  if (current === undefined) {
    // A retry after the rename went through.
    if ((await findCluster(swap.retiredId)) !== undefined) return done;
    throw new ResourceFailed(
      `Clone "${plan.cloneId}" disappeared during its refresh (deleted outside the refresh?); nothing was swapped.`,
    );
  }
  if (current.Status === 'renaming') return done;
  if (madeBy(current, plan)) return done;
  if (!isManaged(current.TagList, plan.cloneId)) {
    throw new CloneConflict(
      `Cluster "${plan.cloneId}" is no longer tagged as this clone's; the refresh does not rename it.`,
    );
  }
  await rename(plan.cloneId, swap.retiredId);
  return done;
}

/** Gives the new cluster the clone's name: `<cloneId>-next` → `<cloneId>`. */
export async function promoteNew(input: SwapInput): Promise<{ readonly clusterIdentifier: string }> {
  const { plan } = input;
  const done = { clusterIdentifier: plan.cloneId };
  // The new cluster first, then the name it moves to: see revert.
  const next = await findCluster(plan.clusterIdentifier);
  const named = await findCluster(plan.cloneId);
  if (madeBy(named, plan)) return done;
  if (next?.Status === 'renaming' && named === undefined) return done;
  if (named !== undefined) {
    throw new NotReady(
      `Cluster "${plan.cloneId}" (${named.Status}) still holds the clone's name; waiting for the old cluster to move away.`,
    );
  }
  if (!madeBy(next, plan)) {
    throw new ResourceFailed(
      `The refresh's new cluster "${plan.clusterIdentifier}" is gone or not this refresh's; it cannot take the clone's place.`,
    );
  }
  await rename(plan.clusterIdentifier, plan.cloneId);
  return done;
}

/**
 * The rollback's first step: puts the old cluster back under the clone's name if the refresh had
 * moved it away, so the clone keeps serving as it was.
 *
 * When the new cluster already holds the clone's name, the swap is done and cannot be undone
 * (a rename cannot be taken back mid-way): the refresh finishes instead of rolling back.
 */
export async function revert(input: SwapInput): Promise<RevertOutcome> {
  const { plan, swap } = input;
  // One look after the other, in the order a rename moves a cluster (<cloneId>-next → <cloneId> →
  // <cloneId>-old): a rename that ends between two looks is seen at one end or the other. Looked
  // at all at once, it can be missed at both, and the old cluster is renamed onto a taken name.
  const next = await findCluster(plan.clusterIdentifier);
  const named = await findCluster(plan.cloneId);
  const retired = await findCluster(swap.retiredId);
  if (madeBy(named, plan) || (named === undefined && next?.Status === 'renaming')) {
    return {
      committed: true,
      renamedBack: false,
      detail: `The new cluster already holds the name ${plan.cloneId}; the refresh finishes instead of rolling back.`,
    };
  }
  if (named?.Status === 'renaming' || retired?.Status === 'renaming') {
    throw new NotReady(
      `The old cluster of ${plan.cloneId} is being renamed; waiting before putting it back.`,
    );
  }
  if (named !== undefined) {
    return {
      committed: false,
      renamedBack: false,
      detail: `The clone's cluster ${plan.cloneId} was never moved; it keeps serving.`,
    };
  }
  if (retired === undefined) {
    return {
      committed: false,
      renamedBack: false,
      detail: `Neither ${plan.cloneId} nor ${swap.retiredId} exists: the clone was deleted during the refresh.`,
    };
  }
  await rename(swap.retiredId, plan.cloneId);
  return {
    committed: false,
    renamedBack: true,
    detail: `The old cluster ${swap.retiredId} is being renamed back to ${plan.cloneId}.`,
  };
}
