import * as sdk from '@aws-sdk/client-rds';
import { RDSServiceException } from '@aws-sdk/client-rds';
import { identifierRefusal, storedIdentifier } from '../../../functions/shared/aws/rds-identifiers.js';
import { type AwsRefusal, missingParameter } from '../../../functions/shared/aws/refusal.js';
import { sdkError } from './bind.js';

/** One of RDS's refusals (`functions/shared/aws/rds-errors.ts`), as the SDK raises it. */
export function rdsError(refusal: AwsRefusal): Error {
  return sdkError(sdk, RDSServiceException, refusal);
}

/** An identifier RDS takes (`functions/shared/aws/rds-identifiers.ts`), in lower case as RDS stores it. */
export function rdsIdentifier(value: string | undefined, parameter: string): string {
  if (value === undefined || value === '') throw rdsError(missingParameter(parameter));
  const refusal = identifierRefusal(value, parameter);
  if (refusal) throw rdsError(refusal);
  return storedIdentifier(value);
}
