import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `dbaf` binary, as `npx dbaf` runs it (package.json "bin"). */
export const DBAF = fileURLToPath(new URL('../../cli/bin/dbaf.js', import.meta.url));

/** The repository root, where a user runs `npx dbaf`. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What one run of `dbaf` did. */
export interface DbafRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * An environment with no AWS settings at all: no credentials, no region, no profile files (HOME
 * is an empty directory), no instance metadata. Add only what a test means to give.
 */
export function bareEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !entry[0].startsWith('AWS_') && !entry[0].startsWith('DBAF_'),
    ),
  );
  return {
    ...env,
    HOME: mkdtempSync(join(tmpdir(), 'dbaf-home-')),
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Runs the real `dbaf` binary in a child process, with stdin closed, and waits for it to exit. */
export function dbaf(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<DbafRun> {
  const child = spawn(process.execPath, [DBAF, ...args], {
    cwd: ROOT,
    env: options.env ?? bareEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dbaf ${args.join(' ')} did not exit within ${timeoutMs} ms.\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
