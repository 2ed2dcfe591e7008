import { isRdsIdentifier } from '../shared/aws/rds-identifiers.js';
import { type Config, isAllowedSource } from '../shared/config.js';
import { RefusedTarget } from '../shared/errors.js';
import { assertCloneId } from '../teardown/safety.js';

/**
 * Why the sweeper must not start a teardown of `cloneId`, or `undefined` when it may.
 *
 * The teardown checks the same again before any delete; the sweeper checks first so that it
 * never even asks for one of a source, of a name outside the clone prefix, or of a name that
 * is no RDS identifier (and so could not be a clone's, and could break the `--` of its
 * execution names).
 */
export function refusal(config: Config, cloneId: string, clusterArn?: string): string | undefined {
  if (!isRdsIdentifier(cloneId)) {
    return `"${cloneId}" is not an RDS identifier, so it is no clone's: left alone.`;
  }
  try {
    assertCloneId(config, cloneId);
  } catch (error) {
    if (error instanceof RefusedTarget)
      return error.message.replace('teardown never deletes it', 'left alone');
    throw error;
  }
  if (clusterArn !== undefined && isAllowedSource(config, cloneId, clusterArn)) {
    return `DB cluster "${cloneId}" (${clusterArn}) is a source cluster: left alone.`;
  }
  return undefined;
}
