import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReadyMessage } from '../local/ready.js';

/**
 * Starts the local stand-in for AWS (`local/main.ts`, by path) in a child Node process: in the
 * foreground for `dbaf local up`, or with an IPC channel for the demo, the benchmarks and the
 * end-to-end tests, which wait for its ready message. The only module of the CLI, with
 * `cli/commands/local.ts`, that knows the stand-in's files.
 */

/** What the stand-in reports once it listens (declared beside it, in local/ready.ts). */
export type { ReadyMessage };

/** The stand-in's entry point, run as `npm run local` runs it. */
const MAIN = fileURLToPath(new URL('../local/main.ts', import.meta.url));

/** Node's arguments to run the stand-in with tsx, from any working directory. */
function nodeArguments(args: readonly string[]): string[] {
  return ['--import', import.meta.resolve('tsx'), MAIN, ...args];
}

/**
 * Runs the stand-in in the foreground with these arguments, its output on this terminal, until it
 * exits; resolves with its exit code.
 */
export function runStandIn(args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, nodeArguments(args), { stdio: 'inherit' });
  // The child stops its PostgreSQL servers before it exits, so wait for it: a terminal's Ctrl-C
  // reaches it directly (same process group); a SIGTERM sent to dbaf alone is passed on.
  const wait = () => {};
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', wait);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('SIGINT', wait);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

/** A stand-in running in a child process, as a user runs `npm run local`. */
export interface StandInProcess {
  readonly ready: ReadyMessage;
  readonly child: ChildProcess;
  /** Everything the stand-in printed (its log and the handlers' logs). */
  readonly output: () => string;
  /** Stops it the way Ctrl-C does and waits for it to exit. */
  stop(): Promise<number | null>;
}

/** How to start a stand-in child. */
export interface SpawnOptions {
  /** How long it may take to listen. @default 120000 */
  readonly timeoutMs?: number;
  /** More environment variables for it (on top of this process's). @default none */
  readonly env?: Record<string, string>;
}

/**
 * Starts the stand-in in a child process on a free port (`--port 0`, unless `args` name one) and
 * waits until it listens. Its output is kept, not shown; if this process goes away, the stand-in
 * sees its IPC channel close and stops.
 */
export function spawnStandIn(
  args: readonly string[] = [],
  options: SpawnOptions = {},
): Promise<StandInProcess> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const child = spawn(process.execPath, nodeArguments(['--port', '0', ...args]), {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
  });
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const output = () => chunks.join('');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`The stand-in did not start within ${timeoutMs / 1000} s. Its output:\n${output()}`));
    }, timeoutMs);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(
        new Error(`The stand-in exited with code ${code} before it was ready. Its output:\n${output()}`),
      );
    };
    child.once('exit', early);
    child.on('message', (message: ReadyMessage) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        ready: message,
        child,
        output,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGINT');
          return exited;
        },
      });
    });
  });
}
