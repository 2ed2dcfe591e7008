import { createHash } from 'node:crypto';

/**
 * The names of what belongs to one clone, besides its cluster (`<cloneId>`), instances
 * (`<cloneId>-N`), security group and subnet group (`<cloneId>`) and secret
 * (`<SECRET_PREFIX><cloneId>`).
 *
 * Clone ids are RDS identifiers (letters, digits, single hyphens) of at most 50 characters
 * (`MAX_CLONE_ID_LENGTH`), so every name here fits its service's limit, and the dot in schedule
 * names keeps them apart from any clone's TTL schedule (named `<cloneId>`).
 */

/** The one-time schedule that deletes the clone at its expiry: the clone id itself. */
export function ttlScheduleName(cloneId: string): string {
  return cloneId;
}

/** The one-time schedule that sends `Clone Expiring` before the clone's expiry. */
export function warningScheduleName(cloneId: string): string {
  return `${cloneId}.warning`;
}

/** The recurring schedule that refreshes the clone from its source. */
export function refreshScheduleName(cloneId: string): string {
  return `${cloneId}.refresh`;
}

/**
 * The cluster a refresh builds before it takes the clone's place. One name per clone: creating
 * it is the refresh's lock, since RDS refuses a second cluster of the same name.
 */
export function nextClusterId(cloneId: string): string {
  return `${cloneId}-next`;
}

/** Four base-36 characters naming one refresh: the same on every retry of its execution. */
export function generationOf(executionArn: string): string {
  const hash = createHash('sha256').update(executionArn).digest();
  return (hash.readUInt32BE(0) % 36 ** 4).toString(36).padStart(4, '0');
}

/**
 * The name a refresh moves the clone's old cluster to, before the new one takes its place; the
 * teardown then deletes it. One name per clone, so a teardown or the next refresh always finds it.
 */
export function retiredClusterId(cloneId: string): string {
  return `${cloneId}-old`;
}

/**
 * Instance identifiers of a refreshed cluster: `<cloneId>-<gen>-1`, ... Instances keep their names
 * when their cluster is renamed, so each generation needs its own.
 */
export function generationInstanceIds(cloneId: string, generation: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${cloneId}-${generation}-${i + 1}`);
}

/** The names a refresh of `cloneId` gives a cluster besides the clone's own. */
export function refreshClusterIds(cloneId: string): [string, string] {
  return [nextClusterId(cloneId), retiredClusterId(cloneId)];
}

/** True when `clusterId` is one of the names a refresh of `cloneId` gives a cluster. */
export function isGenerationCluster(cloneId: string, clusterId: string): boolean {
  return refreshClusterIds(cloneId.toLowerCase()).includes(clusterId.toLowerCase());
}
