import type { DBCluster } from '@aws-sdk/client-rds';
import { loadConfig } from '../shared/config.js';
import { AwsTransient, NotReady, ResourceFailed } from '../shared/errors.js';
import { sendEvent } from '../shared/events.js';
import { createHandler, logger } from '../shared/handler.js';
import type { ClonePlan } from '../shared/plan.js';
import { findCluster } from '../shared/rds.js';

/** The detail-type of the event announcing a clone people can connect to. */
export const CLONE_READY = 'Clone Ready';

/** The plan and the ARN of the secret reset-password wrote. */
export interface Input {
  readonly plan: ClonePlan;
  readonly secretArn: string;
}

/**
 * Everything a person needs to connect to the clone, except the password.
 *
 * It is the clone execution's output and the detail of the `Clone Ready` event, both readable by
 * many: the password stays in the secret named by `secretArn`.
 */
export interface CloneReady {
  readonly cloneId: string;
  readonly clusterIdentifier: string;
  /** The writer endpoint. */
  readonly endpoint: string;
  readonly readerEndpoint: string;
  readonly port: number;
  readonly username: string;
  readonly databaseName: string;
  /** The Secrets Manager secret holding the credentials (standard RDS secret JSON). */
  readonly secretArn: string;
  /** ISO 8601 UTC: when the TTL schedule deletes the clone. */
  readonly expiresAt: string;
  readonly owner: string;
  /** The source cluster as the artifact gave it (identifier or ARN). */
  readonly source: string;
  readonly instanceIdentifiers: readonly string[];
  /** A psql command line without the password (psql reads it from `PGPASSWORD` or asks). */
  readonly psql: string;
}

/** The step's result: the clone's connection details. */
export type Output = CloneReady;

function cloneGone(cloneId: string, cause?: unknown): ResourceFailed {
  return new ResourceFailed(
    `Cluster "${cloneId}" no longer exists, so its endpoint cannot be published; ` +
      'check whether someone deleted it, then run the clone again.',
    { cause },
  );
}

/** Reads the clone's endpoints from RDS: the plan knows names, only RDS knows DNS names. */
async function describeClone(cloneId: string): Promise<DBCluster> {
  const cluster = await findCluster(cloneId);
  if (cluster === undefined) throw cloneGone(cloneId);
  return cluster;
}

/**
 * Publishes the ready clone: returns its connection details and announces them on EventBridge.
 *
 * The output becomes the execution's output (what the CLI prints); the `Clone Ready` event lets
 * other systems (chat notifications, test pipelines) react without polling Step Functions.
 */
export async function publishEndpoint(input: Input): Promise<Output> {
  const { plan, secretArn } = input;
  const config = loadConfig();
  const cluster = await describeClone(plan.cloneId);
  if (!cluster.Endpoint) {
    throw new NotReady(`Cluster "${plan.cloneId}" has no endpoint yet (status ${cluster.Status}); retrying.`);
  }
  const endpoint = cluster.Endpoint;
  const port = cluster.Port ?? plan.port;
  const username = cluster.MasterUsername ?? plan.masterUsername;
  const databaseName = cluster.DatabaseName ?? plan.databaseName;
  const output: CloneReady = {
    cloneId: plan.cloneId,
    clusterIdentifier: cluster.DBClusterIdentifier ?? plan.cloneId,
    endpoint,
    readerEndpoint: cluster.ReaderEndpoint ?? endpoint,
    port,
    username,
    databaseName,
    secretArn,
    expiresAt: plan.expiresAt,
    owner: plan.owner,
    source: plan.source.clusterIdentifier,
    instanceIdentifiers: [...plan.instanceIdentifiers],
    psql: `psql "host=${endpoint} port=${port} dbname=${databaseName} user=${username}"`,
  };

  const refused = await sendEvent(config, CLONE_READY, output);
  if (refused !== undefined) {
    throw new AwsTransient(
      `EventBridge did not accept the "${CLONE_READY}" event for clone "${plan.cloneId}" on bus ` +
        `"${config.eventBusName}" (${refused.ErrorCode ?? 'unknown error'}: ${refused.ErrorMessage ?? 'no message'}); it will be retried.`,
    );
  }
  logger.info('clone published', { cloneId: plan.cloneId, endpoint });
  return output;
}

/** Lambda entry point of the publish-endpoint step. */
export const handler = createHandler('publish-endpoint', publishEndpoint);
