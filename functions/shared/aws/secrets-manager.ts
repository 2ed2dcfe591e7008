import type { AwsRefusal } from './refusal.js';

/**
 * Secrets Manager's rule for secret names.
 *
 * Secrets Manager API Reference, `CreateSecret` `Name`: "The secret name can contain ASCII letters,
 * numbers, and the following characters: /_+=.@-"; Length Constraints: 1 to 512.
 */
export const SECRET_NAME = { maxLength: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/ } as const;

/**
 * What Secrets Manager appends to a secret's name in its ARN: a hyphen and six random characters
 * (API Reference, `CreateSecret` `Name`: "Secrets Manager automatically adds a hyphen and six
 * random characters after the secret name at the end of the ARN").
 */
export const SECRET_ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

/** Secrets Manager's answer to a name that breaks {@link SECRET_NAME}; `undefined` when it is valid. */
export function secretNameRefusal(name: string): AwsRefusal | undefined {
  if (name.length <= SECRET_NAME.maxLength && SECRET_NAME.pattern.test(name)) return undefined;
  return {
    name: 'InvalidParameterException',
    message:
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
  };
}

/** Secrets Manager's error answers that both fakes give (API Reference, each action's "Errors"). */
export const SECRETS_ERRORS = {
  /** A SecretId that names no secret. */
  notFound: (): AwsRefusal => ({
    name: 'ResourceNotFoundException',
    message: "Secrets Manager can't find the specified secret.",
  }),
  /** CreateSecret of a name in use (not a retry of the same request). */
  alreadyExists: (name: string): AwsRefusal => ({
    name: 'ResourceExistsException',
    message: `The operation failed because the secret ${name} already exists.`,
  }),
} as const;
