import {
  applyDefaults,
  type Definition,
  failWithRecordedError,
  lambdaTask,
  RETRY,
  type Retrier,
  recordError,
  type State,
} from './asl.js';
import { pollLoop, pollStart } from './poll.js';

/** The teardown's own timeout: its deletion loop and retries, with room. */
export const TEARDOWN_TIMEOUT_SECONDS = 7200;

/** How long the teardown waits for the cluster to be gone: at most 60 looks, 30 s apart. */
export const DELETION_TIMING = { firstWaitSeconds: 0, intervalSeconds: 30, maxAttempts: 60 } as const;

const FAILED = 'TeardownFailed';

/** One step of the teardown Lambda, given the whole normalized request. */
function step(
  name: string,
  resultPath: string,
  next: string,
  options: { comment?: string; notReady?: Retrier } = {},
): State {
  return lambdaTask({
    handler: 'teardown',
    ...(options.comment === undefined ? {} : { comment: options.comment }),
    parameters: {
      step: name,
      'cloneId.$': '$.request.cloneId',
      'reason.$': '$.request.reason',
      'finalSnapshot.$': '$.request.finalSnapshot',
      'onlyExecutionArn.$': '$.request.onlyExecutionArn',
      'clusterIdentifier.$': '$.request.clusterIdentifier',
      'scope.$': '$.request.scope',
    },
    resultPath,
    ...(options.notReady === undefined ? {} : { notReady: options.notReady }),
    onError: { next: FAILED },
    next,
  });
}

/**
 * `state-machines/teardown.asl.json`: delete one clone (or one refresh cluster of it) and
 * everything made for it, each step idempotent, never a resource without the project's tags.
 */
export function teardownDefinition(): Definition {
  return {
    Comment:
      'db-artifact-factory: delete one clone and everything created for it. Input: {"cloneId": "dbaf-..."} with optional reason, finalSnapshot, onlyExecutionArn, and clusterIdentifier with scope "cluster" to delete one refresh cluster only. Never touches a resource without the managed-by tag, nor a source cluster.',
    StartAt: 'ValidateRequest',
    TimeoutSeconds: TEARDOWN_TIMEOUT_SECONDS,
    States: {
      ValidateRequest: {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.cloneId', IsPresent: true }, Next: 'InvalidRequest' },
          { Not: { Variable: '$.cloneId', IsString: true }, Next: 'InvalidRequest' },
        ],
        Default: 'ApplyDefaults',
      },
      InvalidRequest: {
        Type: 'Fail',
        Error: 'InvalidRequest',
        Cause:
          'The teardown input needs "cloneId", the identifier of the clone to delete, for example {"cloneId": "dbaf-legacy-prod-1a2b3c4d"}.',
      },
      ...applyDefaults(
        `Optional fields get their defaults: reason "user", no final snapshot, not a rollback, the clone's own cluster and everything of the clone.`,
        {
          reason: 'user',
          finalSnapshot: false,
          onlyExecutionArn: null,
          clusterIdentifier: null,
          scope: 'clone',
        },
        'Discover',
      ),
      Discover: step('discover', '$.found', 'DeleteSchedule', {
        comment: 'Refuses sources and untagged resources; reports what exists.',
      }),
      DeleteSchedule: step('schedule', '$.deletedSchedule', 'DeleteInstances'),
      DeleteInstances: step('instances', '$.deletedInstances', 'DeleteCluster', { notReady: RETRY.notReady }),
      DeleteCluster: step('cluster', '$.deletedCluster', pollStart('ClusterDeletion'), {
        comment: 'Skips the final snapshot unless finalSnapshot is true.',
        notReady: RETRY.notReady,
      }),
      ...pollLoop({
        subject: 'ClusterDeletion',
        choice: 'IsClusterGone',
        clusterIdentifierPath: '$.found.clusterIdentifier',
        phase: 'deleted',
        timing: DELETION_TIMING,
        onReady: 'DeleteNetwork',
        onStuck: 'RecordDeletionStuck',
        onError: { next: FAILED },
      }),
      DeleteNetwork: step('network', '$.deletedNetwork', 'DeleteSecret', {
        comment: 'Subnet group and security group: only once the cluster is gone.',
        notReady: RETRY.notReady,
      }),
      DeleteSecret: step('secret', '$.deletedSecret', 'TornDown'),
      TornDown: {
        Type: 'Pass',
        Parameters: {
          'cloneId.$': '$.request.cloneId',
          'reason.$': '$.request.reason',
          'schedule.$': '$.deletedSchedule',
          'instances.$': '$.deletedInstances',
          'cluster.$': '$.deletedCluster',
          'network.$': '$.deletedNetwork',
          'secret.$': '$.deletedSecret',
          'clusterIdentifier.$': '$.found.clusterIdentifier',
        },
        End: true,
      },
      RecordDeletionStuck: recordError(
        { Error: 'TeardownTimedOut' },
        {
          'Cause.$':
            "States.Format('Cluster {} was still being deleted after {} checks ({}). Start the teardown again later; it resumes where it stopped.', $.found.clusterIdentifier, $.status.attempt, $.status.detail)",
        },
        FAILED,
      ),
      [FAILED]: failWithRecordedError(),
    },
  };
}
