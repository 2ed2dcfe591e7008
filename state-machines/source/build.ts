/**
 * The clone's build path, shared by the clone and the refresh workflows: restore the cluster, wait
 * for it, create its instances, wait for them, set the master password, wait for it to apply. The
 * clone builds `<cloneId>`, the refresh `<cloneId>-next`; both read the cluster to build from
 * `$.plan.clusterIdentifier` (`functions/shared/plan.ts`).
 */
import type { HandlerName } from '../catalog.js';
import { lambdaTask, RETRY, type States } from './asl.js';
import { type PollTiming, pollLoop, pollStart } from './poll.js';

/** The states every build path failure goes to; each workflow defines them. */
export const BUILD_FAILURES = {
  /** Undoes what this execution built, then fails. */
  rollback: 'Rollback',
  /** A terminal status seen by a wait loop (see `resourceFailed`). */
  resourceFailed: 'RecordResourceFailed',
  /** A wait loop out of attempts (see `loopStuck`). */
  stuck: 'RecordStuck',
} as const;

/** How long the build path waits for each thing, from AWS's usual provisioning times. */
export const BUILD_TIMING = {
  /** A copy-on-write clone cluster is usually available after 2 to 5 minutes. */
  cluster: { firstWaitSeconds: 120, intervalSeconds: 30, maxAttempts: 40 },
  /** A new Aurora instance takes 5 to 10 minutes. */
  instances: { firstWaitSeconds: 360, intervalSeconds: 30, maxAttempts: 50 },
  /** A master password change applies in well under a minute. */
  password: { firstWaitSeconds: 20, intervalSeconds: 10, maxAttempts: 30 },
} as const satisfies Record<string, PollTiming>;

/** The step that sets the new cluster's master password: the clone's fresh one, the refresh's kept one. */
export interface PasswordStep {
  readonly name: string;
  readonly handler: HandlerName;
  readonly comment: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly resultPath: string;
}

/** What differs between the clone's and the refresh's build. */
export interface BuildPathProps {
  /** The restore step's name and what it says. */
  readonly restore: { readonly name: string; readonly comment: string };
  /** What the instance step says. @default - nothing */
  readonly instancesComment?: string;
  readonly password: PasswordStep;
  /** The state after the password has applied. */
  readonly onBuilt: string;
}

const CLUSTER = '$.plan.clusterIdentifier';
const onError = { next: BUILD_FAILURES.rollback };
const loopEnds = { onFailed: BUILD_FAILURES.resourceFailed, onStuck: BUILD_FAILURES.stuck, onError };

/** The build path's states, from `props.restore.name` to `props.onBuilt`. */
export function buildPath(props: BuildPathProps): States {
  return {
    [props.restore.name]: lambdaTask({
      handler: 'restore-clone-cluster',
      comment: props.restore.comment,
      parameters: { 'plan.$': '$.plan' },
      resultPath: '$.cluster',
      notReady: RETRY.notReady,
      onError,
      next: pollStart('Cluster'),
    }),
    ...pollLoop({
      subject: 'Cluster',
      choice: 'IsClusterAvailable',
      firstWaitComment: 'A clone cluster is usually available after 2 to 5 minutes: do not poll before.',
      clusterIdentifierPath: CLUSTER,
      phase: 'cluster',
      timing: BUILD_TIMING.cluster,
      onReady: 'CreateInstances',
      ...loopEnds,
    }),
    CreateInstances: lambdaTask({
      handler: 'create-instance',
      ...(props.instancesComment === undefined ? {} : { comment: props.instancesComment }),
      parameters: { 'plan.$': '$.plan' },
      resultPath: '$.instances',
      notReady: RETRY.notReady,
      onError,
      next: pollStart('Instances'),
    }),
    ...pollLoop({
      subject: 'Instances',
      choice: 'AreInstancesAvailable',
      firstWaitComment: 'A new Aurora instance takes 5 to 10 minutes.',
      clusterIdentifierPath: CLUSTER,
      phase: 'instances',
      timing: BUILD_TIMING.instances,
      onReady: props.password.name,
      ...loopEnds,
    }),
    [props.password.name]: lambdaTask({
      handler: props.password.handler,
      comment: props.password.comment,
      parameters: props.password.parameters,
      resultPath: props.password.resultPath,
      notReady: RETRY.notReady,
      onError,
      next: pollStart('Password'),
    }),
    ...pollLoop({
      subject: 'Password',
      choice: 'IsPasswordApplied',
      firstWaitComment: 'A master password change applies in well under a minute.',
      clusterIdentifierPath: CLUSTER,
      phase: 'password',
      timing: BUILD_TIMING.password,
      onReady: props.onBuilt,
      ...loopEnds,
    }),
  };
}
