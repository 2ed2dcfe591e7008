import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  HANDLER_BUNDLING,
  HANDLER_NODE_OPTIONS,
  HANDLER_RUNTIME,
  handlerEntry,
} from '../infra/lib/bundling.js';
import { REPO_ROOT } from '../infra/lib/paths.js';
import type { HandlerName } from '../state-machines/catalog.js';
import { esbuildArgs } from './esbuild-args.js';

/** One handler's bundle, as esbuild wrote it. */
export interface Bundle {
  readonly name: HandlerName;
  /** The directory holding `index.js`, `index.js.map` and `index.meta.json`. */
  readonly dir: string;
  readonly bytes: number;
  readonly mapBytes: number;
  /** Bytes of the bundle that come from `@aws-sdk/*` and `@smithy/*` packages. */
  readonly sdkBytes: number;
  /** Bytes each `@aws-sdk/client-<service>` package puts in the bundle, by service, largest first. */
  readonly clients: readonly (readonly [service: string, bytes: number])[];
  /** esbuild's warnings, if any. */
  readonly warnings: string;
}

interface Metafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, { readonly bytesInOutput: number }> }>;
}

/**
 * Where a handler's bundle goes: `cdk.out/bench-<name>/`, as deep under the repository as the
 * CDK's own `cdk.out/<asset>-building/`, so the source map's relative `sources` paths, and thus its
 * size, are those of `npx cdk synth` (the bundle itself does not depend on where it is written).
 */
export function bundleDir(name: HandlerName): string {
  return join(REPO_ROOT, 'cdk.out', `bench-${name}`);
}

/** The version of the esbuild `NodejsFunction` runs (`npx --no-install esbuild`, from the repository). */
export function esbuildVersion(): string {
  const result = spawnSync('npx', ['--no-install', 'esbuild', '--version'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`esbuild --version failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The package of an input path in a metafile (`node_modules/@aws-sdk/client-rds/...`), if any. */
function packageOf(input: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

/**
 * Bundles one handler as `NodejsFunction` does: the same esbuild, from the repository root, with
 * the arguments {@link esbuildArgs} derives from `HANDLER_BUNDLING`.
 *
 * @param dir where the bundle goes, emptied first; {@link bundleDir} when not given
 */
export function buildBundle(name: HandlerName, dir = bundleDir(name)): Bundle {
  rmSync(dir, { recursive: true, force: true });
  const args = esbuildArgs(HANDLER_BUNDLING, handlerEntry(name), dir, HANDLER_RUNTIME);
  const result = spawnSync('npx', ['--no-install', 'esbuild', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`esbuild failed for ${name}:\n${result.stderr}`);
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as Metafile;
  const output = meta.outputs[Object.keys(meta.outputs).find((key) => key.endsWith('/index.js')) ?? ''];
  if (output === undefined) throw new Error(`esbuild's metafile for ${name} has no index.js output.`);
  let sdkBytes = 0;
  const clients = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = packageOf(input);
    if (pkg?.startsWith('@aws-sdk/') || pkg?.startsWith('@smithy/')) sdkBytes += bytesInOutput;
    const service = pkg?.startsWith('@aws-sdk/client-') ? pkg.slice('@aws-sdk/client-'.length) : undefined;
    if (service !== undefined && bytesInOutput > 0) {
      clients.set(service, (clients.get(service) ?? 0) + bytesInOutput);
    }
  }
  // esbuild prints its size summary on stderr too; only its warnings matter here.
  const warnings = result.stderr.includes('[WARNING]') ? result.stderr : '';
  return {
    name,
    dir,
    bytes: statSync(join(dir, 'index.js')).size,
    mapBytes: statSync(join(dir, 'index.js.map')).size,
    sdkBytes,
    clients: [...clients].sort((a, b) => b[1] - a[1]),
    warnings,
  };
}

// Times require() alone, in a fresh process: Node's own start-up is not in the figures. CPU time
// (every thread of the process) hardly moves when other work competes for the cores; wall time does.
const REQUIRE_TIMER = `
const { performance } = require('node:perf_hooks');
const cpu = process.cpuUsage();
const start = performance.now();
const mod = require(process.argv[1]);
const wallMs = performance.now() - start;
const { user, system } = process.cpuUsage(cpu);
if (typeof mod.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (user + system) / 1000 }));
`;

/** What one cold `require()` of a bundle took. */
export interface RequireTime {
  readonly wallMs: number;
  /** User and system CPU time of the process, all threads. */
  readonly cpuMs: number;
}

/**
 * Copies a bundle's `index.js` and source map to `<dir>/<name>/`, where {@link coldRequire} loads
 * it. Like Lambda's `/var/task`, `dir` must have no `package.json` above it: under the
 * repository's (`"type": "module"`) Node would not read `index.js` as CommonJS.
 */
export function stageForRequire(bundle: Bundle, dir: string): Bundle {
  const staged = join(dir, bundle.name);
  mkdirSync(staged, { recursive: true });
  for (const file of ['index.js', 'index.js.map']) copyFileSync(join(bundle.dir, file), join(staged, file));
  return { ...bundle, dir: staged };
}

/**
 * How long one fresh `node` process takes to `require()` a bundle staged by
 * {@link stageForRequire}: what a cold start spends loading the code before the first
 * invocation, with the deployed `NODE_OPTIONS` and, of the environment the Lambda runtime sets,
 * only what matters before a handler runs (its region).
 */
export function coldRequire(bundle: Bundle): RequireTime {
  const result = spawnSync(process.execPath, ['-e', REQUIRE_TIMER, join(bundle.dir, 'index.js')], {
    cwd: bundle.dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      NODE_OPTIONS: HANDLER_NODE_OPTIONS,
      AWS_REGION: 'us-east-1',
      // Node 22 on Lambda; the SDK's notice to Node 20 users is noise in a measurement.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  if (result.status !== 0) throw new Error(`Loading the ${bundle.name} bundle failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as RequireTime;
}

/**
 * How a bundle compares with the asset `npx cdk synth --output <cdkOut>` wrote for the same
 * handler: the check that the bench measures what the CDK app ships.
 */
export function compareWithCdk(bundle: Bundle, cdkOut: string): string {
  const template = readdirSync(cdkOut).find((file) => file.endsWith('.template.json'));
  if (template === undefined)
    throw new Error(`${cdkOut} holds no template: run npx cdk synth --output ${cdkOut}.`);
  const { Resources } = JSON.parse(readFileSync(join(cdkOut, template), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const fn = Object.values(Resources).find(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' &&
      resource.Metadata?.['aws:cdk:path']?.endsWith(`/${bundle.name}/Function/Resource`),
  );
  const asset = fn?.Metadata?.['aws:asset:path'];
  if (asset === undefined) return `${bundle.name}: no asset in ${template}`;
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const same = sha(join(cdkOut, asset, 'index.js')) === sha(join(bundle.dir, 'index.js'));
  const mapBytes = statSync(join(cdkOut, asset, 'index.js.map')).size;
  return (
    `${bundle.name}: index.js ${same ? 'identical to' : 'DIFFERS from'} ${asset}/index.js; ` +
    `source map ${bundle.mapBytes} bytes, the CDK's ${mapBytes}`
  );
}
