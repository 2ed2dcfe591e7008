import { Token } from 'aws-cdk-lib';
import { MAX_CLONE_ID_LENGTH } from '../../functions/shared/artifact.js';
import { DURATION_FORM, parseDuration } from '../../functions/shared/duration.js';

/** A DB cluster identifier: a letter, then letters, digits and single hyphens, at most 63 characters. */
const RDS_IDENTIFIER = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,62}$/;

/**
 * Checks `maxLifetime` (a duration, at least `maxTtl`) and `expiryWarning` (a duration or `off`),
 * adding one sentence naming the prop per problem.
 */
export function checkLifetime(
  maxLifetime: string,
  maxTtl: string,
  expiryWarning: string,
  problems: string[],
): void {
  const lifetimeMs = parseDuration(maxLifetime);
  const maxTtlMs = parseDuration(maxTtl);
  if (lifetimeMs === undefined) problems.push(`maxLifetime: "${maxLifetime}" is not ${DURATION_FORM}.`);
  else if (maxTtlMs !== undefined && lifetimeMs < maxTtlMs) {
    problems.push(
      `maxLifetime "${maxLifetime}" is shorter than maxTtl "${maxTtl}": a clone could not even live its first TTL.`,
    );
  }
  if (expiryWarning !== 'off' && parseDuration(expiryWarning) === undefined) {
    problems.push(`expiryWarning: "${expiryWarning}" is not ${DURATION_FORM}, or 'off' for no warning.`);
  }
}

/**
 * Checks `protectedClones`: literal clone ids under the clone name prefix, every one of them.
 */
export function checkProtected(ids: readonly string[], prefix: string, problems: string[]): void {
  ids.forEach((id, index) => {
    const name = `protectedClones[${index}]`;
    if (typeof id !== 'string' || Token.isUnresolved(id)) {
      problems.push(`${name} is not a literal string; give the clone id itself, such as "${prefix}demo".`);
    } else if (!RDS_IDENTIFIER.test(id) || id.endsWith('-')) {
      problems.push(`${name}: "${id}" is not a clone id (a DB cluster identifier such as "${prefix}demo").`);
    } else if (id.length > MAX_CLONE_ID_LENGTH) {
      problems.push(
        `${name}: "${id}" is longer than ${MAX_CLONE_ID_LENGTH} characters, the longest clone id, so no clone can have it.`,
      );
    } else if (!id.toLowerCase().startsWith(prefix) || id.length <= prefix.length) {
      problems.push(
        `${name}: "${id}" does not start with the clone name prefix "${prefix}", so no clone can have that id; write it as "dbaf extend" and "dbaf list" show it.`,
      );
    }
  });
}
