import { createServer } from 'node:net';
import { CLUSTER_LIFECYCLES, INSTANCE_LIFECYCLES } from '../../../functions/shared/aws/rds-statuses.js';
import type { ServiceContext } from '../../core/service.js';
import type { ClusterRecord, InstanceRecord } from '../../core/state.js';
import { RDS_TIMING } from './timing.js';
import { membersOf } from './views.js';

/**
 * The PostgreSQL side of a cluster, keyed by the cluster's immutable resource id.
 *
 * `local/postgres/` implements it with real servers; tests may pass a fake.
 */
export interface DataPlanePort {
  clone(sourceKey: string, targetKey: string): Promise<unknown>;
  start(key: string, port: number): Promise<void>;
  stop(key: string): Promise<void>;
  remove(key: string): Promise<void>;
  setPassword(key: string, username: string, password: string): Promise<void>;
  isRunning(key: string): boolean;
}

/** A free TCP port on loopback, as the OS hands one out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether a port can be listened on right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Moves clusters and instances through RDS's lifecycle states on the stand-in's clock,
 * and does the real work behind each state: the physical copy while `creating`, the
 * server start while `backing-up`, the password change, the stop and removal.
 */
export class RdsLifecycle {
  /** New master passwords waiting to be applied; memory only, never saved or logged. */
  private readonly pendingPasswords = new Map<string, string>();

  constructor(
    private readonly context: ServiceContext,
    private readonly data: DataPlanePort,
  ) {}

  /** The endpoint port of an identifier: the one it had before, if still free, or a new one. */
  async portFor(identifier: string): Promise<number> {
    const { ports } = this.context.account.data;
    const known = ports[identifier];
    const taken = new Set(
      Object.entries(ports)
        .filter(([id]) => id !== identifier)
        .map(([, port]) => port),
    );
    if (known !== undefined && !taken.has(known) && (await portIsFree(known))) return known;
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    ports[identifier] = port;
    return port;
  }

  /**
   * A clone: the physical copy runs while the cluster is `creating`, which lasts at least AWS's time.
   * The restore made it `creating` ({@link CLUSTER_LIFECYCLES}); it ends in `endStatus`.
   */
  restored(cluster: ClusterRecord, source: ClusterRecord, endStatus: string): void {
    const log = this.context.log;
    const copy = this.data.clone(source.resourceId, cluster.resourceId).then(
      () => true,
      (error: unknown) => {
        log(`rds: copying ${source.id} into ${cluster.id} failed: ${String(error)}`);
        return false;
      },
    );
    this.context.clock.after(RDS_TIMING.clusterCreate, () => {
      void copy.then((copied) => {
        if (this.current(cluster)) cluster.status = copied ? endStatus : 'failed';
      });
    });
  }

  /** A new instance: `creating`, then `backing-up` (the server starts), then `available`. */
  instanceCreated(instance: InstanceRecord, endStatus: string): void {
    const { clock, account } = this.context;
    clock.after(RDS_TIMING.instanceCreate, () => {
      if (account.data.instances[instance.id] !== instance) return;
      if (endStatus !== 'available') {
        instance.status = endStatus;
        return;
      }
      const [, backingUp, available] = INSTANCE_LIFECYCLES.create;
      instance.status = backingUp;
      const cluster = account.data.clusters[instance.clusterId];
      const started = cluster ? this.startServer(cluster) : Promise.reject(new Error('cluster gone'));
      const backedUp = clock.sleep(RDS_TIMING.instanceBackup);
      void Promise.all([started, backedUp]).then(
        () => {
          if (account.data.instances[instance.id] === instance) instance.status = available;
        },
        (error: unknown) => {
          this.context.log(`rds: starting the server of ${instance.clusterId} failed: ${String(error)}`);
          if (account.data.instances[instance.id] === instance) instance.status = 'failed';
        },
      );
    });
  }

