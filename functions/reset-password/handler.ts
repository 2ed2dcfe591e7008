import {
  CreateSecretCommand,
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import { secretsManager } from '../shared/clients/secrets-manager.js';
import { CloneConflict } from '../shared/errors.js';
import { createHandler, logger } from '../shared/handler.js';
import type { CloneCluster, ClonePlan } from '../shared/plan.js';
import { setMasterPassword } from '../shared/rds.js';
import { isManaged, TAG, tagValue } from '../shared/tags.js';
import { generatePassword } from './password.js';

/** The plan and the restored cluster, as the clone state machine passes them. */
export interface Input {
  readonly plan: ClonePlan;
  readonly cluster: CloneCluster;
}

/** Where the clone's credentials live; never the password itself (state is visible in execution history). */
export interface Output {
  readonly secretArn: string;
  readonly secretName: string;
}

/** The standard RDS secret shape, so RDS Proxy, the console and rotation functions understand it. */
interface RdsSecret {
  readonly engine: 'postgres';
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly dbname: string;
  readonly dbClusterIdentifier: string;
}

/**
 * Refuses the secret already named `plan.secretName` unless it is this clone's and usable.
 *
 * A retry (or a crash after CreateSecret) finds its own secret; anything else is left untouched.
 */
function checkExistingSecret(plan: ClonePlan, existing: DescribeSecretCommandOutput, cause: unknown): void {
  if (!isManaged(existing.Tags, plan.cloneId)) {
    const owner = tagValue(existing.Tags, TAG.cloneId);
    throw new CloneConflict(
      `Secret "${plan.secretName}" already exists and was not created for clone "${plan.cloneId}"` +
        `${owner ? ` (it belongs to clone "${owner}")` : ' (it has no db-artifact-factory tags)'}. ` +
        'Choose another clone name, or delete or rename that secret if it is no longer needed.',
      { cause },
    );
  }
  if (existing.DeletedDate !== undefined) {
    throw new CloneConflict(
      `Secret "${plan.secretName}" of clone "${plan.cloneId}" is scheduled for deletion ` +
        `(since ${existing.DeletedDate.toISOString()}). Restore it (aws secretsmanager restore-secret ` +
        `--secret-id "${plan.secretName}") or force-delete it (aws secretsmanager delete-secret ` +
        `--secret-id "${plan.secretName}" --force-delete-without-recovery), then run the clone again.`,
      { cause },
    );
  }
}

/** Overwrites the value of the clone's existing secret, after {@link checkExistingSecret}. */
async function overwriteExistingSecret(
  plan: ClonePlan,
  secretString: string,
  cause: unknown,
): Promise<string> {
  const existing = await secretsManager.send(new DescribeSecretCommand({ SecretId: plan.secretName }));
  checkExistingSecret(plan, existing, cause);
  const put = await secretsManager.send(
    new PutSecretValueCommand({ SecretId: plan.secretName, SecretString: secretString }),
  );
  return put.ARN ?? existing.ARN ?? plan.secretName;
}

/**
 * Explains a CreateSecret InvalidRequestException caused by a same-named secret pending deletion.
 *
 * Secrets Manager reports that case this way rather than as ResourceExistsException.
 */
async function explainInvalidRequest(plan: ClonePlan, cause: InvalidRequestException): Promise<never> {
  let existing: DescribeSecretCommandOutput;
  try {
    existing = await secretsManager.send(new DescribeSecretCommand({ SecretId: plan.secretName }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw cause;
    throw error;
  }
  checkExistingSecret(plan, existing, cause);
  throw cause;
}

/** Creates the clone's secret with `secretString`, or overwrites it when a retry already made it. */
async function writeSecret(plan: ClonePlan, secretString: string): Promise<string> {
  try {
    const created = await secretsManager.send(
      new CreateSecretCommand({
        Name: plan.secretName,
        Description: `db-artifact-factory: master credentials of clone ${plan.cloneId} (owner ${plan.owner}); deleted with the clone.`,
        SecretString: secretString,
        Tags: [...plan.tags],
      }),
    );
    return created.ARN ?? plan.secretName;
  } catch (error) {
    if (error instanceof ResourceExistsException) return overwriteExistingSecret(plan, secretString, error);
    if (error instanceof InvalidRequestException) return explainInvalidRequest(plan, error);
    throw error;
  }
}

/**
 * Replaces the clone's inherited master password with a fresh random one, kept in the clone's secret.
 *
 * A clone starts with production's password; this step makes sure nobody who knows that one can
 * log in. The secret is written before the cluster is modified, so a crash between the two never
 * leaves a password nobody knows. A retry generates a new password and writes both again.
 */
export async function resetPassword(input: Input): Promise<Output> {
  const { plan, cluster } = input;
  const password = generatePassword();
  const secret: RdsSecret = {
    engine: 'postgres',
    host: cluster.endpoint,
    port: cluster.port,
    username: plan.masterUsername,
    password,
    dbname: plan.databaseName,
    dbClusterIdentifier: plan.cloneId,
  };
  const secretArn = await writeSecret(plan, JSON.stringify(secret));
  logger.info('clone secret written', { secretName: plan.secretName, secretArn });

  await setMasterPassword(
    plan.clusterIdentifier,
    password,
    `Cluster "${plan.cloneId}" disappeared before its master password could be reset; ` +
      'check whether someone deleted it, then run the clone again.',
  );
  logger.info('master password reset requested', { cloneId: plan.cloneId });
  return { secretArn, secretName: plan.secretName };
}

/** Lambda entry point of the reset-password step. */
export const handler = createHandler('reset-password', resetPassword);
