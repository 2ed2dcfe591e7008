import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { type CloneResult, onlineClone } from './clone.js';
import {
  assertTraversable,
  type Binaries,
  findBinaries,
  type RunAs,
  resolveRunAs,
  runToCompletion,
} from './runtime.js';
import { scramVerifier } from './scram.js';
import { PostgresServer } from './server.js';

/** Options of a {@link DataPlane}. */
export interface DataPlaneOptions {
  /** Directory holding one sub-directory per cluster (data dir + socket dir). Created if missing. */
  readonly root: string;
  /** Where server log lines go, prefixed with the cluster id (never a password). @default discarded */
  readonly log?: (line: string) => void;
}

/** The master user and first database of a new cluster, as in CreateDBCluster. */
export interface MasterUser {
  readonly username: string;
  readonly password: string;
  readonly databaseName: string;
}

/**
 * The bootstrap superuser that owns each cluster and that the data plane itself uses, over
 * the Unix socket only (it has no password, so TCP logins as it always fail). Aurora reserves
 * the same name for its own administration.
 */
export const ADMIN_ROLE = 'rdsadmin';

// Cluster ids become directory names.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
// sun_path is 108 bytes on Linux, including the terminating NUL.
const MAX_SOCKET_PATH = 107;

/**
 * The PostgreSQL data plane of the local stand-in: one real PostgreSQL server per emulated
 * Aurora cluster, each on its own 127.0.0.1 port (the cluster's endpoint).
 *
 * TCP logins need the password (scram-sha-256); the data plane administers each server through
 * a Unix socket in a private directory, as {@link ADMIN_ROLE}. Operations on one cluster are
 * serialized; different clusters proceed concurrently. Every server it starts is stopped by
 * {@link DataPlane.stopAll}, and asked to stop if Node exits or dies first.
 */
export class DataPlane {
  readonly #root: string;
  readonly #log: (line: string) => void;
  readonly #servers = new Map<string, PostgresServer>();
  readonly #queues = new Map<string, Promise<unknown>>();
  #runtime: Promise<{ binaries: Binaries; who: RunAs }> | undefined;

  constructor(options: DataPlaneOptions) {
    this.#root = resolve(options.root);
    this.#log = options.log ?? (() => {});
  }

