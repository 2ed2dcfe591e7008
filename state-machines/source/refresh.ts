import {
  CHILD_RESULT,
  childWorkflow,
  type Definition,
  failWithRecordedError,
  lambdaTask,
  RETRY,
  type Retrier,
  recordError,
  STARTED_BY,
  type State,
  type States,
  type Transition,
} from './asl.js';
import { BUILD_FAILURES, BUILD_TIMING, buildPath } from './build.js';
import { CLONE_TIMEOUT_SECONDS } from './clone.js';
import {
  loopStuck,
  type PollLoopProps,
  pollBoundSeconds,
  pollLoop,
  pollStart,
  resourceFailed,
} from './poll.js';
import { TEARDOWN_TIMEOUT_SECONDS } from './teardown.js';

/** How long a rename is waited for: 30 s, then every 15 s, at most 40 looks (about 10 minutes). */
export const RENAME_TIMING = { firstWaitSeconds: 30, intervalSeconds: 15, maxAttempts: 40 } as const;

/** About how long the plan may wait out a clone that is briefly not `available` ({@link RETRY.cloneBusy}). */
const PLAN_ALLOWANCE_SECONDS = 1800;

/**
 * The refresh's own timeout, from the bounds it contains: the plan's wait, then either the clone
 * workflow (a clone made by its first refresh) or the build path, both renames and the old
 * cluster's teardown; rounded up to the hour.
 */
export const REFRESH_TIMEOUT_SECONDS = (() => {
  const loops = [...Object.values(BUILD_TIMING), RENAME_TIMING, RENAME_TIMING].map(pollBoundSeconds);
  const swap = loops.reduce((sum, seconds) => sum + seconds, 0) + TEARDOWN_TIMEOUT_SECONDS;
  const longest = PLAN_ALLOWANCE_SECONDS + Math.max(CLONE_TIMEOUT_SECONDS, swap);
  return Math.ceil(longest / 3600) * 3600;
})();

const REPORT_FAILURE = 'ReportFailure';
const ROLLBACK_FAILED = 'RecordRollbackFailed';
const rollback = { next: BUILD_FAILURES.rollback };

/** One step of the refresh Lambda on the planned swap. */
function swapStep(
  step: string,
  comment: string,
  props: {
    resultPath: string;
    notReady: Retrier;
    onError: { next: string; resultPath?: string };
  } & Transition,
): State {
  return lambdaTask({
    handler: 'refresh',
    comment,
    parameters: { step, 'plan.$': '$.plan', 'swap.$': '$.swap' },
    ...props,
  });
}

/** A wait for a rename to finish: the cluster under its new name, `available`. */
function renameLoop(
  subject: string,
  clusterIdentifierPath: string,
  ends: Pick<PollLoopProps, 'onReady' | 'onFailed' | 'onStuck' | 'onError'>,
): States {
  return pollLoop({
    subject,
    choice: `Is${subject}Done`,
    firstWaitComment: 'A rename takes one to a few minutes.',
    clusterIdentifierPath,
    phase: 'renamed',
    timing: RENAME_TIMING,
    ...ends,
  });
}

/** The failure report: a `Clone Refresh Failed` event, then the execution fails with the same error. */
function report(comment: string, cloneId: Record<string, unknown>): State {
  return lambdaTask({
    handler: 'refresh',
    comment,
    parameters: { step: 'report', 'request.$': '$$.Execution.Input', ...cloneId, 'error.$': '$.error' },
    resultPath: '$.report',
    onError: { next: 'RefreshFailed', resultPath: '$.reportError' },
    next: 'RefreshFailed',
  });
}

/** The teardown of one refresh cluster (`scope: cluster`). */
function deleteCluster(
  comment: string,
  input: Record<string, unknown>,
  props: { resultPath: string; onError: { next: string; resultPath: string } } & Transition,
): State {
  return childWorkflow({
    workflow: 'teardown',
    comment,
    input: {
      Input: { 'cloneId.$': '$.plan.cloneId', ...input, finalSnapshot: false, ...STARTED_BY },
    },
    resultSelector: CHILD_RESULT,
    retry: RETRY.cleanup,
    ...props,
  });
}

