import { type Definition, failWithRecordedError, lambdaTask } from './asl.js';

/** The operations' own timeout: one Lambda step and its retries, with room. */
export const OPERATIONS_TIMEOUT_SECONDS = 900;

/**
 * `state-machines/operations.asl.json`: the deployment's operations on existing clones, each
 * enforcing the deployment's own limits, so that a person needs no permission but to start it.
 */
export function operationsDefinition(): Definition {
  return {
    Comment:
      'db-artifact-factory: operations on clones that the deployment checks against its own limits. Input: {"operation": "extend", "cloneId": "dbaf-mine", "by": "4h"}, {"operation": "schedule-refresh", "artifact": <artifact naming the clone>, "cron": "0 6 ? * MON-FRI *", "timezone": "Europe/Paris"} or {"operation": "unschedule-refresh", "cloneId": "dbaf-mine"}. Output: what the operation did.',
    StartAt: 'Run',
    TimeoutSeconds: OPERATIONS_TIMEOUT_SECONDS,
    States: {
      Run: lambdaTask({
        handler: 'operations',
        comment:
          'Checks the input and the deployment limits (maximum TTL and lifetime, allowed sources), then does it. Refused: InvalidRequest, ExpiryLimitExceeded, CloneNotFound, CloneExpired, RefusedTarget.',
        onError: { next: 'OperationFailed' },
        end: true,
      }),
      OperationFailed: failWithRecordedError(),
    },
  };
}
