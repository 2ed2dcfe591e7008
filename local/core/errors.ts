import { type AwsRefusal, missingParameter as missing } from '../../functions/shared/aws/refusal.js';

/**
 * Errors the stand-in answers with, shaped as AWS shapes them.
 *
 * A service operation throws either an SDK exception class (for example
 * `DBClusterNotFoundFault` from `@aws-sdk/client-rds`), whose code and HTTP status the
 * codec reads from the SDK's own error schema, or an {@link AwsError} for the codes no
 * client models (`InvalidParameterValue`, EC2's `InvalidGroup.NotFound`, ...).
 */
export class AwsError extends Error {
  /**
   * @param code the error code as AWS sends it (`ValidationException`, `InvalidGroup.NotFound`)
   * @param status the HTTP status AWS answers with
   * @param fault `Sender` for a bad request, `Receiver` for a service-side failure
   */
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * The error a stand-in service throws for one of AWS's refusals (`functions/shared/aws/`): the
 * SDK's exception class of that name when `sdk` has one (so the codec sends its wire code and
 * status), an {@link AwsError} with the name as its code otherwise. `messageMember` also sets
 * the exception's `Message` member, for the services whose errors have one (Scheduler).
 */
export function refusalError(
  sdk: object,
  refusal: AwsRefusal,
  options: { messageMember?: boolean } = {},
): Error {
  const modelled = (sdk as Record<string, unknown>)[refusal.name];
  if (typeof modelled === 'function' && modelled.prototype instanceof Error) {
    const Exception = modelled as new (options: Record<string, unknown>) => Error;
    // Scheduler's exceptions carry the message in a `Message` member too.
    const member = options.messageMember ? { Message: refusal.message } : {};
    return new Exception({ message: refusal.message, ...member, $metadata: {} });
  }
  return new AwsError(refusal.name, refusal.message);
}

/** A required request parameter is absent (the code varies by protocol family). */
export function missingParameter(name: string, code = 'MissingParameter'): AwsError {
  const refusal = missing(name, code);
  return new AwsError(refusal.name, refusal.message);
}

/** An action the stand-in does not implement: AWS's answer to an unknown action. */
export function unknownAction(service: string, action: string, code = 'InvalidAction'): AwsError {
  return new AwsError(
    code,
    `The action ${action} is not valid for this web service (${service}), or the local stand-in does not implement it.`,
  );
}

/** AWS's rate limiting answer. */
export function throttled(): AwsError {
  return new AwsError('ThrottlingException', 'Rate exceeded', 400);
}

/** A server-side failure, as AWS reports one. */
export function internalFailure(
  message = 'An internal error has occurred. Please try your query again at a later time.',
): AwsError {
  return new AwsError('InternalFailure', message, 500, 'Receiver');
}
