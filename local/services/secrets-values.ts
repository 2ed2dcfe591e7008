import {
  type GetSecretValueRequest,
  type PutSecretValueRequest,
  ResourceExistsException,
  type UpdateSecretRequest,
} from '@aws-sdk/client-secrets-manager';
import type { ServiceContext } from '../core/service.js';
import type { SecretRecord } from '../core/state.js';
import {
  invalidParameter,
  live,
  meta,
  notFound,
  putVersion,
  requestValue,
  sameValue,
  versionIdOf,
} from './secrets-store.js';

/** The secret's versions, each with its one staging label: AWSCURRENT, and AWSPREVIOUS once replaced. */
function versionsOf(secret: SecretRecord) {
  const current = {
    versionId: secret.versionId,
    secretString: secret.secretString,
    secretBinary: secret.secretBinary,
    createdAt: secret.versionCreatedAt ?? secret.createdAt,
    stage: 'AWSCURRENT',
  };
  const previous = secret.previous ? { ...secret.previous, stage: 'AWSPREVIOUS' } : undefined;
  return [current, previous];
}

/** GetSecretValue: the version a VersionId or VersionStage names, AWSCURRENT by default. */
export function getSecretValue(context: ServiceContext, input: GetSecretValueRequest) {
  const secret = live(context, input.SecretId);
  const stage = input.VersionStage ?? (input.VersionId ? undefined : 'AWSCURRENT');
  const version = versionsOf(secret).find(
    (v) =>
      v?.versionId &&
      (input.VersionId ? v.versionId === input.VersionId : true) &&
      (!stage || v.stage === stage),
  );
  if (!version) {
    throw input.VersionId
      ? notFound(`Secrets Manager can't find the specified secret value for VersionId: ${input.VersionId}`)
      : notFound(`Secrets Manager can't find the specified secret value for staging label: ${stage}`);
  }
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    SecretString: version.secretString,
    SecretBinary:
      version.secretBinary === undefined ? undefined : Buffer.from(version.secretBinary, 'base64'),
    VersionStages: [version.stage],
    CreatedDate: new Date(version.createdAt),
  };
}

/**
 * PutSecretValue: a new AWSCURRENT version. Its token may be used once: again with the same value
 * it is the same request, with another value (or a previous version's token) it is refused.
 */
export function putSecretValue(context: ServiceContext, input: PutSecretValueRequest) {
  const secret = live(context, input.SecretId);
  const value = requestValue(input);
  if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
  const versionId = versionIdOf(input.ClientRequestToken);
  const answer = { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: ['AWSCURRENT'] };
  if (versionId === secret.versionId || versionId === secret.previous?.versionId) {
    if (versionId === secret.versionId && sameValue(secret, value)) return answer;
    throw new ResourceExistsException({
      message: `You can't use ClientRequestToken ${versionId} because that value is already in use for a version of secret ${secret.arn}.`,
      ...meta,
    });
  }
  putVersion(secret, versionId, value);
  context.log(`secretsmanager: new version of secret ${secret.name}`);
  return answer;
}

/** UpdateSecret: a new description, and a new version when the request has a value. */
export function updateSecret(context: ServiceContext, input: UpdateSecretRequest) {
  const secret = live(context, input.SecretId);
  const value = requestValue(input);
  if (input.Description !== undefined) {
    secret.description = input.Description;
    secret.changedAt = new Date().toISOString();
  }
  let versionId: string | undefined;
  if (value) {
    versionId = versionIdOf(input.ClientRequestToken);
    if (versionId !== secret.versionId || !sameValue(secret, value)) putVersion(secret, versionId, value);
  }
  return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
}

/** The actions that read and write a secret's value, by action name. */
export const valueOperations = {
  GetSecretValue: getSecretValue,
  PutSecretValue: putSecretValue,
  UpdateSecret: updateSecret,
} as const;
