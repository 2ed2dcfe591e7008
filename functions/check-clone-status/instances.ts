import type { DBInstance } from '@aws-sdk/client-rds';
import { isTerminalInstanceStatus } from '../shared/aws/rds-statuses.js';

/**
 * How far along the creation path each status is; lower is less advanced.
 *
 * Used to report the one instance the loop is really waiting for. Statuses not listed rank just
 * before `available`: they are transient detours (rebooting, upgrading, ...).
 */
const PROGRESS: Readonly<Record<string, number>> = {
  creating: 0,
  'backing-up': 1,
  'configuring-enhanced-monitoring': 2,
  'configuring-log-exports': 2,
  'configuring-iam-database-auth': 2,
  modifying: 3,
  available: 9,
};

function progress(status: string): number {
  return PROGRESS[status] ?? 5;
}

/** The instance part of a check-clone-status result. */
export interface InstancesStatus {
  readonly resource: string;
  readonly ready: boolean;
  readonly failed: boolean;
  readonly state: string;
  readonly detail: string;
}

/**
 * Reads a cluster's instances as one verdict: ready when there is at least one and all are available,
 * failed when any is in a terminal status, waiting otherwise.
 */
export function instancesStatus(
  clusterIdentifier: string,
  instances: readonly DBInstance[],
): InstancesStatus {
  const seen = instances.map((instance) => ({
    id: instance.DBInstanceIdentifier ?? '(unnamed)',
    status: instance.DBInstanceStatus ?? 'unknown',
  }));
  if (seen.length === 0) {
    return {
      resource: clusterIdentifier,
      ready: false,
      failed: false,
      state: 'none',
      detail: `Cluster ${clusterIdentifier} has no instances yet; waiting.`,
    };
  }
  const available = seen.filter((instance) => instance.status === 'available').length;
  const counts = `${available} of ${seen.length} instance${seen.length === 1 ? '' : 's'} available`;
  const broken = seen.find((instance) => isTerminalInstanceStatus(instance.status));
  if (broken !== undefined) {
    return {
      resource: broken.id,
      ready: false,
      failed: true,
      state: broken.status,
      detail: `${counts}; ${broken.id} is ${broken.status}, a status RDS does not leave by itself.`,
    };
  }
  const slowest = seen.reduce((least, instance) =>
    progress(instance.status) < progress(least.status) ? instance : least,
  );
  if (available === seen.length) {
    return {
      resource: clusterIdentifier,
      ready: true,
      failed: false,
      state: 'available',
      detail: `All ${seen.length} instance${seen.length === 1 ? '' : 's'} of cluster ${clusterIdentifier} available.`,
    };
  }
  return {
    resource: slowest.id,
    ready: false,
    failed: false,
    state: slowest.status,
    detail: `${counts}; ${slowest.id} is ${slowest.status}.`,
  };
}
