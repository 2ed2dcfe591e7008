/**
 * An error AWS answers a request with: the name an SDK client raises it under, and AWS's words.
 *
 * The rules in `functions/shared/aws/` return a refusal instead of throwing, so that each fake of
 * AWS raises it in its own way (the stand-in on the wire, the workflow tests' fake as an SDK
 * exception) under the same name and with the same message.
 */
export interface AwsRefusal {
  /**
   * The error's name as an AWS SDK v3 client raises it: the exception class when the SDK models
   * one (`DBClusterNotFoundFault`, whose wire code is `DBClusterNotFoundFault`;
   * `DBInstanceNotFoundFault`, whose wire code is `DBInstanceNotFound`), otherwise AWS's error
   * code (`InvalidParameterValue`).
   */
  readonly name: string;
  /** AWS's message. */
  readonly message: string;
}

/**
 * AWS's answer to a request without a required parameter (or with it empty): `MissingParameter` in
 * the query protocols (RDS, EC2; "Common Errors" of their API references).
 */
export function missingParameter(parameter: string, name = 'MissingParameter'): AwsRefusal {
  return { name, message: `The request must contain the parameter ${parameter}.` };
}
