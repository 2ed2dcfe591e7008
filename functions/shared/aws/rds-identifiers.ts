import type { AwsRefusal } from './refusal.js';

/**
 * RDS's rule for DB cluster and DB instance identifiers, in either case.
 *
 * RDS API Reference, `RestoreDBClusterToPointInTime` `DBClusterIdentifier`, `CreateDBInstance`
 * `DBInstanceIdentifier`, `ModifyDBCluster` `NewDBClusterIdentifier`: "Must contain from 1 to 63
 * letters, numbers, or hyphens. The first character must be a letter. Can't end with a hyphen or
 * contain two consecutive hyphens."
 */
export const RDS_IDENTIFIER_PATTERN = /^[a-zA-Z](?:-?[a-zA-Z0-9])*$/;

/** The longest RDS identifier ("from 1 to 63 letters, numbers, or hyphens"). */
export const RDS_IDENTIFIER_MAX_LENGTH = 63;

/** True for a valid DB cluster or DB instance identifier (see {@link RDS_IDENTIFIER_PATTERN}). */
export function isRdsIdentifier(value: string): boolean {
  return value.length <= RDS_IDENTIFIER_MAX_LENGTH && RDS_IDENTIFIER_PATTERN.test(value);
}

/**
 * An identifier as RDS stores and compares it: in lower case.
 *
 * RDS API Reference, `CreateDBInstance` `DBInstanceIdentifier`: "This parameter is stored as a
 * lowercase string"; `ModifyDBCluster` `DBClusterIdentifier`: "This parameter isn't case-sensitive."
 */
export function storedIdentifier(value: string): string {
  return value.toLowerCase();
}

/** RDS's answer to an identifier that breaks the rule, naming the request's parameter; `undefined` when valid. */
export function identifierRefusal(value: string, parameter: string): AwsRefusal | undefined {
  if (isRdsIdentifier(value)) return undefined;
  return {
    name: 'InvalidParameterValue',
    message: `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
  };
}

/**
 * The master password rule of an Aurora DB cluster.
 *
 * RDS API Reference, `ModifyDBCluster` `MasterUserPassword`: "Must contain from 8 to 41
 * characters. Can contain any printable ASCII character except "/", """, or "@"." RDS's own
 * error message lists the space too, so a space is refused as well.
 */
export const MASTER_PASSWORD = {
  minLength: 8,
  maxLength: 41,
  /** The printable ASCII characters RDS refuses. */
  refused: ['/', '"', '@', ' '],
} as const;

/** RDS's answer to a master password that breaks {@link MASTER_PASSWORD}; `undefined` when it is valid. */
export function masterPasswordRefusal(password: string): AwsRefusal | undefined {
  const printable = /^[\x20-\x7e]*$/.test(password);
  const refused = MASTER_PASSWORD.refused.some((character) => password.includes(character));
  const length = password.length >= MASTER_PASSWORD.minLength && password.length <= MASTER_PASSWORD.maxLength;
  if (printable && !refused && length) return undefined;
  return {
    name: 'InvalidParameterValue',
    message: `The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '"', ' ' may be used, ${MASTER_PASSWORD.minLength} to ${MASTER_PASSWORD.maxLength} of them.`,
  };
}
