import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { cloneIdForName } from '../shared/artifact.js';
import { ec2 } from '../shared/clients/ec2.js';
import { rds } from '../shared/clients/rds.js';
import { scheduler } from '../shared/clients/scheduler.js';
import { secretsManager } from '../shared/clients/secrets-manager.js';
import { loadConfig } from '../shared/config.js';
import { causeText, NotReady } from '../shared/errors.js';
import { sendEvent } from '../shared/events.js';
import { moveExpiry } from '../shared/expiry.js';
import { logger } from '../shared/handler.js';
import type { ClonePlan } from '../shared/plan.js';
import { findCluster } from '../shared/rds.js';
import type { SwapInput } from './swap.js';
import type { RefreshResult } from './types.js';

/** The event a finished refresh sends; its detail is the {@link RefreshResult}. */
export const CLONE_REFRESHED = 'Clone Refreshed';
/** The event a failed refresh sends, after its rollback. */
export const CLONE_REFRESH_FAILED = 'Clone Refresh Failed';

/** What the finish step takes. */
export interface FinishInput extends SwapInput {
  readonly reason: string;
}

/**
 * Points the clone's secret at the cluster now under its name. The host and port are normally
 * unchanged (the endpoint follows the name), and so is the password: the secret keeps its ARN and
 * is written only when something in it differs.
 */
async function pointSecret(plan: ClonePlan, endpoint: string, port: number): Promise<string> {
  const current = await secretsManager.send(new GetSecretValueCommand({ SecretId: plan.secretName }));
  const value = JSON.parse(current.SecretString ?? '{}') as Record<string, unknown>;
  const wanted = { ...value, host: endpoint, port, dbClusterIdentifier: plan.cloneId };
  if (Object.entries(wanted).some(([key, item]) => value[key] !== item)) {
    await secretsManager.send(
      new PutSecretValueCommand({ SecretId: plan.secretName, SecretString: JSON.stringify(wanted) }),
    );
    logger.info('clone secret pointed at the refreshed cluster', { secretName: plan.secretName });
  }
  return current.ARN ?? plan.secretName;
}

/**
 * Once the new cluster holds the clone's name: the secret points at it (same ARN, same password),
 * the TTL counts from the refresh, and `Clone Refreshed` announces it. The old cluster is deleted
 * by the next state.
 */
export async function finishRefresh(input: FinishInput): Promise<RefreshResult> {
  const config = loadConfig();
  const { plan, swap } = input;
  const cluster = await findCluster(plan.cloneId);
  if (cluster?.Endpoint === undefined) {
    throw new NotReady(`The refreshed cluster ${plan.cloneId} reports no endpoint yet; retrying.`);
  }
  const port = cluster.Port ?? plan.port;
  const secretArn = await pointSecret(plan, cluster.Endpoint, port);
  // The new cluster and its instances carry the new expiry already; the schedules and the rest follow.
  await moveExpiry({ rds, scheduler, ec2, secrets: secretsManager }, config, {
    cloneId: plan.cloneId,
    expiresAt: plan.expiresAt,
    owner: plan.owner,
    source: plan.source.clusterIdentifier,
  });
  const result: RefreshResult = {
    cloneId: plan.cloneId,
    reason: input.reason,
    endpoint: cluster.Endpoint,
    readerEndpoint: cluster.ReaderEndpoint ?? cluster.Endpoint,
    port,
    secretArn,
    expiresAt: plan.expiresAt,
    source: plan.source.clusterIdentifier,
    owner: plan.owner,
    instanceIdentifiers: [...plan.instanceIdentifiers],
    replaced: swap.retiredId,
  };
  if ((await sendEvent(config, CLONE_REFRESHED, result)) !== undefined) {
    logger.warn('the Clone Refreshed event was not accepted', { cloneId: plan.cloneId });
  }
  return result;
}

/** What the report step takes: the execution's input and the error that ended the refresh. */
export interface ReportInput {
  readonly request: { readonly artifact?: { readonly target?: { readonly cloneName?: unknown } } } | null;
  readonly cloneId?: string | null;
  readonly error: { readonly Error?: string; readonly Cause?: string } | null;
}

/**
 * Announces a failed refresh (`Clone Refresh Failed`), after the rollback: the clone, if it
 * existed, is serving as before. The execution then fails with the same error.
 */
export async function reportFailure(input: ReportInput): Promise<{ readonly reported: boolean }> {
  const config = loadConfig();
  const named = input.request?.artifact?.target?.cloneName;
  const cloneId =
    input.cloneId ?? (typeof named === 'string' ? cloneIdForName(named, config.cloneNamePrefix) : null);
  const detail = {
    cloneId,
    error: input.error?.Error ?? 'Unknown',
    cause: causeText(input.error?.Cause) || 'no cause given',
  };
  const reported = (await sendEvent(config, CLONE_REFRESH_FAILED, detail)) === undefined;
  if (!reported) logger.warn('the Clone Refresh Failed event was not accepted', { cloneId });
  return { reported };
}
