import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunAs, spawnAs } from './runtime.js';

/** Where and how one postmaster runs. */
/** Copies one server can feed at once: RDS's default DB-cluster quota, 40, and some headroom. */
export const MAX_CONCURRENT_CLONES = 50;

export interface ServerOptions {
  /** The postgres binary. */
  readonly postgres: string;
  /** The OS account it runs as. */
  readonly runAs: RunAs;
  /** The data directory, owned by the OS user, mode 0700. */
  readonly dataDir: string;
  /** The directory of the Unix socket: private, its path short enough for `sun_path`. */
  readonly socketDir: string;
  /** TCP port on 127.0.0.1, also the number in the socket file's name. */
  readonly port: number;
  /** Receives the server's log lines. */
  readonly log: (line: string) => void;
  /** Directory to delete once the server has exited (a temporary socket directory). @default none */
  readonly removeOnExit?: string;
}

// Startup includes crash or backup recovery, which replays WAL and can take a while.
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 20;

// Servers still running and directories to remove, for the synchronous 'exit' hook below.
const running = new Set<PostgresServer>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work is possible here: ask each postmaster for a fast shutdown (it finishes
  // on its own after Node is gone) and remove temporary directories.
  process.once('exit', () => {
    for (const server of running) server.abandon();
  });
}

/** Resolves when nothing listens on 127.0.0.1:`port`; rejects with a clear message otherwise. */
export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on 127.0.0.1 is already in use`
            : `Cannot listen on 127.0.0.1:${port}: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * One running postmaster, a direct child of Node (through `setpriv`), listening on
 * 127.0.0.1:`port` and on a Unix socket in `socketDir`.
 */
export class PostgresServer {
  readonly #options: ServerOptions;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #exitCode: number | null | undefined;
  readonly #tail: string[] = [];

  private constructor(options: ServerOptions) {
    this.#options = options;
    this.#child = spawnAs(
      options.runAs,
      options.postgres,
      [
        '-D',
        options.dataDir,
        '-p',
        String(options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${options.socketDir}`,
        '-c',
        'unix_socket_permissions=0700',
        // Each online clone holds a temporary replication slot while it copies: allow as many
        // concurrent clones as the region's default DB-cluster quota (the default of 10 refused the 11th).
        '-c',
        `max_replication_slots=${MAX_CONCURRENT_CLONES}`,
      ],
      (line) => {
        options.log(line);
        this.#tail.push(line);
        if (this.#tail.length > 8) this.#tail.shift();
      },
    );
    running.add(this);
    installExitHook();
    this.#exited = new Promise<void>((resolve) => {
      const finish = (code: number | null) => {
        if (this.#exitCode !== undefined) return;
        this.#exitCode = code;
        running.delete(this);
        resolve();
      };
      this.#child.once('error', (error) => {
        this.#tail.push(error.message);
        finish(-1);
      });
      this.#child.once('close', finish);
    }).then(async () => {
      if (options.removeOnExit) await rm(options.removeOnExit, { recursive: true, force: true });
    });
  }

  /**
   * Starts a postmaster and resolves once it accepts connections, after any recovery, the way
   * `pg_ctl -w` decides: the status line of `postmaster.pid` reads `ready`.
   */
  static async start(options: ServerOptions): Promise<PostgresServer> {
    await assertPortFree(options.port);
    const server = new PostgresServer(options);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await server.#isReady())) {
      if (!server.isRunning) {
        throw new Error(`PostgreSQL in ${options.dataDir} failed to start: ${server.#tail.join(' | ')}`);
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`PostgreSQL in ${options.dataDir} not ready after ${START_TIMEOUT_MS} ms`);
      }
      await sleep(POLL_MS);
    }
    return server;
  }

  /** Whether the postmaster process is still alive. */
  get isRunning(): boolean {
    return this.#exitCode === undefined;
  }

  /** The port the server listens on. */
  get port(): number {
    return this.#options.port;
  }

  /** The directory of its Unix socket (a `host` for node-postgres). */
  get socketDir(): string {
    return this.#options.socketDir;
  }

  /** Fast shutdown (SIGINT: disconnect clients, checkpoint, exit); immediate shutdown if that hangs. */
  async stop(): Promise<void> {
    if (!this.isRunning) return this.#exited;
    this.#child.kill('SIGINT');
    // Cancelled once the server is gone: a pending timer would keep Node alive.
    const timer = new AbortController();
    const timedOut = await Promise.race([
      this.#exited.then(() => false),
      sleep(STOP_TIMEOUT_MS, true, { signal: timer.signal }).catch(() => false),
    ]);
    timer.abort();
    if (timedOut) {
      this.#child.kill('SIGQUIT');
      await this.#exited;
    }
  }

  /** Synchronous last resort at process exit: request a fast shutdown and forget the server. */
  abandon(): void {
    this.#child.kill('SIGINT');
    if (this.#options.removeOnExit) rmSync(this.#options.removeOnExit, { recursive: true, force: true });
  }

  async #isReady(): Promise<boolean> {
    const text = await readFile(join(this.#options.dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
    const lines = text.split('\n');
    // Line 1 is the postmaster's pid, line 8 its status (see pidfile.h).
    return Number(lines[0]) === this.#child.pid && lines[7]?.trim() === 'ready';
  }
}
