import {
  CHILD_RESULT,
  childWorkflow,
  type Definition,
  failWithRecordedError,
  lambdaTask,
  RETRY,
  recordError,
  STARTED_BY,
} from './asl.js';
import { BUILD_FAILURES, buildPath } from './build.js';
import { loopStuck, resourceFailed } from './poll.js';

/** The clone workflow's own timeout: its build path's loops, the rollback teardown and retries, with room. */
export const CLONE_TIMEOUT_SECONDS = 7200;

const rollback = { next: BUILD_FAILURES.rollback };

/**
 * `state-machines/clone.asl.json`: inspect, schedule the TTL deletion, build (the shared build
 * path), publish; every failure after inspection rolls back what this execution made.
 */
export function cloneDefinition(): Definition {
  return {
    Comment:
      'db-artifact-factory: clone an Aurora PostgreSQL cluster (copy-on-write), reset its password into a Secrets Manager secret, publish the endpoint, and delete it at its TTL. Input: an artifact document (docs/artifact.md).',
    StartAt: 'InspectSource',
    TimeoutSeconds: CLONE_TIMEOUT_SECONDS,
    States: {
      InspectSource: lambdaTask({
        handler: 'inspect-source',
        comment:
          'Validate the artifact, check the source and the quota, resolve the network: output { plan }. Nothing is created yet.',
        parameters: {
          'artifact.$': '$',
          'executionArn.$': '$$.Execution.Id',
          'executionName.$': '$$.Execution.Name',
          'startTime.$': '$$.Execution.StartTime',
        },
        onError: { next: 'NotStarted' },
        next: 'ScheduleTtlDeletion',
      }),
      NotStarted: failWithRecordedError('Refused before anything was created: nothing to roll back.'),
      ScheduleTtlDeletion: lambdaTask({
        handler: 'schedule-ttl-deletion',
        comment:
          'The TTL schedule exists before any resource does, so even a stopped or timed-out execution is cleaned up at expiry.',
        parameters: { 'plan.$': '$.plan' },
        resultPath: '$.schedule',
        onError: rollback,
        next: 'RestoreCloneCluster',
      }),
      ...buildPath({
        restore: {
          name: 'RestoreCloneCluster',
          comment: 'Subnet group (explicit subnets only), security group, then the copy-on-write restore.',
        },
        password: {
          name: 'ResetPassword',
          handler: 'reset-password',
          comment:
            "Replace production's password with a fresh one kept only in the clone's secret; only the secret ARN comes back.",
          parameters: { 'plan.$': '$.plan', 'cluster.$': '$.cluster' },
          resultPath: '$.secret',
        },
        onBuilt: 'PublishEndpoint',
      }),
      PublishEndpoint: lambdaTask({
        handler: 'publish-endpoint',
        comment:
          'The execution output: endpoints, port, username, database and the secret ARN (never the password). Also a Clone Ready event.',
        parameters: { 'plan.$': '$.plan', 'secretArn.$': '$.secret.secretArn' },
        onError: rollback,
        end: true,
      }),
      [BUILD_FAILURES.resourceFailed]: resourceFailed(BUILD_FAILURES.rollback),
      [BUILD_FAILURES.stuck]: loopStuck('CloneTimedOut', 'clone', BUILD_FAILURES.rollback),
      [BUILD_FAILURES.rollback]: childWorkflow({
        workflow: 'teardown',
        comment:
          'Run the teardown for what THIS execution created (onlyExecutionArn), then fail with the original cause.',
        input: {
          Input: {
            'cloneId.$': '$.plan.cloneId',
            reason: 'rollback',
            finalSnapshot: false,
            'onlyExecutionArn.$': '$$.Execution.Id',
            ...STARTED_BY,
          },
        },
        resultSelector: CHILD_RESULT,
        resultPath: '$.rollback',
        retry: RETRY.cleanup,
        onError: { next: 'RecordRollbackFailed', resultPath: '$.rollbackError' },
        next: 'CloneFailed',
      }),
      CloneFailed: failWithRecordedError('Rolled back: nothing of this execution is left.'),
      RecordRollbackFailed: recordError(
        { Error: 'RollbackFailed' },
        {
          'Cause.$':
            "States.Format('The clone failed ({}: {}) and its rollback failed too ({}: {}). Resources tagged dbaf:clone-id={} may remain until the TTL schedule deletes them; to remove them now, start the teardown state machine with the input cloneId={}.', $.error.Error, $.error.Cause, $.rollbackError.Error, $.rollbackError.Cause, $.plan.cloneId, $.plan.cloneId)",
        },
        'CloneFailed',
      ),
    },
  };
}
