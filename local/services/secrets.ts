import { randomInt, randomUUID } from 'node:crypto';
import * as sdk from '@aws-sdk/client-secrets-manager';
import {
  type CreateSecretRequest,
  type DeleteSecretRequest,
  type DescribeSecretRequest,
  type GetSecretValueRequest,
  InvalidParameterException,
  InvalidRequestException,
  type ListSecretsRequest,
  type PutSecretValueRequest,
  ResourceExistsException,
  ResourceNotFoundException,
  type RestoreSecretRequest,
  type TagResourceRequest,
  type UntagResourceRequest,
  type UpdateSecretRequest,
} from '@aws-sdk/client-secrets-manager';
import { AwsError } from '../core/errors.js';
import type { ServiceContext, ServiceDefinition } from '../core/service.js';
import { type SecretRecord, toTags } from '../core/state.js';
import { describeView, listSecrets } from './secrets-list.js';

const meta = { $metadata: {} };
const DAY_MS = 24 * 60 * 60 * 1000;
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";

function notFound(message = "Secrets Manager can't find the specified secret."): ResourceNotFoundException {
  return new ResourceNotFoundException({ message, ...meta });
}

function invalidParameter(message: string): InvalidParameterException {
  return new InvalidParameterException({ message, ...meta });
}

function invalidRequest(message: string): InvalidRequestException {
  return new InvalidRequestException({ message, ...meta });
}