/** The states before the build: plan, and make a clone that does not exist yet. */
function planStates(): States {
  return {
    PlanRefresh: lambdaTask({
      handler: 'refresh',
      comment:
        'Checks the artifact, the clone (ours, available, not being made, not expiring within the hour, no other refresh under way), its secret and network, the source and the quota. Creates nothing.',
      parameters: {
        step: 'plan',
        'request.$': '$',
        'executionArn.$': '$$.Execution.Id',
        'startTime.$': '$$.Execution.StartTime',
      },
      notReady: RETRY.cloneBusy,
      onError: { next: 'ReportNotStarted' },
      next: 'IsThereAClone',
    }),
    IsThereAClone: {
      Type: 'Choice',
      Comment: 'No clone of that name yet: the clone workflow makes it from the same artifact.',
      Choices: [{ Variable: '$.mode', StringEquals: 'create', Next: 'MakeClone' }],
      Default: 'RestoreNewCluster',
    },
    MakeClone: childWorkflow({
      workflow: 'clone',
      comment:
        'The first refresh of a clone that does not exist makes it: the clone workflow, with its own rollback.',
      input: { 'Input.$': '$.artifact' },
      resultSelector: { 'executionArn.$': '$.ExecutionArn', 'clone.$': '$.Output' },
      resultPath: '$.made',
      retry: RETRY.startChild,
      onError: { next: REPORT_FAILURE, resultPath: '$.error' },
      next: 'Made',
    }),
    Made: {
      Type: 'Pass',
      Parameters: {
        'cloneId.$': '$.cloneId',
        'reason.$': '$.reason',
        'made.$': '$.made.executionArn',
        'clone.$': '$.made.clone',
      },
      End: true,
    },
  };
}

/** The swap: rename the old cluster away, the new one in, finish, delete the old one. */
function swapStates(): States {
  return {
    RetireOldCluster: swapStep(
      'retire',
      "From here the clone's name is moving: ModifyDBCluster NewDBClusterIdentifier <cloneId> -> <cloneId>-old.",
      { resultPath: '$.last', notReady: RETRY.notReady, onError: rollback, next: pollStart('Retire') },
    ),
    ...renameLoop('Retire', '$.swap.retiredId', {
      onReady: 'PromoteNewCluster',
      onFailed: BUILD_FAILURES.resourceFailed,
      onStuck: BUILD_FAILURES.stuck,
      onError: rollback,
    }),
    PromoteNewCluster: swapStep(
      'promote',
      '<cloneId>-next -> <cloneId>: the endpoint host name follows the name.',
      { resultPath: '$.last', notReady: RETRY.notReady, onError: rollback, next: pollStart('Promote') },
    ),
    ...renameLoop('Promote', '$.plan.cloneId', {
      onReady: 'FinishRefresh',
      onFailed: 'RecordPromoteFailed',
      onStuck: 'RecordPromoteFailed',
      onError: { next: REPORT_FAILURE },
    }),
    RecordPromoteFailed: recordError(
      { Error: 'RefreshIncomplete' },
      {
        'Cause.$':
          "States.Format('The new cluster was renamed to {} but did not become available ({}). The old cluster is {}: nothing was deleted. Check the RDS events of {}.', $.plan.cloneId, $.status.detail, $.swap.retiredId, $.plan.cloneId)",
      },
      REPORT_FAILURE,
    ),
    FinishRefresh: lambdaTask({
      handler: 'refresh',
      comment:
        "The same secret (same ARN and password) pointed at the cluster now under the clone's name, the TTL counted from now, a Clone Refreshed event.",
      parameters: { step: 'finish', 'plan.$': '$.plan', 'swap.$': '$.swap', 'reason.$': '$.reason' },
      resultPath: '$.result',
      notReady: RETRY.notReady,
      onError: { next: 'RecordFinishFailed' },
      next: 'DeleteOldCluster',
    }),
    RecordFinishFailed: recordError(
      { 'Error.$': '$.error.Error' },
      {
        'Cause.$':
          "States.Format('The clone was refreshed (the new cluster holds the name {}), but updating its secret or TTL schedule failed: {}. Its expiry may not have moved: check it with dbaf show {}, and dbaf extend it if needed. The old cluster {} is kept; delete it with the teardown input cloneId={}, clusterIdentifier={}, scope=cluster (a new refresh waits until it is gone).', $.plan.cloneId, $.error.Cause, $.plan.cloneId, $.swap.retiredId, $.plan.cloneId, $.swap.retiredId)",
      },
      REPORT_FAILURE,
    ),
    DeleteOldCluster: deleteCluster(
      'The teardown of the old cluster only (scope cluster): the schedule, network and secret stay with the clone.',
      { 'clusterIdentifier.$': '$.swap.retiredId', scope: 'cluster', reason: 'refresh' },
      {
        resultPath: '$.deletedOld',
        onError: { next: 'RecordOldNotDeleted', resultPath: '$.deleteError' },
        next: 'Refreshed',
      },
    ),
    RecordOldNotDeleted: recordError(
      { Error: 'RefreshIncomplete' },
      {
        'Cause.$':
          "States.Format('The clone {} was refreshed, but its old cluster {} could not be deleted ({}: {}). Delete it with the teardown state machine, input cloneId={}, clusterIdentifier={}, scope=cluster.', $.plan.cloneId, $.swap.retiredId, $.deleteError.Error, $.deleteError.Cause, $.plan.cloneId, $.swap.retiredId)",
      },
      REPORT_FAILURE,
    ),
    Refreshed: {
      Type: 'Pass',
      Comment: 'The execution output: the Clone Refreshed detail. Never the password.',
      OutputPath: '$.result',
      End: true,
    },
  };
}

