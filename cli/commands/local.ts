import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Options of `dbaf local up`, passed to the stand-in (`local/main.ts`) as they are. */
export interface UpOptions {
  readonly port?: string;
  readonly host?: string;
  readonly timeScale?: string;
  readonly stateDir?: string;
  readonly rateLimit?: boolean;
  readonly maxClonesPerOwner?: string;
  readonly expiryWarning?: string;
  readonly maxLifetime?: string;
  readonly protectedClones?: string;
  readonly quiet?: boolean;
}

/** Options of `dbaf local demo`. */
export interface DemoOptions {
  readonly keep?: boolean;
}

/** Runs one of the stand-in's scripts in a child Node process with tsx; resolves with its exit code. */
function runScript(script: string, args: readonly string[]): Promise<number> {
  const path = fileURLToPath(new URL(`../../local/${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path, ...args], {
    stdio: 'inherit',
  });
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

/** `dbaf local up`: the local stand-in for AWS in the foreground, until Ctrl-C. */
export async function up(options: UpOptions): Promise<void> {
  const args = [
    ...(options.port === undefined ? [] : ['--port', options.port]),
    ...(options.host === undefined ? [] : ['--host', options.host]),
    ...(options.timeScale === undefined ? [] : ['--time-scale', options.timeScale]),
    ...(options.stateDir === undefined ? [] : ['--state-dir', options.stateDir]),
    ...(options.rateLimit ? ['--rate-limit'] : []),
    ...(options.maxClonesPerOwner === undefined ? [] : ['--max-clones-per-owner', options.maxClonesPerOwner]),
    ...(options.expiryWarning === undefined ? [] : ['--expiry-warning', options.expiryWarning]),
    ...(options.maxLifetime === undefined ? [] : ['--max-lifetime', options.maxLifetime]),
    ...(options.protectedClones === undefined ? [] : ['--protected-clones', options.protectedClones]),
    ...(options.quiet ? ['--quiet'] : []),
  ];
  process.exitCode = await runScript('main.ts', args);
}

/** `dbaf local demo`: the demo of `npm run demo`. */
export async function demo(options: DemoOptions): Promise<void> {
  process.exitCode = await runScript('demo.ts', options.keep ? ['--keep'] : []);
}
