/**
 * The errors our handlers throw, by name.
 *
 * Lambda reports `error.name` as the `errorType`, and the state machines match
 * these names exactly in `Retry` and `Catch`: renaming a class is a breaking
 * change to `state-machines/*.asl.json`.
 */

/** Every error a person may see as an execution's failure cause. */
export abstract class CloneFactoryError extends Error {
  abstract override readonly name: string;
}

/** The artifact document (or INI file) is malformed; lists every problem at once. */
export class InvalidArtifact extends CloneFactoryError {
  override readonly name = 'InvalidArtifact';
  /** One line per problem: `field: value is wrong; expected ...`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(
      `The artifact is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
      options,
    );
    this.problems = problems;
  }
}

/** The source cluster does not exist, or this account cannot see it. */
export class SourceNotFound extends CloneFactoryError {
  override readonly name = 'SourceNotFound';
}

/** The source exists but must not or cannot be cloned (engine, status, no instance, not allowed). */
export class SourceNotCloneable extends CloneFactoryError {
  override readonly name = 'SourceNotCloneable';
}

/** The requested subnets or security groups cannot host the clone. */
export class NetworkInvalid extends CloneFactoryError {
  override readonly name = 'NetworkInvalid';
}

/** A limit (region DB-cluster quota, per-owner clones) leaves no room for another clone. */
export class QuotaExceeded extends CloneFactoryError {
  override readonly name = 'QuotaExceeded';
}

/** A resource with the clone's name exists but was not created for this clone. */
export class CloneConflict extends CloneFactoryError {
  override readonly name = 'CloneConflict';
}

/** Teardown refused: the target is a source cluster or lacks the managed-by tag. */
export class RefusedTarget extends CloneFactoryError {
  override readonly name = 'RefusedTarget';
}

/**
 * The clone's TTL schedule is gone: it fired (the clone is being deleted) or was deleted, so the
 * clone's expiry can no longer be moved.
 */
export class CloneExpired extends CloneFactoryError {
  override readonly name = 'CloneExpired';
}

/** An operation's input (not an artifact) is malformed: the message names the field and the form expected. */
export class InvalidRequest extends CloneFactoryError {
  override readonly name = 'InvalidRequest';
}

/** No clone of that name exists (no cluster under the clone's name). */
export class CloneNotFound extends CloneFactoryError {
  override readonly name = 'CloneNotFound';
}

/**
 * A clone's expiry would go beyond the deployment's limits (the maximum TTL from now, the maximum
 * lifetime from its creation): the message names the limit and the most the clone can still get.
 */
export class ExpiryLimitExceeded extends CloneFactoryError {
  override readonly name = 'ExpiryLimitExceeded';
}

/** A resource reached a state it will not leave by itself (`failed`, `incompatible-*`, ...). */
export class ResourceFailed extends CloneFactoryError {
  override readonly name = 'ResourceFailed';
}

/**
 * The resource is busy (creating, modifying, still in use); the same call will
 * succeed later. The state machines retry it with backoff.
 */
export class NotReady extends CloneFactoryError {
  override readonly name = 'NotReady';
}

/** AWS throttled us or failed on its side; retried by the state machines with jittered backoff. */
export class AwsTransient extends CloneFactoryError {
  override readonly name = 'AwsTransient';
}

/** The deployment's configuration (environment variables) is wrong: an operator must fix it. */
export class ConfigurationError extends CloneFactoryError {
  override readonly name = 'ConfigurationError';
}

/** Error names the ASL retries with backoff. */
export const RETRYABLE_ERRORS = ['AwsTransient', 'NotReady'] as const;

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);

const TRANSIENT_NAMES = new Set([
  'InternalFailure',
  'InternalServiceError',
  'InternalServiceErrorException',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);

/**
 * Turns throttling and server-side SDK failures into {@link AwsTransient}, which
 * the ASL retries. Everything else is returned unchanged: an error we do not
 * understand must reach a person, not be retried into silence.
 */
export function normalizeError(error: unknown): unknown {
  if (error instanceof CloneFactoryError || !(error instanceof Error)) return error;
  const meta = error as Error & { $retryable?: { throttling?: boolean }; $fault?: string; code?: string };
  const transient =
    THROTTLING_NAMES.has(error.name) ||
    TRANSIENT_NAMES.has(error.name) ||
    (meta.code !== undefined && TRANSIENT_NAMES.has(meta.code)) ||
    meta.$retryable?.throttling === true ||
    meta.$fault === 'server';
  if (!transient) return error;
  return new AwsTransient(
    `AWS did not complete the request (${error.name}: ${error.message}); it will be retried.`,
    {
      cause: error,
    },
  );
}

/** True when `error` is an SDK error with this name (SDK v3 sets `name` to the error code). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { Code?: string }).Code;
  return names.includes(error.name) || (code !== undefined && names.includes(code));
}

/** The human part of a Fail cause: Lambda errors arrive as `{"errorType","errorMessage","trace"}`. */
export function causeText(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: a cause written by the state machine itself (States.Format), already for people.
  }
  return cause;
}