/** The rollback: put the old cluster back under the clone's name, delete what this execution made. */
function rollbackStates(): States {
  const rollbackError = { next: ROLLBACK_FAILED, resultPath: '$.rollbackError' };
  return {
    [BUILD_FAILURES.resourceFailed]: resourceFailed(BUILD_FAILURES.rollback),
    [BUILD_FAILURES.stuck]: loopStuck('RefreshTimedOut', 'refresh', BUILD_FAILURES.rollback),
    [BUILD_FAILURES.rollback]: swapStep(
      'revert',
      "Puts the old cluster back under the clone's name if it had been moved. If the new cluster already holds the name, the refresh finishes instead.",
      {
        resultPath: '$.revert',
        notReady: RETRY.renameInProgress,
        onError: rollbackError,
        next: 'IsSwapDone',
      },
    ),
    IsSwapDone: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.revert.committed', BooleanEquals: true, Next: pollStart('Promote') },
        { Variable: '$.revert.renamedBack', BooleanEquals: true, Next: pollStart('Restore') },
      ],
      Default: 'DeleteNewCluster',
    },
    ...renameLoop('Restore', '$.plan.cloneId', {
      onReady: 'DeleteNewCluster',
      onFailed: 'RecordRollbackStuck',
      onStuck: 'RecordRollbackStuck',
      onError: rollbackError,
    }),
    RecordRollbackStuck: recordError(
      { Error: 'RollbackFailed' },
      {
        'Cause.$':
          "States.Format('The refresh failed and its old cluster was renamed back to {}, but it did not become available ({}).', $.plan.cloneId, $.status.detail)",
      },
      ROLLBACK_FAILED,
      '$.rollbackError',
    ),
    DeleteNewCluster: deleteCluster(
      'The teardown of what THIS execution created (onlyExecutionArn): the new cluster and its instances, nothing else.',
      {
        'clusterIdentifier.$': '$.plan.clusterIdentifier',
        scope: 'cluster',
        reason: 'rollback',
        'onlyExecutionArn.$': '$$.Execution.Id',
      },
      { resultPath: '$.rollback', onError: rollbackError, next: REPORT_FAILURE },
    ),
    [ROLLBACK_FAILED]: recordError(
      { Error: 'RollbackFailed' },
      {
        'Cause.$':
          "States.Format('The refresh failed ({}: {}) and its rollback failed too ({}: {}). The clone is {} (or {} if the rename back did not happen); the new cluster {} may remain: delete it with the teardown input cloneId={}, clusterIdentifier={}, scope=cluster.', $.error.Error, $.error.Cause, $.rollbackError.Error, $.rollbackError.Cause, $.plan.cloneId, $.swap.retiredId, $.plan.clusterIdentifier, $.plan.cloneId, $.plan.clusterIdentifier)",
      },
      REPORT_FAILURE,
    ),
  };
}

/**
 * `state-machines/refresh.asl.json`: build `<cloneId>-next` with the clone's build path, swap the
 * names, finish, delete the old cluster; on failure the old cluster keeps (or gets back) the name.
 */
export function refreshDefinition(): Definition {
  return {
    Comment:
      'db-artifact-factory: refresh a named clone from its source, keeping its endpoint host name, port, secret ARN and password. Builds a new cluster beside the clone, renames the old one away and the new one into place, then deletes the old one; on failure the old cluster keeps (or gets back) the clone\'s name and only what this execution made is deleted. Input: {"artifact": <the clone\'s artifact>, "reason": "scheduled"}. A clone that does not exist yet is made by the clone workflow.',
    StartAt: 'PlanRefresh',
    TimeoutSeconds: REFRESH_TIMEOUT_SECONDS,
    States: {
      ...planStates(),
      ...buildPath({
        restore: {
          name: 'RestoreNewCluster',
          comment:
            "The copy-on-write restore of the source as <cloneId>-next, in the clone's network. Creating it is the refresh's lock: RDS refuses a second cluster of that name.",
        },
        instancesComment: "The new cluster's instances: <cloneId>-<gen>-1 (writer), ...",
        password: {
          name: 'CopyPassword',
          handler: 'refresh',
          comment:
            "The new cluster gets the password in the clone's secret (read inside the Lambda, never in this state).",
          parameters: { step: 'password', 'plan.$': '$.plan', 'swap.$': '$.swap' },
          resultPath: '$.last',
        },
        onBuilt: 'RetireOldCluster',
      }),
      ...swapStates(),
      ...rollbackStates(),
      ReportNotStarted: report(
        'Nothing was created: a Clone Refresh Failed event, then the execution fails with the same error.',
        { cloneId: null },
      ),
      [REPORT_FAILURE]: report(
        'A Clone Refresh Failed event, then the execution fails with the same error.',
        {
          'cloneId.$': '$.cloneId',
        },
      ),
      RefreshFailed: failWithRecordedError(
        'The clone, if it existed, serves as before the refresh (unless the cause says otherwise).',
      ),
    },
  };
}
