import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { isTerminalClusterStatus } from '../shared/aws/rds-statuses.js';
import { rds } from '../shared/clients/rds.js';
import { createHandler } from '../shared/handler.js';
import { findCluster } from '../shared/rds.js';
import { instancesStatus } from './instances.js';

/** What a poll loop waits for. */
export const PHASES = ['cluster', 'instances', 'password', 'deleted', 'renamed'] as const;

/** One of {@link PHASES}. */
export type Phase = (typeof PHASES)[number];

/** Which cluster to look at, for which phase; `attempt` is the loop's counter, echoed back. */
export interface Input {
  readonly clusterIdentifier: string;
  readonly phase: Phase;
  readonly attempt: number;
}

/**
 * One look at the clone, for the state machine's Choice.
 *
 * `ready` leaves the loop, `failed` goes to the failure path, neither waits and polls again.
 */
export interface Output {
  readonly phase: Phase;
  /** The cluster, or for `instances` the instance whose state is reported. */
  readonly resource: string;
  readonly attempt: number;
  readonly ready: boolean;
  readonly failed: boolean;
  /** The RDS status (for `instances`, the least advanced one), or `not-found` / `deleted`. */
  readonly state: string;
  /** One sentence for a person reading the execution history. */
  readonly detail: string;
}

type ClusterLook = { found: false } | { found: true; status: string; passwordPending: boolean };

async function lookAtCluster(clusterIdentifier: string): Promise<ClusterLook> {
  const cluster = await findCluster(clusterIdentifier);
  if (cluster === undefined) return { found: false };
  return {
    found: true,
    status: cluster.Status ?? 'unknown',
    passwordPending: cluster.PendingModifiedValues?.MasterUserPassword !== undefined,
  };
}

type Verdict = Pick<Output, 'ready' | 'failed' | 'state' | 'detail'>;

function clusterVerdict(id: string, phase: 'cluster' | 'password', look: ClusterLook): Verdict {
  if (!look.found) {
    return { ready: false, failed: true, state: 'not-found', detail: `Cluster ${id} no longer exists.` };
  }
  const { status } = look;
  if (isTerminalClusterStatus(status)) {
    return {
      ready: false,
      failed: true,
      state: status,
      detail: `Cluster ${id} is ${status}, a status RDS does not leave by itself.`,
    };
  }
  if (status !== 'available') {
    return { ready: false, failed: false, state: status, detail: `Cluster ${id} is ${status}; waiting.` };
  }
  if (phase === 'password' && look.passwordPending) {
    return {
      ready: false,
      failed: false,
      state: status,
      detail: `Cluster ${id} is available but its new master password is still pending; waiting.`,
    };
  }
  const what = phase === 'password' ? 'available with its new master password applied' : 'available';
  return { ready: true, failed: false, state: status, detail: `Cluster ${id} is ${what}.` };
}

/**
 * A cluster being renamed keeps its old identifier until the rename is done, so its new name is
 * not found for a while: that is waiting, not failure (the loop's attempt limit catches a rename
 * that never finishes).
 */
function renamedVerdict(id: string, look: ClusterLook): Verdict {
  if (!look.found) {
    return {
      ready: false,
      failed: false,
      state: 'renaming',
      detail: `No cluster is named ${id} yet (the rename is in progress); waiting.`,
    };
  }
  return clusterVerdict(id, 'cluster', look);
}

function deletedVerdict(id: string, look: ClusterLook): Verdict {
  if (!look.found) {
    return { ready: true, failed: false, state: 'deleted', detail: `Cluster ${id} is deleted.` };
  }
  return {
    ready: false,
    failed: false,
    state: look.status,
    detail: `Cluster ${id} is ${look.status}; waiting for it to be deleted.`,
  };
}

/**
 * Looks once at a clone's cluster or instances and says whether the waiting loop is done.
 *
 * Every Wait -> check -> Choice loop of both state machines uses it, so the rules for "ready" and
 * "will never get there" live in one place; one RDS call per invocation keeps polling cheap under
 * the account's shared RDS API rate limit.
 */
export async function checkCloneStatus(input: Input): Promise<Output> {
  const { clusterIdentifier: id, phase, attempt } = input;
  const echo = { phase, attempt };
  switch (phase) {
    case 'cluster':
    case 'password':
      return { ...echo, resource: id, ...clusterVerdict(id, phase, await lookAtCluster(id)) };
    case 'deleted':
      return { ...echo, resource: id, ...deletedVerdict(id, await lookAtCluster(id)) };
    case 'renamed':
      return { ...echo, resource: id, ...renamedVerdict(id, await lookAtCluster(id)) };
    case 'instances': {
      const { DBInstances } = await rds.send(
        new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] }),
      );
      return { ...echo, ...instancesStatus(id, DBInstances ?? []) };
    }
    default: {
      const unknown: never = phase;
      throw new TypeError(`Unknown phase "${String(unknown)}"; expected one of ${PHASES.join(', ')}.`);
    }
  }
}

/** Lambda entry point of the check-clone-status step. */
export const handler = createHandler('check-clone-status', checkCloneStatus);
