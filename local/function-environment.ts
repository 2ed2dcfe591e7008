import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Each Lambda function's own environment, in the one process where the stand-in runs them all.
 *
 * In AWS a handler sees only the variables its function was given. Here `process.env` becomes a
 * view: while a handler runs (and in everything it awaits), the variables the settings table owns
 * are those of its function and no other; every other variable (`AWS_ENDPOINT_URL`, `PATH`, ...)
 * is the process's. So a handler that reads a variable its function lacks fails here as in AWS.
 */

const current = new AsyncLocalStorage<Readonly<Record<string, string>>>();
let installed: { readonly real: NodeJS.ProcessEnv; users: number } | undefined;

function view(real: NodeJS.ProcessEnv, owned: ReadonlySet<string>): NodeJS.ProcessEnv {
  const own = (key: string | symbol) =>
    typeof key === 'string' && owned.has(key) ? current.getStore() : undefined;
  return new Proxy(real, {
    get: (target, key) => {
      const env = own(key);
      return env === undefined ? Reflect.get(target, key) : env[key as string];
    },
    has: (target, key) => {
      const env = own(key);
      return env === undefined ? Reflect.has(target, key) : key in env;
    },
    ownKeys: (target) => {
      const env = current.getStore();
      if (env === undefined) return Reflect.ownKeys(target);
      const given = Object.keys(env).filter((key) => owned.has(key));
      return [...Reflect.ownKeys(target).filter((key) => !owned.has(key as string)), ...given];
    },
    getOwnPropertyDescriptor: (target, key) => {
      const env = own(key);
      if (env === undefined) return Reflect.getOwnPropertyDescriptor(target, key);
      const value = env[key as string];
      return value === undefined
        ? undefined
        : { value, writable: true, enumerable: true, configurable: true };
    },
  });
}

/**
 * Makes `process.env` show each function its own variables among `owned` (see
 * {@link runWithEnvironment}); returns the function that puts the plain `process.env` back once
 * every stand-in of the process has stopped.
 */
export function isolateFunctionEnvironments(owned: readonly string[]): () => void {
  if (installed === undefined) {
    installed = { real: process.env, users: 0 };
    process.env = view(process.env, new Set(owned));
  }
  installed.users += 1;
  let released = false;
  return () => {
    if (released || installed === undefined) return;
    released = true;
    installed.users -= 1;
    if (installed.users === 0) {
      process.env = installed.real;
      installed = undefined;
    }
  };
}

/** Runs `work` (a handler's invocation) seeing `environment` as its function's variables. */
export function runWithEnvironment<T>(environment: Readonly<Record<string, string>>, work: () => T): T {
  return current.run(environment, work);
}