/** AWS's name rule: 1 to 512 characters, ASCII letters, digits and /_+=.@- */
function checkName(name: string | undefined): string {
  if (!name)
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  if (name.length > 512 || !/^[A-Za-z0-9/_+=.@-]+$/.test(name)) {
    throw invalidParameter(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  }
  return name;
}

/** The version id a request asks for: its ClientRequestToken (the SDK fills one in), or a new UUID. */
function versionIdOf(token: string | undefined): string {
  if (token === undefined) return randomUUID();
  if (token.length < 32 || token.length > 64)
    throw invalidParameter('ClientRequestToken must be 32-64 characters long.');
  return token;
}

/** The value of a request, as stored: a string, or a binary value in base64. */
function requestValue(input: { SecretString?: string; SecretBinary?: Uint8Array }) {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (input.SecretBinary !== undefined)
    return { secretBinary: Buffer.from(input.SecretBinary).toString('base64') };
  if (input.SecretString !== undefined) return { secretString: input.SecretString };
  return undefined;
}

/**
 * AWS Secrets Manager (awsJson1.1): secrets with versions (AWSCURRENT/AWSPREVIOUS), tags,
 * scheduled deletion with a recovery window (in the clock's AWS time) and restore. Values
 * are never logged.
 */
export function secretsService(context: ServiceContext): ServiceDefinition {
  const { account, clock } = context;
  const secrets = () => account.data.secrets;

  // A secret scheduled for deletion is gone once its recovery window (in AWS time) has passed.
  const purgeExpired = () => {
    for (const secret of Object.values(secrets())) {
      if (!secret.deletedAt || !secret.deletionDate) continue;
      const windowMs = Date.parse(secret.deletionDate) - Date.parse(secret.deletedAt);
      const awsElapsed = (Date.now() - Date.parse(secret.deletedAt)) / clock.scale;
      if (awsElapsed >= windowMs) {
        delete secrets()[secret.name];
        context.log(`secretsmanager: secret ${secret.name} deleted at the end of its recovery window`);
      }
    }
  };
  const lookup = (id: string | undefined): SecretRecord | undefined => {
    if (!id)
      throw new AwsError(
        'ValidationException',
        "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
      );
    purgeExpired();
    const all = secrets();
    if (Object.hasOwn(all, id)) return all[id];
    // A full ARN, or a partial one (without the six random characters).
    return Object.values(all).find((s) => s.arn === id || s.arn.slice(0, -7) === id);
  };
  const find = (id: string | undefined): SecretRecord => {
    const secret = lookup(id);
    if (!secret) throw notFound();
    return secret;
  };
  const live = (id: string | undefined): SecretRecord => {
    const secret = find(id);
    if (secret.deletedAt) throw invalidRequest(MARKED_FOR_DELETION);
    return secret;
  };
  /** Makes `value` the AWSCURRENT version; the current one becomes AWSPREVIOUS. */
  const putVersion = (
    secret: SecretRecord,
    versionId: string,
    value: NonNullable<ReturnType<typeof requestValue>>,
  ) => {
    const now = new Date().toISOString();
    if (secret.versionId) {
      secret.previous = {
        versionId: secret.versionId,
        secretString: secret.secretString,
        secretBinary: secret.secretBinary,
        createdAt: secret.versionCreatedAt ?? secret.createdAt,
      };
    }
    secret.versionId = versionId;
    secret.secretString = value.secretString;
    secret.secretBinary = value.secretBinary;
    secret.versionCreatedAt = now;
    secret.changedAt = now;
  };
  const sameValue = (secret: SecretRecord, value: ReturnType<typeof requestValue>) =>
    value?.secretString === secret.secretString && value?.secretBinary === secret.secretBinary;

  return {
    id: 'secretsmanager',
    protocol: 'json1.1',
    sdk,
    targetPrefix: 'secretsmanager',
    operations: {
      CreateSecret: (input: CreateSecretRequest) => {
        const name = checkName(input.Name);
        const value = requestValue(input);
        const versionId = versionIdOf(input.ClientRequestToken);
        const existing = lookup(name);
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
          throw new ResourceExistsException({
            message: `The operation failed because the secret ${name} already exists.`,
            ...meta,
          });
        }
        const suffix = Array.from({ length: 6 }, () => SUFFIX_CHARS[randomInt(SUFFIX_CHARS.length)]).join('');
        const now = new Date().toISOString();
        const secret: SecretRecord = {
          arn: account.arn('secretsmanager', `secret:${name}-${suffix}`),
          name,
          description: input.Description,
          versionId: '',
          tags: toTags(input.Tags),
          createdAt: now,
          changedAt: now,
        };
        if (value) putVersion(secret, versionId, value);
        secrets()[name] = secret;
        context.log(`secretsmanager: created secret ${name}`);
        return { ARN: secret.arn, Name: name, VersionId: value ? versionId : undefined };
      },

      GetSecretValue: (input: GetSecretValueRequest) => {
        const secret = live(input.SecretId);
        const stage = input.VersionStage ?? (input.VersionId ? undefined : 'AWSCURRENT');
        const current = {
          versionId: secret.versionId,
          secretString: secret.secretString,
          secretBinary: secret.secretBinary,
          createdAt: secret.versionCreatedAt ?? secret.createdAt,
          stage: 'AWSCURRENT',
        };
        const previous = secret.previous ? { ...secret.previous, stage: 'AWSPREVIOUS' } : undefined;
        const version = [current, previous].find(
          (v) =>
            v?.versionId &&
            (input.VersionId ? v.versionId === input.VersionId : true) &&
            (!stage || v.stage === stage),
        );
        if (!version) {
          throw input.VersionId
            ? notFound(
                `Secrets Manager can't find the specified secret value for VersionId: ${input.VersionId}`,
              )
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
      },

      PutSecretValue: (input: PutSecretValueRequest) => {
        const secret = live(input.SecretId);
        const value = requestValue(input);
        if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
        const versionId = versionIdOf(input.ClientRequestToken);
        if (versionId === secret.versionId || versionId === secret.previous?.versionId) {
          if (versionId === secret.versionId && sameValue(secret, value)) {
            return {
              ARN: secret.arn,
              Name: secret.name,
              VersionId: versionId,
              VersionStages: ['AWSCURRENT'],
            };
          }
          throw new ResourceExistsException({
            message: `You can't use ClientRequestToken ${versionId} because that value is already in use for a version of secret ${secret.arn}.`,
            ...meta,
          });
        }
        putVersion(secret, versionId, value);
        context.log(`secretsmanager: new version of secret ${secret.name}`);
        return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: ['AWSCURRENT'] };
      },

      UpdateSecret: (input: UpdateSecretRequest) => {
        const secret = live(input.SecretId);
        const value = requestValue(input);
        if (input.Description !== undefined) {
          secret.description = input.Description;
          secret.changedAt = new Date().toISOString();
        }
        let versionId: string | undefined;
        if (value) {
          versionId = versionIdOf(input.ClientRequestToken);
          if (versionId !== secret.versionId || !sameValue(secret, value))
            putVersion(secret, versionId, value);
        }
        return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
      },

      DescribeSecret: (input: DescribeSecretRequest) => describeView(find(input.SecretId)),

      DeleteSecret: (input: DeleteSecretRequest) => {
        const window = input.RecoveryWindowInDays;
        if (window !== undefined && input.ForceDeleteWithoutRecovery) {
          throw invalidParameter(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
          );
        }
        if (window !== undefined && (window < 7 || window > 30)) {
          throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
        }
        const secret = lookup(input.SecretId);
        const now = new Date();
        if (!secret) {
          // Documented: a forced delete of a secret that does not exist does not fail.
          if (input.ForceDeleteWithoutRecovery) return { Name: input.SecretId, DeletionDate: now };
          throw notFound();
        }
        if (input.ForceDeleteWithoutRecovery) {
          delete secrets()[secret.name];
          context.log(`secretsmanager: deleted secret ${secret.name} without recovery`);
          return { ARN: secret.arn, Name: secret.name, DeletionDate: now };
        }
        if (secret.deletedAt) {
          throw invalidRequest(
            "You tried to perform the operation on a secret that's currently marked deleted.",
          );
        }
        const deletionDate = new Date(now.getTime() + (window ?? 30) * DAY_MS);
        secret.deletedAt = now.toISOString();
        secret.deletionDate = deletionDate.toISOString();
        context.log(`secretsmanager: secret ${secret.name} scheduled for deletion in ${window ?? 30} days`);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: deletionDate };
      },

      RestoreSecret: (input: RestoreSecretRequest) => {
        const secret = find(input.SecretId);
        delete secret.deletedAt;
        delete secret.deletionDate;
        return { ARN: secret.arn, Name: secret.name };
      },

      ListSecrets: (input: ListSecretsRequest) => {
        purgeExpired();
        return listSecrets(Object.values(secrets()), input);
      },

      TagResource: (input: TagResourceRequest) => {
        const secret = find(input.SecretId);
        const adding = toTags(input.Tags);
        secret.tags = [...secret.tags.filter((t) => !adding.some((a) => a.Key === t.Key)), ...adding];
        return {};
      },

      UntagResource: (input: UntagResourceRequest) => {
        const secret = find(input.SecretId);
        secret.tags = secret.tags.filter((t) => !input.TagKeys?.includes(t.Key));
        return {};
      },
    },
  };
}