  /** ModifyDBCluster MasterUserPassword: applied to the server when the reset completes. */
  passwordChanged(cluster: ClusterRecord, password: string): void {
    this.pendingPasswords.set(cluster.resourceId, password);
    cluster.pendingPassword = true;
    const [resetting, reset] = CLUSTER_LIFECYCLES.masterPassword;
    cluster.status = resetting;
    this.context.clock.after(RDS_TIMING.passwordReset, () => {
      if (!this.current(cluster)) return;
      const apply = this.data.isRunning(cluster.resourceId) ? this.applyPassword(cluster) : Promise.resolve();
      void apply.then(
        () => {
          cluster.pendingPassword = this.pendingPasswords.has(cluster.resourceId);
          cluster.status = reset;
        },
        (error: unknown) => {
          this.context.log(`rds: applying the new master password of ${cluster.id} failed: ${String(error)}`);
          cluster.status = reset;
        },
      );
    });
  }

  /** DeleteDBInstance: gone after AWS's time; the last instance stops the cluster's server. */
  instanceDeleting(instance: InstanceRecord): void {
    const { clock, account } = this.context;
    [instance.status] = INSTANCE_LIFECYCLES.delete;
    clock.after(RDS_TIMING.instanceDelete, () => {
      if (account.data.instances[instance.id] !== instance) return;
      delete account.data.instances[instance.id];
      const cluster = account.data.clusters[instance.clusterId];
      if (cluster && membersOf(account, cluster.id).length === 0) {
        void this.data.stop(cluster.resourceId).catch((error: unknown) => {
          this.context.log(`rds: stopping the server of ${cluster.id} failed: ${String(error)}`);
        });
      }
    });
  }

  /** DeleteDBCluster: the server's files are removed and the cluster is gone after AWS's time. */
  clusterDeleting(cluster: ClusterRecord): void {
    [cluster.status] = CLUSTER_LIFECYCLES.delete;
    this.pendingPasswords.delete(cluster.resourceId);
    const removed = this.data.remove(cluster.resourceId).catch((error: unknown) => {
      this.context.log(`rds: removing the files of ${cluster.id} failed: ${String(error)}`);
    });
    // A cluster is gone only after its instances are: RDS finishes the instances first.
    const finish = () => {
      if (!this.current(cluster)) return;
      if (membersOf(this.context.account, cluster.id).length > 0) {
        this.context.clock.after(10_000, finish);
        return;
      }
      void removed.then(() => {
        if (this.current(cluster)) delete this.context.account.data.clusters[cluster.id];
      });
    };
    this.context.clock.after(RDS_TIMING.clusterDelete, finish);
  }

  /**
   * ModifyDBCluster NewDBClusterIdentifier: `renaming` under the old identifier (the new one is
   * taken meanwhile), then `available` under the new one; the endpoint follows the identifier, as
   * RDS's DNS name does, and the instances keep their names.
   */
  renaming(cluster: ClusterRecord, newId: string): void {
    const { account, clock } = this.context;
    const [renaming, renamed] = CLUSTER_LIFECYCLES.rename;
    cluster.status = renaming;
    cluster.renamingTo = newId;
    clock.after(RDS_TIMING.rename, () => {
      if (!this.current(cluster)) return;
      void this.portFor(newId).then(async (port) => {
        const running = this.data.isRunning(cluster.resourceId);
        if (running) await this.data.stop(cluster.resourceId);
        delete account.data.clusters[cluster.id];
        for (const instance of membersOf(account, cluster.id)) instance.clusterId = newId;
        cluster.id = newId;
        cluster.arn = account.arn('rds', `cluster:${newId}`);
        cluster.port = port;
        delete cluster.renamingTo;
        account.data.clusters[newId] = cluster;
        if (running) await this.startServer(cluster);
        cluster.status = renamed;
      });
    });
  }

  /** Starts a cluster's server (and applies a password changed while it was down). */
  async startServer(cluster: ClusterRecord): Promise<void> {
    await this.data.start(cluster.resourceId, cluster.port);
    if (this.pendingPasswords.has(cluster.resourceId) && cluster.status !== 'resetting-master-credentials') {
      await this.applyPassword(cluster);
      cluster.pendingPassword = false;
    }
  }

  private async applyPassword(cluster: ClusterRecord): Promise<void> {
    const password = this.pendingPasswords.get(cluster.resourceId);
    if (password === undefined) return;
    await this.data.setPassword(cluster.resourceId, cluster.masterUsername, password);
    this.pendingPasswords.delete(cluster.resourceId);
  }

  /** False once the record was deleted or replaced: a late timer must not touch it. */
  private current(cluster: ClusterRecord): boolean {
    return this.context.account.data.clusters[cluster.id] === cluster;
  }
}
