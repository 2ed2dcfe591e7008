import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a stand-in child process reports when it is ready. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly endpoint: string;
  readonly port: number;
  readonly stateMachines: {
    readonly clone: string;
    readonly teardown: string;
    readonly sweeper: string;
    readonly refresh: string;
  };
  readonly timeScale: number;
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

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts `local/main.ts` in a child process and waits until it listens. */
export function spawnStandIn(
  args: readonly string[] = [],
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<StandInProcess> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', ...args], {
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

/** Calls the stand-in's control API (`/_dbaf/...`: faults, rate limit, quotas, stats); see docs/local.md. */
export async function control(
  endpoint: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${endpoint}/_dbaf/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  const parsed = (await response.json()) as unknown;
  if (!response.ok) throw new Error(`control ${method} ${path}: ${JSON.stringify(parsed)}`);
  return parsed;
}
