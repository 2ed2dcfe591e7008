import type { Account } from '../../core/state.js';
import type { RdsLifecycle } from './lifecycle.js';
import { membersOf } from './views.js';

/**
 * Settles what a restart interrupted and starts the servers of clusters that have an
 * available instance. Work in flight cannot resume: a copy or a server start that was under
 * way ends in `failed`, deletions complete, and a password reset that had not been applied
 * is lost (the cluster keeps its previous password; reset it again).
 */
export async function resumeClusters(account: Account, lifecycle: RdsLifecycle, log: (line: string) => void) {
  const { data } = account;
  for (const instance of Object.values(data.instances)) {
    if (instance.status === 'deleting') delete data.instances[instance.id];
    else if (instance.status === 'creating' || instance.status === 'backing-up') instance.status = 'failed';
  }
  for (const cluster of Object.values(data.clusters)) {
    if (cluster.status === 'deleting') {
      delete data.clusters[cluster.id];
      continue;
    }
    if (cluster.status === 'creating') cluster.status = 'failed';
    if (cluster.status === 'resetting-master-credentials' || cluster.status === 'renaming') {
      log(
        `resume: ${cluster.id} was ${cluster.status} when the stand-in stopped; it keeps its previous state.`,
      );
      cluster.status = 'available';
      cluster.pendingPassword = false;
      delete cluster.renamingTo;
    }
    if (membersOf(account, cluster.id).some((i) => i.status === 'available')) {
      cluster.port = await lifecycle.portFor(cluster.id);
      await lifecycle.startServer(cluster);
    }
  }
}
