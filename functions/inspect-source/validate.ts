import { createHash } from 'node:crypto';
import { type Artifact, cloneIdForName, MAX_CLONE_ID_LENGTH, parseArtifact } from '../shared/artifact.js';
import { isRdsIdentifier, storedIdentifier } from '../shared/aws/rds-identifiers.js';
import { type Config, clusterIdOf, isAllowedSource } from '../shared/config.js';
import { formatDuration, MIN_TTL_MS, parseDuration } from '../shared/duration.js';
import { ConfigurationError, InvalidArtifact, NetworkInvalid, SourceNotCloneable } from '../shared/errors.js';

/** An artifact that passed every check that needs no AWS call, with what those checks resolved. */
export interface ValidatedRequest {
  readonly artifact: Artifact;
  readonly cloneId: string;
  readonly ttlMs: number;
  /** The source is an ARN: a cluster shared from another account through AWS RAM. */
  readonly shared: boolean;
}

/** A clone id: an RDS identifier as RDS stores it (in lower case), of at most {@link MAX_CLONE_ID_LENGTH}. */
function isCloneIdentifier(id: string): boolean {
  return id.length <= MAX_CLONE_ID_LENGTH && isRdsIdentifier(id) && storedIdentifier(id) === id;
}

/**
 * The clone's identifier: the requested name with the deployment's prefix, or one derived from the
 * source and the execution ARN, so a retry of the same execution gets the same name.
 */
export function cloneIdFor(config: Config, artifact: Artifact, executionArn: string): string {
  const prefix = config.cloneNamePrefix.toLowerCase();
  const name = artifact.target.cloneName;
  if (name !== undefined) return cloneIdForName(name, prefix);
  const hash = createHash('sha256').update(executionArn).digest('hex').slice(0, 8);
  const room = Math.max(MAX_CLONE_ID_LENGTH - prefix.length - hash.length - 1, 0);
  const base = clusterIdOf(artifact.source.clusterIdentifier).toLowerCase().slice(0, room);
  // Trimming hyphens keeps the id valid: RDS refuses "--" and a trailing "-".
  const head = `${prefix}${base}`.replace(/-+$/, '');
  return `${head}-${hash}`;
}

function ttlProblem(config: Config, artifact: Artifact, ttlMs: number): string | undefined {
  if (ttlMs < MIN_TTL_MS) {
    const min = formatDuration(MIN_TTL_MS);
    const given = artifact.lifecycle.ttl;
    if (given === undefined) {
      return `lifecycle.ttl: missing and the deployment default (${formatDuration(ttlMs)}) is shorter than ${min}; give a ttl of at least ${min} or raise DEFAULT_TTL`;
    }
    return `lifecycle.ttl: "${given}" is not valid; expected at least ${min} (a clone takes about ten minutes to make)`;
  }
  if (ttlMs <= config.maxTtlMs) return undefined;
  const max = formatDuration(config.maxTtlMs);
  const given = artifact.lifecycle.ttl;
  if (given === undefined) {
    return `lifecycle.ttl: missing and the deployment default (${formatDuration(ttlMs)}) is longer than its maximum; expected at most ${max}`;
  }
  return `lifecycle.ttl: "${given}" is not valid; expected at most ${max} (this deployment's MAX_TTL)`;
}

function restoreProblem(artifact: Artifact, now: number): string | undefined {
  const { restore } = artifact.source;
  if (restore.type !== 'point-in-time' || Date.parse(restore.restoreTime) <= now) return undefined;
  return `source.restore.restoreTime: "${restore.restoreTime}" is not valid; expected a time in the past (it is now ${new Date(now).toISOString()})`;
}

function networkProblem(config: Config, artifact: Artifact): string | undefined {
  const { allowedCidrs, securityGroupIds } = artifact.target;
  if (allowedCidrs.length > 0 || securityGroupIds.length > 0 || config.defaultAllowedCidrs.length > 0) {
    return undefined;
  }
  return 'target.allowedCidrs: missing; expected client CIDR blocks or target.securityGroupIds: nobody could connect to the clone (this deployment sets no DEFAULT_ALLOWED_CIDRS); name the networks or security groups allowed to connect';
}

function mayBeAllowed(config: Config, source: string): boolean {
  if (isAllowedSource(config, source)) return true;
  // An identifier may match an allowed ARN of this account; the ARN is checked after DescribeDBClusters.
  return (
    !source.startsWith('arn:') &&
    config.allowedSources.some(
      (allowed) => allowed.startsWith('arn:') && clusterIdOf(allowed).toLowerCase() === source.toLowerCase(),
    )
  );
}

/** The refusal for a source this deployment does not allow, naming what it does allow. */
export function notAllowed(config: Config, source: string): SourceNotCloneable {
  const allowed =
    config.allowedSources.length === 0
      ? 'none: ALLOWED_SOURCES is empty'
      : config.allowedSources.map((item) => `"${item}"`).join(', ');
  return new SourceNotCloneable(
    `Cluster "${source}" is not an allowed source for this deployment (allowed: ${allowed}); clone one of those, or ask an operator to add it to ALLOWED_SOURCES.`,
  );
}

/**
 * Checks the artifact against the schema and this deployment's configuration, before any AWS call.
 *
 * Every artifact problem is reported at once in one {@link InvalidArtifact}, so a person fixes the
 * document in one round; a source outside ALLOWED_SOURCES is a {@link SourceNotCloneable}.
 */
export function validateRequest(
  config: Config,
  input: unknown,
  executionArn: string,
  now: number,
): ValidatedRequest {
  const badDefault = config.defaultAllowedCidrs.find((cidr) => cidr.trim().endsWith('/0'));
  if (badDefault !== undefined) {
    throw new ConfigurationError(
      `DEFAULT_ALLOWED_CIDRS contains "${badDefault}", which opens clones to every address; set narrower networks.`,
    );
  }
  const artifact = parseArtifact(input);
  const ttlMs =
    artifact.lifecycle.ttl === undefined ? config.defaultTtlMs : parseDuration(artifact.lifecycle.ttl);
  const cloneId = cloneIdFor(config, artifact, executionArn);
  const problems = [
    ttlProblem(config, artifact, ttlMs ?? Number.POSITIVE_INFINITY),
    isCloneIdentifier(cloneId) ? undefined : cloneIdProblem(config, artifact, cloneId),
    restoreProblem(artifact, now),
    networkProblem(config, artifact),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new InvalidArtifact(problems);

  const source = artifact.source.clusterIdentifier;
  if (!mayBeAllowed(config, source)) throw notAllowed(config, source);
  const shared = source.startsWith('arn:');
  if (shared && artifact.target.subnets === 'source') {
    throw new NetworkInvalid(
      `Source "${source}" is shared from another account: its DB subnet group belongs to that account and cannot hold the clone; give target.subnets as two or more subnet ids of this account.`,
    );
  }
  return { artifact, cloneId, ttlMs: ttlMs ?? config.defaultTtlMs, shared };
}

function cloneIdProblem(config: Config, artifact: Artifact, cloneId: string): string {
  const given = artifact.target.cloneName;
  if (given === undefined) {
    throw new ConfigurationError(
      `CLONE_NAME_PREFIX="${config.cloneNamePrefix}" does not give a valid cluster identifier ("${cloneId}"); set a prefix of letters, digits and single hyphens, starting with a letter.`,
    );
  }
  return `target.cloneName: "${given}" is not valid; expected a name that, with the prefix "${config.cloneNamePrefix}", is a cluster identifier of at most ${MAX_CLONE_ID_LENGTH} characters (it would be "${cloneId}", ${cloneId.length} characters)`;
}
