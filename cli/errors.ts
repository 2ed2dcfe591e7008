/**
 * What `dbaf` exits with, and the errors a user can cause.
 *
 * A {@link UserError} is printed as one message, without a stack trace (`--verbose` adds the
 * details); anything else is a bug and is printed in full.
 */

/** Exit codes, documented in docs/cli.md and `dbaf --help`. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The workflow ran and failed (the clone was rolled back, the teardown stopped), or a bug. */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing argument, bad duration. */
  usage: 2,
  /** A file is missing or unreadable, or the artifact or INI file is invalid. */
  invalidInput: 3,
  /** No such clone, stack or state machine. */
  notFound: 4,
  /** The environment stops us: no credentials or region, access denied, endpoint unreachable, no psql. */
  environment: 5,
  /** Refused: beyond the maximum TTL, a name taken by something dbaf does not manage, a clone being deleted. */
  refused: 6,
  /** Interrupted (Ctrl-C); whatever was started in AWS goes on. */
  interrupted: 130,
} as const;

/** An exit code of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A problem the user can fix: printed as its message alone, and the process exits with `exitCode`. */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where the CLI sends its AWS calls, for error messages. */
export interface Target {
  readonly region: string | undefined;
  /** Set for the local stand-in (`--local`) or any `--endpoint-url`. */
  readonly endpoint: string | undefined;
  readonly local: boolean;
  /** The `--profile` given, if any. */
  readonly profile?: string | undefined;
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'AuthFailure',
]);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT']);

function networkCode(error: Error): string | undefined {
  const direct = (error as Error & { code?: string }).code;
  if (direct && UNREACHABLE.has(direct)) return direct;
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? networkCode(cause) : undefined;
}

/**
 * Turns the AWS errors a user's setup causes (credentials, region, permissions, an unreachable
 * endpoint) into a {@link UserError} that says what to do; returns anything else unchanged.
 */
export function explainAwsError(error: unknown, target: Target): unknown {
  if (!(error instanceof Error) || error instanceof UserError) return error;
  const where = target.local ? `the local stand-in at ${target.endpoint}` : (target.endpoint ?? 'AWS');
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    const advice =
      target.profile === undefined
        ? 'Pass --profile <name> or set AWS_PROFILE, sign in with "aws sso login" or "aws configure", or run against the local stand-in with --local.'
        : `Check that ~/.aws/config or ~/.aws/credentials has the profile "${target.profile}", and sign in with "aws sso login --profile ${target.profile}" if it uses SSO.`;
    return new UserError(
      `No AWS credentials found${target.profile === undefined ? '' : ` for profile "${target.profile}"`}. ${advice}`,
      EXIT.environment,
      { cause: error },
    );
  }
  if (/Region is missing/i.test(error.message)) {
    return new UserError(
      'No AWS region set. Pass --region <region> (for example --region eu-west-1), set AWS_REGION, or set a region in your AWS profile.',
      EXIT.environment,
      { cause: error },
    );
  }
  if (BAD_CREDENTIALS.has(error.name)) {
    return new UserError(
      `${where} refused your credentials (${error.name}: ${error.message}). Sign in again, or check --profile and --region.`,
      EXIT.environment,
      { cause: error },
    );
  }
  if (ACCESS_DENIED.has(error.name)) {
    return new UserError(
      `Access denied: ${error.message} Ask your AWS administrator for the permissions listed in docs/cli.md.`,
      EXIT.environment,
      { cause: error },
    );
  }
  const code = networkCode(error);
  if (code !== undefined) {
    const hint = target.local
      ? 'Start it with "npx dbaf local up" (or "npm run local") in another terminal, or point --endpoint-url at it.'
      : 'Check your network connection and --endpoint-url, if you set one.';
    return new UserError(`Cannot reach ${where} (${code}). ${hint}`, EXIT.environment, { cause: error });
  }
  return error;
}

// The CLI prints a failed execution's cause as the workflows report it.
export { causeText } from '../functions/shared/errors.js';
