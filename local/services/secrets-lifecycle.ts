import { randomInt } from 'node:crypto';
import type {
  CreateSecretRequest,
  DeleteSecretRequest,
  DescribeSecretRequest,
  RestoreSecretRequest,
} from '@aws-sdk/client-secrets-manager';
import { SECRETS_ERRORS } from '../../functions/shared/aws/secrets-manager.js';
import type { ServiceContext } from '../core/service.js';
import { type SecretRecord, toTags } from '../core/state.js';
import { describeView } from './secrets-list.js';
import {
  checkName,
  find,
  invalidParameter,
  invalidRequest,
  lookup,
  notFound,
  putVersion,
  requestValue,
  sameValue,
  secretsError,
  versionIdOf,
} from './secrets-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The six random characters AWS appends to a secret's ARN. */
function arnSuffix(): string {
  return Array.from({ length: 6 }, () => SUFFIX_CHARS[randomInt(SUFFIX_CHARS.length)]).join('');
}

/** CreateSecret: a new secret, with a first version when the request has a value. */
export function createSecret(context: ServiceContext, input: CreateSecretRequest) {
  const name = checkName(input.Name);
  const value = requestValue(input);
  const versionId = versionIdOf(input.ClientRequestToken);
  const existing = lookup(context, name);
  if (existing?.deletedAt) {
    throw invalidRequest(
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
  }
  if (existing) {
    // A retry with the same token and value is the same request: AWS answers it again.
    if (existing.versionId === versionId && sameValue(existing, value)) {
      return { ARN: existing.arn, Name: existing.name, VersionId: versionId };
    }
    throw secretsError(SECRETS_ERRORS.alreadyExists(name));
  }
  const now = new Date().toISOString();
  const secret: SecretRecord = {
    arn: context.account.arn('secretsmanager', `secret:${name}-${arnSuffix()}`),
    name,
    description: input.Description,
    versionId: '',
    tags: toTags(input.Tags),
    createdAt: now,
    changedAt: now,
  };
  if (value) putVersion(secret, versionId, value);
  context.account.data.secrets[name] = secret;
  context.log(`secretsmanager: created secret ${name}`);
  return { ARN: secret.arn, Name: name, VersionId: value ? versionId : undefined };
}

/** DescribeSecret: everything about a secret but its value, deleted or not. */
export function describeSecret(context: ServiceContext, input: DescribeSecretRequest) {
  return describeView(find(context, input.SecretId));
}

/** The recovery window a DeleteSecret asks for, refused as AWS refuses it. */
function checkRecoveryWindow(input: DeleteSecretRequest): void {
  const window = input.RecoveryWindowInDays;
  if (window !== undefined && input.ForceDeleteWithoutRecovery) {
    throw invalidParameter(
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  }
  if (window !== undefined && (window < 7 || window > 30)) {
    throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
}

/**
 * DeleteSecret: at once with ForceDeleteWithoutRecovery, else scheduled at the end of a recovery
 * window (7 to 30 days, 30 by default) during which RestoreSecret brings it back.
 */
export function deleteSecret(context: ServiceContext, input: DeleteSecretRequest) {
  checkRecoveryWindow(input);
  const secret = lookup(context, input.SecretId);
  const now = new Date();
  if (!secret) {
    // Documented: a forced delete of a secret that does not exist does not fail.
    if (input.ForceDeleteWithoutRecovery) return { Name: input.SecretId, DeletionDate: now };
    throw notFound();
  }
  if (input.ForceDeleteWithoutRecovery) {
    delete context.account.data.secrets[secret.name];
    context.log(`secretsmanager: deleted secret ${secret.name} without recovery`);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: now };
  }
  if (secret.deletedAt) {
    throw invalidRequest("You tried to perform the operation on a secret that's currently marked deleted.");
  }
  const days = input.RecoveryWindowInDays ?? 30;
  const deletionDate = new Date(now.getTime() + days * DAY_MS);
  secret.deletedAt = now.toISOString();
  secret.deletionDate = deletionDate.toISOString();
  context.log(`secretsmanager: secret ${secret.name} scheduled for deletion in ${days} days`);
  return { ARN: secret.arn, Name: secret.name, DeletionDate: deletionDate };
}

/** RestoreSecret: cancels a scheduled deletion. */
export function restoreSecret(context: ServiceContext, input: RestoreSecretRequest) {
  const secret = find(context, input.SecretId);
  delete secret.deletedAt;
  delete secret.deletionDate;
  return { ARN: secret.arn, Name: secret.name };
}

/** The actions that make, describe, delete and restore a secret, by action name. */
export const lifecycleOperations = {
  CreateSecret: createSecret,
  DescribeSecret: describeSecret,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
} as const;
