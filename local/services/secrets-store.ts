import { randomUUID } from 'node:crypto';
import * as sdk from '@aws-sdk/client-secrets-manager';
import {
  InvalidParameterException,
  InvalidRequestException,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import type { AwsRefusal } from '../../functions/shared/aws/refusal.js';
import { SECRETS_ERRORS, secretNameRefusal } from '../../functions/shared/aws/secrets-manager.js';
import { AwsError, refusalError } from '../core/errors.js';
import type { ServiceContext } from '../core/service.js';
import type { SecretRecord } from '../core/state.js';

// What every Secrets Manager action shares: its errors, its checks of names, tokens and values,
// and the lookups of a secret by name or ARN.

/** The `$metadata` the SDK's exception constructors want. */
export const meta = { $metadata: {} };

/** A value as stored: a string, or a binary value in base64. */
export interface StoredValue {
  readonly secretString?: string;
  readonly secretBinary?: string;
}

/** One of Secrets Manager's refusals (`functions/shared/aws/secrets-manager.ts`), as the stand-in throws it. */
export function secretsError(refusal: AwsRefusal): Error {
  return refusalError(sdk, refusal);
}

/** ResourceNotFoundException, by default worded as for a secret that does not exist. */
export function notFound(message = SECRETS_ERRORS.notFound().message): ResourceNotFoundException {
  return new ResourceNotFoundException({ message, ...meta });
}

/** InvalidParameterException with AWS's message. */
export function invalidParameter(message: string): InvalidParameterException {
  return new InvalidParameterException({ message, ...meta });
}

/** InvalidRequestException with AWS's message. */
export function invalidRequest(message: string): InvalidRequestException {
  return new InvalidRequestException({ message, ...meta });
}

/** AWS's answer to an action on a secret scheduled for deletion. */
const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";

/** AWS's name rule (`functions/shared/aws/secrets-manager.ts`): 1 to 512 characters, ASCII letters, digits and /_+=.@- */
export function checkName(name: string | undefined): string {
  if (!name)
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  const refusal = secretNameRefusal(name);
  if (refusal) throw secretsError(refusal);
  return name;
}

/** The version id a request asks for: its ClientRequestToken (the SDK fills one in), or a new UUID. */
export function versionIdOf(token: string | undefined): string {
  if (token === undefined) return randomUUID();
  if (token.length < 32 || token.length > 64)
    throw invalidParameter('ClientRequestToken must be 32-64 characters long.');
  return token;
}

/** The value of a request, as stored; undefined when it gives none. */
export function requestValue(input: {
  SecretString?: string;
  SecretBinary?: Uint8Array;
}): StoredValue | undefined {
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

/** Whether `value` is the secret's current value. */
export function sameValue(secret: SecretRecord, value: StoredValue | undefined): boolean {
  return value?.secretString === secret.secretString && value?.secretBinary === secret.secretBinary;
}

/** Makes `value` the AWSCURRENT version; the current one becomes AWSPREVIOUS. */
export function putVersion(secret: SecretRecord, versionId: string, value: StoredValue): void {
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
}

/** Forgets the secrets whose recovery window (in AWS time) has passed since they were deleted. */
export function purgeExpired(context: ServiceContext): void {
  const secrets = context.account.data.secrets;
  for (const secret of Object.values(secrets)) {
    if (!secret.deletedAt || !secret.deletionDate) continue;
    const windowMs = Date.parse(secret.deletionDate) - Date.parse(secret.deletedAt);
    const awsElapsed = (Date.now() - Date.parse(secret.deletedAt)) / context.clock.scale;
    if (awsElapsed >= windowMs) {
      delete secrets[secret.name];
      context.log(`secretsmanager: secret ${secret.name} deleted at the end of its recovery window`);
    }
  }
}

/** The secret a SecretId names (its name, full ARN or partial ARN), if there is one. */
export function lookup(context: ServiceContext, id: string | undefined): SecretRecord | undefined {
  if (!id)
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    );
  purgeExpired(context);
  const all = context.account.data.secrets;
  if (Object.hasOwn(all, id)) return all[id];
  // A full ARN, or a partial one (without the six random characters).
  return Object.values(all).find((s) => s.arn === id || s.arn.slice(0, -7) === id);
}

/** The secret a SecretId names, deleted or not; ResourceNotFoundException when there is none. */
export function find(context: ServiceContext, id: string | undefined): SecretRecord {
  const secret = lookup(context, id);
  if (!secret) throw notFound();
  return secret;
}

/** The secret a SecretId names, refused when it is scheduled for deletion. */
export function live(context: ServiceContext, id: string | undefined): SecretRecord {
  const secret = find(context, id);
  if (secret.deletedAt) throw invalidRequest(MARKED_FOR_DELETION);
  return secret;
}
