/**
 * The ways a refresh of a clone can fail, for `refresh.test.ts`: what goes wrong, what the
 * execution must say, which states it must pass, and what it must leave of the clone.
 */
import { EventBridgeServiceException } from '@aws-sdk/client-eventbridge';
import {
  InsufficientDBClusterCapacityFault,
  InsufficientDBInstanceCapacityFault,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { SchedulerServiceException } from '@aws-sdk/client-scheduler';
import { TAG } from '../../functions/shared/tags.js';
import { type FakeAws, type FakeCluster, rdsArn, SOURCE } from '../support/fake-aws/index.js';
import { pollLimit } from '../support/refresh.js';
import { STATE_MACHINE_ARNS } from '../support/workflow.js';

/** The clone `artifact()` names, and the names a refresh gives its other clusters. */
export const CLONE = 'dbaf-legacy-prod-alice';
export const NEXT = `${CLONE}-next`;
export const OLD = `${CLONE}-old`;

/** The clone as its clone execution left it, before any refresh. */
export interface MadeClone {
  readonly executionArn: string;
  /** Its secret's value, password included. */
  readonly secret: string;
  readonly password: string;
}

/** A way the plan refuses a refresh: nothing is created, the clone serves on. */
export interface Refusal {
  readonly what: string;
  /** Makes the trouble, once the clone (if `noClone` is not set) is made. */
  readonly arrange: (aws: FakeAws, clone: MadeClone) => void;
  readonly noClone?: boolean;
  /** The refresh runs this long after the clone was made. @default 0 */
  readonly hoursLater?: number;
  readonly error: string;
  /** What the cause must say, for a person to act on it. */
  readonly cause: readonly (string | RegExp)[];
  /** The clone's clusters afterwards (see `clustersOf`): `old` is the clone's, `new` the refresh's. */
  readonly leaves: readonly string[];
}

/** A way a refresh fails once it has begun to build. */
export interface Failure extends Refusal {
  /** States the execution must pass through. */
  readonly reaches: readonly string[];
  /** A poll loop that must give up at its bound: its check state and its Choice state. */
  readonly polls?: readonly [check: string, choice: string];
  /** Event detail types sent from the start of the refresh. @default ['Clone Refresh Failed'] */
  readonly announces?: readonly string[];
  /** The cluster the cause tells a person to delete with the teardown; doing so must work. */
  readonly thenDelete?: string;
}

const meta = { $metadata: {} };
const rdsError = (name: string, message: string) => () =>
  new RDSServiceException({ name, message, $fault: 'client', ...meta });
const renameRefused = rdsError('InvalidParameterCombination', 'Injected: the rename was refused.');
const noCapacity = () => new InsufficientDBClusterCapacityFault({ message: 'no capacity', ...meta });

/** A copy of the clone's cluster under another name, as a person or another refresh left it. */
function beside(aws: FakeAws, id: string, change: Partial<FakeCluster> = {}): void {
  const cluster = aws.state.clusters.get(CLONE);
  if (!cluster) throw new Error('the clone was not made');
  aws.state.clusters.set(id, { ...cluster, id, arn: rdsArn('cluster', id), ...change });
}

const checks = (choice: string) => `after ${pollLimit('refresh', choice)} status checks`;
const SERVING = [`${CLONE} (old, available, 1 instance)`];
const FAILED = ['ReportFailure', 'RefreshFailed'];
const ROLLED_BACK = ['Rollback', 'DeleteNewCluster', ...FAILED];
const ROLLBACK_FAILED = ['Rollback', 'RecordRollbackFailed', ...FAILED];
const SWAPPED = [`${CLONE} (new, available, 1 instance)`, `${OLD} (old, available, 1 instance)`];
const TORN = [`${NEXT} (new, available, 1 instance)`];

export const REFUSALS: readonly Refusal[] = [
  {
    what: 'a cluster of the clone name that is not ours',
    noClone: true,
    arrange: (aws) => {
      const source = aws.state.clusters.get(SOURCE.id) as FakeCluster;
      aws.state.clusters.set(CLONE, { ...source, id: CLONE, arn: rdsArn('cluster', CLONE), tags: [] });
    },
    error: 'RefusedTarget',
    cause: ['was not made by db-artifact-factory', 'a refresh never replaces it'],
    leaves: [`${CLONE} (someone else, available, 0 instances)`],
  },
  {
    what: 'a clone that expires within the hour',
    arrange: () => undefined,
    hoursLater: 7.5, // of its 8-hour TTL: 30 minutes are left
    error: 'CloneConflict',
    cause: ['too soon for a refresh to finish', `dbaf extend ${CLONE}`],
    leaves: SERVING,
  },
  {
    what: 'another refresh under way',
    arrange: (aws) =>
      beside(aws, NEXT, {
        status: 'creating',
        ticks: 1_000,
        tags: [
          { Key: TAG.managedBy, Value: 'db-artifact-factory' },
          { Key: TAG.cloneId, Value: CLONE },
        ],
      }),
    error: 'CloneConflict',
    cause: [`Another refresh of clone "${CLONE}" is under way`, 'wait for that one to end'],
    leaves: [...SERVING, `${NEXT} (someone else, creating, 0 instances)`],
  },
  {
    what: 'a clone still being made',
    arrange: (aws, clone) => {
      const { executionArn: arn } = clone;
      const name = arn.split(':').pop() ?? '';
      aws.state.executions.set(arn, {
        arn,
        name,
        stateMachineArn: STATE_MACHINE_ARNS.clone,
        input: '{}',
        status: 'RUNNING',
      });
    },
    error: 'CloneConflict',
    cause: ['is still being made by execution', 'Try again once it has finished'],
    leaves: SERVING,
  },
  {
    what: 'the old cluster of an earlier refresh left behind',
    arrange: (aws) => beside(aws, OLD),
    error: 'CloneConflict',
    cause: [`still has the old cluster of an earlier refresh, "${OLD}"`, `"clusterIdentifier": "${OLD}"`],
    leaves: [...SERVING, `${OLD} (old, available, 0 instances)`],
  },
];

export const FAILURES: readonly Failure[] = [
  {
    what: 'the new cluster ends in a status RDS does not leave',
    arrange: (aws) => {
      aws.state.behaviour.clusterEndStatus = 'incompatible-restore';
    },
    error: 'ResourceFailed',
    cause: [`Cluster ${NEXT} is incompatible-restore`],
    reaches: ['RecordResourceFailed', ...ROLLED_BACK],
    leaves: SERVING,
  },
  {
    what: 'an instance of the new cluster ends failed',
    arrange: (aws) => {
      aws.state.behaviour.instanceEndStatus = 'failed';
    },
    error: 'ResourceFailed',
    cause: [new RegExp(`${CLONE}-\\w{4}-1 is failed`)],
    reaches: ['CheckInstances', 'RecordResourceFailed', ...ROLLED_BACK],
    leaves: SERVING,
  },
  {
    what: 'RDS has no capacity for the new cluster',
    arrange: (aws) => aws.failNext('RestoreDBClusterToPointInTimeCommand', noCapacity, 100),
    error: 'ResourceFailed',
    cause: ['no capacity'],
    reaches: ['RestoreNewCluster', ...ROLLED_BACK],
    leaves: SERVING,
  },
  {
    what: "the new cluster's password never applies",
    arrange: (aws) => aws.state.behaviour.stuck.add('password'),
    error: 'RefreshTimedOut',
    cause: [checks('IsPasswordApplied'), 'The refresh has been rolled back'],
    reaches: ['RecordStuck', ...ROLLED_BACK],
    polls: ['CheckPassword', 'IsPasswordApplied'],
    leaves: SERVING,
  },
  {
    what: 'the rename into place is refused',
    arrange: (aws) => aws.fail('ModifyDBClusterCommand', renameRefused, { after: 2 }),
    error: 'InvalidParameterCombination',
    cause: ['the rename was refused'],
    reaches: [
      'PromoteNewCluster',
      'Rollback',
      'StartRestoreChecks',
      'CheckRestore',
      'DeleteNewCluster',
      ...FAILED,
    ],
    leaves: SERVING,
  },
  {
    what: 'the rename into place is refused, and so is the rename back',
    arrange: (aws) => aws.fail('ModifyDBClusterCommand', renameRefused, { after: 2, times: 2 }),
    error: 'RollbackFailed',
    cause: [/failed \(InvalidParameterCombination: .*failed too \(InvalidParameterCombination: /, OLD],
    reaches: ROLLBACK_FAILED,
    leaves: [...TORN, `${OLD} (old, available, 1 instance)`],
    thenDelete: NEXT,
  },
  {
    what: 'the rename back never finishes',
    arrange: (aws) => {
      aws.fail('ModifyDBClusterCommand', renameRefused, { after: 2 });
      aws.state.behaviour.renameEnds.set(OLD, 'never');
    },
    error: 'RollbackFailed',
    cause: ['the rename was refused', `renamed back to ${CLONE}, but it did not become available`],
    reaches: ['StartRestoreChecks', 'CheckRestore', 'RecordRollbackStuck', ...ROLLBACK_FAILED],
    polls: ['CheckRestore', 'IsRestoreDone'],
    leaves: [...TORN, `${OLD} (old, renaming, 1 instance)`],
    thenDelete: NEXT,
  },
  {
    what: 'the rename back ends failed',
    arrange: (aws) => {
      aws.fail('ModifyDBClusterCommand', renameRefused, { after: 2 });
      aws.state.behaviour.renameEnds.set(OLD, 'failed');
    },
    error: 'RollbackFailed',
    cause: [`Cluster ${CLONE} is failed`],
    reaches: ['CheckRestore', 'RecordRollbackStuck', ...ROLLBACK_FAILED],
    leaves: [`${CLONE} (old, failed, 1 instance)`, ...TORN],
    thenDelete: NEXT,
  },
  {
    what: 'the new cluster never leaves creating, so the rollback cannot delete it',
    arrange: (aws) => aws.state.behaviour.stuck.add('cluster'),
    error: 'RollbackFailed',
    cause: ['RefreshTimedOut', checks('IsClusterAvailable'), `clusterIdentifier=${NEXT}, scope=cluster`],
    reaches: ['RecordStuck', 'DeleteNewCluster', ...ROLLBACK_FAILED],
    polls: ['CheckCluster', 'IsClusterAvailable'],
    leaves: [...SERVING, `${NEXT} (new, creating, 0 instances)`],
    thenDelete: NEXT,
  },
  {
    what: "the old cluster's rename away never finishes",
    arrange: (aws) => aws.state.behaviour.renameEnds.set(CLONE, 'never'),
    error: 'RollbackFailed',
    cause: ['RefreshTimedOut', checks('IsRetireDone'), 'is being renamed'],
    reaches: ['CheckRetire', 'RecordStuck', ...ROLLBACK_FAILED],
    polls: ['CheckRetire', 'IsRetireDone'],
    leaves: [`${CLONE} (old, renaming, 1 instance)`, ...TORN],
    thenDelete: NEXT,
  },
  {
    what: 'the new cluster ends failed once it holds the name',
    arrange: (aws) => aws.state.behaviour.renameEnds.set(NEXT, 'failed'),
    error: 'RefreshIncomplete',
    cause: [
      `renamed to ${CLONE} but did not become available`,
      `The old cluster is ${OLD}: nothing was deleted`,
    ],
    reaches: ['CheckPromote', 'RecordPromoteFailed', ...FAILED],
    leaves: [`${CLONE} (new, failed, 1 instance)`, `${OLD} (old, available, 1 instance)`],
  },
  {
    what: 'the rename into place never finishes',
    arrange: (aws) => aws.state.behaviour.renameEnds.set(NEXT, 'never'),
    error: 'RefreshIncomplete',
    cause: [`The old cluster is ${OLD}: nothing was deleted`],
    reaches: ['CheckPromote', 'RecordPromoteFailed', ...FAILED],
    polls: ['CheckPromote', 'IsPromoteDone'],
    leaves: [`${NEXT} (new, renaming, 1 instance)`, `${OLD} (old, available, 1 instance)`],
  },
  {
    what: 'the TTL schedule cannot be moved',
    arrange: (aws) =>
      aws.failNext(
        'UpdateScheduleCommand',
        () =>
          new SchedulerServiceException({
            name: 'AccessDeniedException',
            message: 'not authorized to perform scheduler:UpdateSchedule',
            $fault: 'client',
            ...meta,
          }),
        100,
      ),
    error: 'AccessDeniedException',
    cause: [
      `the new cluster holds the name ${CLONE}`,
      'scheduler:UpdateSchedule',
      `The old cluster ${OLD} is kept`,
    ],
    reaches: ['FinishRefresh', 'RecordFinishFailed', ...FAILED],
    leaves: SWAPPED,
    thenDelete: OLD,
  },
  {
    what: 'the old cluster cannot be deleted',
    arrange: (aws) =>
      aws.failNext(
        'DeleteDBClusterCommand',
        rdsError('AccessDenied', 'not authorized to perform rds:DeleteDBCluster'),
        100,
      ),
    error: 'RefreshIncomplete',
    cause: [`The clone ${CLONE} was refreshed, but its old cluster ${OLD} could not be deleted`],
    reaches: ['DeleteOldCluster', 'RecordOldNotDeleted', ...FAILED],
    leaves: [`${CLONE} (new, available, 1 instance)`, `${OLD} (old, available, 0 instances)`],
    announces: ['Clone Refreshed', 'Clone Refresh Failed'],
    thenDelete: OLD,
  },
  {
    what: 'the clone workflow cannot make a clone that does not exist yet',
    noClone: true,
    arrange: (aws) =>
      aws.failNext(
        'CreateDBInstanceCommand',
        () => new InsufficientDBInstanceCapacityFault({ message: 'no db.r6g.large capacity', ...meta }),
        100,
      ),
    error: 'States.TaskFailed',
    cause: [
      'ResourceFailed',
      'AWS has no capacity for class db.r6g.large',
      'choose another target.instanceClass',
    ],
    reaches: ['MakeClone', ...FAILED],
    leaves: [],
  },
  {
    what: 'even the failure event cannot be sent',
    arrange: (aws) => {
      aws.state.behaviour.clusterEndStatus = 'incompatible-restore';
      aws.failNext(
        'PutEventsCommand',
        () =>
          new EventBridgeServiceException({
            name: 'AccessDeniedException',
            message: 'not authorized to perform events:PutEvents',
            $fault: 'client',
            ...meta,
          }),
        100,
      );
    },
    error: 'ResourceFailed',
    cause: [`Cluster ${NEXT} is incompatible-restore`],
    reaches: ['RecordResourceFailed', ...ROLLED_BACK],
    leaves: SERVING,
    announces: [],
  },
];

/** A failure after the new cluster took the name: the rollback finishes the refresh instead. */
export const COMMITTED_REACHES = [
  'PromoteNewCluster',
  'Rollback',
  'IsSwapDone',
  'StartPromoteChecks',
] as const;

/** The states every refusal passes, in order. */
export const REFUSED_PATH = ['PlanRefresh', 'ReportNotStarted', 'RefreshFailed'] as const;