  /**
   * Creates a cluster whose superuser is the master user, with the master's database, and
   * starts it on `port`. If the cluster's files already exist (a persisted state directory),
   * starts it and adds only what is missing: it never resets an existing password.
   */
  async create(id: string, master: MasterUser, port: number): Promise<void> {
    if (master.username === ADMIN_ROLE) throw new Error(`The user name ${ADMIN_ROLE} is reserved`);
    if (!master.password) throw new Error('The master password must not be empty');
    await this.#serialized(id, async () => {
      if (!this.exists(id)) await this.#initdb(id);
      await this.#start(id, port);
      await this.#admin(id, async (client) => {
        const user = client.escapeIdentifier(master.username);
        const role = await client.query<{ has_password: boolean }>(
          'SELECT rolpassword IS NOT NULL AS has_password FROM pg_authid WHERE rolname = $1',
          [master.username],
        );
        const secret = client.escapeLiteral(await scramVerifier(master.password));
        if (!role.rows[0]) await client.query(`CREATE ROLE ${user} SUPERUSER LOGIN PASSWORD ${secret}`);
        else if (!role.rows[0].has_password) await client.query(`ALTER ROLE ${user} PASSWORD ${secret}`);
        const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [master.databaseName]);
        if (db.rowCount === 0) {
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(master.databaseName)} OWNER ${user}`);
        }
      });
    });
  }

  /**
   * Copies running cluster `sourceId` into new cluster `targetId` (left stopped) while the
   * source keeps serving; see {@link onlineClone}. The copy keeps the source's users and
   * passwords, as an Aurora clone does. On failure nothing of the target remains.
   */
  clone(sourceId: string, targetId: string): Promise<CloneResult> {
    return this.#serialized(targetId, async () => {
      if (sourceId === targetId) throw new Error('A cluster cannot be cloned onto itself');
      if (!this.#servers.get(sourceId)?.isRunning) throw new Error(`Cluster ${sourceId} is not running`);
      if (existsSync(this.#clusterDir(targetId))) throw new Error(`Cluster ${targetId} already exists`);
      await mkdir(this.#clusterDir(targetId), { recursive: true, mode: 0o711 });
      try {
        const result = await this.#admin(sourceId, (client) =>
          onlineClone(
            client,
            this.#dataDir(sourceId),
            this.#dataDir(targetId),
            `clone of ${sourceId} to ${targetId}`,
          ),
        );
        this.#log(
          `[${targetId}] cloned from ${sourceId}: ${result.bytes} bytes by ${result.method} in ${result.ms} ms`,
        );
        return result;
      } catch (error) {
        await rm(this.#clusterDir(targetId), { recursive: true, force: true });
        throw error;
      }
    });
  }

  /** Starts a stopped cluster; resolves once it accepts connections on 127.0.0.1:`port`. Idempotent. */
  start(id: string, port: number): Promise<void> {
    return this.#serialized(id, () => this.#start(id, port));
  }

  /** Stops a cluster (fast shutdown: open sessions are disconnected). Idempotent. */
  stop(id: string): Promise<void> {
    return this.#serialized(id, () => this.#stop(id));
  }

  /** Stops a cluster and deletes its files. Idempotent. */
  remove(id: string): Promise<void> {
    return this.#serialized(id, async () => {
      await this.#stop(id);
      await rm(this.#clusterDir(id), { recursive: true, force: true });
    });
  }

  /**
   * Sets the password of `username` on this cluster only (ModifyDBCluster's MasterUserPassword).
   * Only a SCRAM verifier computed here reaches the server, never the password itself.
   */
  async setPassword(id: string, username: string, password: string): Promise<void> {
    if (username === ADMIN_ROLE) throw new Error(`The user name ${ADMIN_ROLE} is reserved`);
    if (!password) throw new Error('The password must not be empty');
    await this.#serialized(id, () =>
      this.#admin(id, async (client) => {
        const secret = client.escapeLiteral(await scramVerifier(password));
        await client.query(`ALTER ROLE ${client.escapeIdentifier(username)} PASSWORD ${secret}`);
      }),
    );
  }

  /** Whether the cluster's data directory exists (an initialized or cloned cluster). */
  exists(id: string): boolean {
    return existsSync(join(this.#dataDir(id), 'PG_VERSION'));
  }

  /** Whether this data plane runs the cluster's server now. */
  isRunning(id: string): boolean {
    return this.#servers.get(id)?.isRunning ?? false;
  }

  /** Stops every server this data plane started. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#servers.keys()].map((id) => this.stop(id)));
  }

  async #initdb(id: string): Promise<void> {
    const { binaries, who } = await this.#runtimeOnce();
    const dataDir = this.#dataDir(id);
    // The OS user needs only to traverse the cluster directory, and alone may enter the data directory.
    await mkdir(this.#clusterDir(id), { recursive: true, mode: 0o711 });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (who.uid !== undefined && who.gid !== undefined) await chown(dataDir, who.uid, who.gid);
    const flags = [
      `--pgdata=${dataDir}`,
      `--username=${ADMIN_ROLE}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      // The builtin provider makes sorting and upper()/lower() independent of the OS's locales.
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--locale=C',
      // A disposable local cluster: skipping fsync saves most of initdb's time.
      '--no-sync',
      '--no-instructions',
    ];
    try {
      await runToCompletion(who, binaries.initdb, flags, (line) => this.#log(`[${id}] initdb: ${line}`));
    } catch (error) {
      await rm(this.#clusterDir(id), { recursive: true, force: true });
      throw error;
    }
  }

  async #start(id: string, port: number): Promise<void> {
    const current = this.#servers.get(id);
    if (current?.isRunning) {
      if (current.port !== port) throw new Error(`Cluster ${id} already runs on port ${current.port}`);
      return;
    }
    if (!this.exists(id)) throw new Error(`Cluster ${id} does not exist`);
    const { binaries, who } = await this.#runtimeOnce();
    const { socketDir, temporary } = await this.#socketDir(id, port, who);
    try {
      const server = await PostgresServer.start({
        postgres: binaries.postgres,
        runAs: who,
        dataDir: this.#dataDir(id),
        socketDir,
        port,
        log: (line) => this.#log(`[${id}] ${line}`),
        ...(temporary ? { removeOnExit: socketDir } : {}),
      });
      this.#servers.set(id, server);
    } catch (error) {
      if (temporary) await rm(socketDir, { recursive: true, force: true });
      throw error;
    }
  }

  async #stop(id: string): Promise<void> {
    await this.#servers.get(id)?.stop();
    this.#servers.delete(id);
  }

  /** A private directory for the server's socket: in the cluster directory if its path is short enough. */
  async #socketDir(id: string, port: number, who: RunAs): Promise<{ socketDir: string; temporary: boolean }> {
    let socketDir = join(this.#clusterDir(id), 'run');
    const temporary = Buffer.byteLength(join(socketDir, `.s.PGSQL.${port}`)) > MAX_SOCKET_PATH;
    if (temporary) socketDir = await mkdtemp('/tmp/pgdp-');
    await mkdir(socketDir, { recursive: true, mode: 0o700 });
    if (who.uid !== undefined && who.gid !== undefined) await chown(socketDir, who.uid, who.gid);
    return { socketDir, temporary };
  }

  /** Runs `work` on a superuser session over the cluster's Unix socket, then closes it. */
  async #admin<T>(id: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const server = this.#servers.get(id);
    if (!server?.isRunning) throw new Error(`Cluster ${id} is not running`);
    const client = new pg.Client({
      host: server.socketDir,
      port: server.port,
      user: ADMIN_ROLE,
      database: 'postgres',
    });
    // An admin session cut by a server shutdown must not become an uncaught 'error' event.
    client.on('error', (error) => this.#log(`[${id}] admin session: ${error.message}`));
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  #runtimeOnce() {
    this.#runtime ??= (async () => {
      const [binaries, who] = await Promise.all([findBinaries(), resolveRunAs()]);
      await mkdir(this.#root, { recursive: true, mode: 0o711 });
      await assertTraversable(this.#root, who);
      return { binaries, who };
    })().catch((error: unknown) => {
      // Let a later call retry, for example once the root directory's mode is fixed.
      this.#runtime = undefined;
      throw error;
    });
    return this.#runtime;
  }

  #clusterDir(id: string): string {
    if (!ID_PATTERN.test(id)) throw new Error(`Invalid cluster id ${JSON.stringify(id)}`);
    return join(this.#root, id);
  }

  #dataDir(id: string): string {
    return join(this.#clusterDir(id), 'data');
  }

  /** Chains `work` after the cluster's previous operation, so two never interleave on one cluster. */
  #serialized<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#queues.set(id, settled);
    void settled.then(() => this.#queues.get(id) === settled && this.#queues.delete(id));
    return next;
  }
}
