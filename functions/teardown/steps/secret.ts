import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import { secretsManager } from '../../shared/clients/secrets-manager.js';
import type { Config } from '../../shared/config.js';
import { sendEvent } from '../../shared/events.js';
import { logger } from '../../shared/handler.js';
import type { TeardownRequest } from '../../shared/plan.js';
import { Verdict, verdictFor } from '../safety.js';
import type { StepResult } from '../types.js';

/** The `detail-type` of the event sent when a clone is gone. */
export const CLONE_DELETED = 'Clone Deleted';

/** The clone's credentials secret as Secrets Manager describes it, or `undefined` when it does not exist. */
export async function findSecret(secretId: string): Promise<DescribeSecretCommandOutput | undefined> {
  try {
    return await secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Deletes the clone's credentials secret at once (no recovery window), then announces the deletion.
 *
 * The secret is the last resource removed, so its deletion means the clone is gone:
 * the `Clone Deleted` event is sent then, and only by the call that deleted it. It
 * carries the clone id and reason, never a secret.
 */
export async function deleteSecret(request: TeardownRequest, config: Config): Promise<StepResult> {
  const { cloneId } = request;
  const secretId = `${config.secretPrefix}${cloneId}`;
  const gone: StepResult = { step: 'secret', deleted: [], alreadyGone: true, skipped: [] };
  const secret = await findSecret(secretId);
  if (secret === undefined) return gone;
  if (verdictFor(`Secret "${secretId}"`, secret.Tags, request) === Verdict.skip) {
    return { step: 'secret', deleted: [], alreadyGone: false, skipped: [secretId] };
  }
  if (secret.DeletedDate !== undefined) return gone;
  try {
    await secretsManager.send(
      new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }),
    );
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return gone;
    throw error;
  }
  const refused = await sendEvent(config, CLONE_DELETED, {
    cloneId,
    reason: request.reason ?? 'unspecified',
  });
  // The clone is already gone: failing the teardown now would only hide that from the caller.
  if (refused !== undefined) logger.warn('the Clone Deleted event was not accepted', { cloneId });
  return { step: 'secret', deleted: [secretId], alreadyGone: false, skipped: [] };
}
