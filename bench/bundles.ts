import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HANDLER_BUNDLING, HANDLER_NODE_OPTIONS } from '../infra/lib/bundling.js';
import { REPO_ROOT } from '../infra/lib/paths.js';
import { HANDLER_NAMES, type HandlerName } from '../state-machines/catalog.js';
import {
  type Bundle,
  buildBundle,
  coldRequire,
  compareWithCdk,
  esbuildVersion,
  type RequireTime,
  stageForRequire,
} from './bundle-measure.js';

const USAGE = `Usage: npm run bench:bundles -- [options]

Bundles every handler with esbuild exactly as the CDK app does (infra/lib/bundling.ts), then
prints a markdown table: each bundle's bytes, its source map's, the SDK's share, the SDK
clients in it and, unless --runs 0, the median time a fresh node process takes to require it.

Options:
  --runs <n>         cold require() runs per handler, interleaved; 0 skips them  [default: 9]
  --only <a,b,...>   only these handlers (folder names under functions/)       [default: all]
  --out <file>       also write the table, with how it was made, to this file
  --keep             keep the bundles (cdk.out/bench-<handler>/) instead of removing them
  --cdk-out <dir>    compare each bundle with the asset \`npx cdk synth --output <dir>\` wrote
  -h, --help         show this help`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function options() {
  let values: {
    runs?: string;
    only?: string;
    out?: string;
    keep?: boolean;
    'cdk-out'?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string' },
        only: { type: 'string' },
        out: { type: 'string' },
        keep: { type: 'boolean' },
        'cdk-out': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const runs = Number(values.runs ?? '9');
  if (!Number.isInteger(runs) || runs < 0)
    fail(`--runs must be a whole number, 0 or more; got "${values.runs}".`);
  const only = values.only?.split(',');
  const unknown = only?.filter((name) => !(HANDLER_NAMES as string[]).includes(name)) ?? [];
  if (unknown.length > 0)
    fail(`--only takes handler names among ${HANDLER_NAMES.join(', ')}; got ${unknown}.`);
  const names = only ? HANDLER_NAMES.filter((name) => only.includes(name)) : HANDLER_NAMES;
  return {
    runs,
    names,
    out: values.out && resolve(values.out),
    keep: values.keep ?? false,
    cdkOut: values['cdk-out'] && resolve(values['cdk-out']),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const load = () => loadavg()[0]?.toFixed(1) ?? '?';
const kb = (bytes: number) => `${Math.round(bytes / 1000)} k`;
const bytes = (n: number) => n.toLocaleString('en-US');

/** The commit the bundled code comes from, and whether what goes into a bundle was changed since. */
function commit(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'code of an unknown commit (not a git checkout)';
  const inputs = ['functions', 'infra', 'package.json', 'package-lock.json'];
  const dirty = git('status', '--porcelain', '--', ...inputs).stdout.trim();
  return `code of commit ${head.stdout.trim()}${dirty === '' ? '' : ' with uncommitted changes'}`;
}

function table(
  bundles: readonly Bundle[],
  timings: ReadonlyMap<HandlerName, RequireTime[]>,
  runs: number,
): string {
  const header = [
    'handler',
    'bytes',
    'source map bytes',
    'SDK share',
    'SDK clients included (bytes in the bundle)',
    ...(runs > 0 ? [`cold require, wall ms (median of ${runs})`, 'cold require, CPU ms (median)'] : []),
  ];
  const rows = bundles.map((bundle) => [
    bundle.name,
    bytes(bundle.bytes),
    bytes(bundle.mapBytes),
    `${((100 * bundle.sdkBytes) / bundle.bytes).toFixed(0)} %`,
    bundle.clients.map(([service, n]) => `${service} ${kb(n)}`).join(', '),
    ...(runs > 0
      ? [
          median((timings.get(bundle.name) ?? []).map((time) => time.wallMs)).toFixed(0),
          median((timings.get(bundle.name) ?? []).map((time) => time.cpuMs)).toFixed(0),
        ]
      : []),
  ]);
  const total = (pick: (bundle: Bundle) => number) => bytes(bundles.reduce((sum, b) => sum + pick(b), 0));
  rows.push([
    '**all**',
    total((b) => b.bytes),
    total((b) => b.mapBytes),
    '',
    '',
    ...(runs > 0 ? ['', ''] : []),
  ]);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { runs, names, out, keep, cdkOut } = options();
  const cores = cpus();
  const loadBefore = load();
  const progress = (text: string) => process.stderr.write(text);
  const version = esbuildVersion();
  const bundles = names.map((name) => {
    progress(`bundling ${name}...\n`);
    return buildBundle(name);
  });
  for (const bundle of bundles) {
    if (bundle.warnings !== '') progress(`esbuild warned for ${bundle.name}:\n${bundle.warnings}\n`);
    if (cdkOut !== undefined) progress(`${compareWithCdk(bundle, cdkOut)}\n`);
  }
  // Interleaved, so a burst of other work on the machine spreads over all handlers, not one.
  const timings = new Map<HandlerName, RequireTime[]>(names.map((name) => [name, []]));
  const staging = mkdtempSync(join(tmpdir(), 'dbaf-cold-require-'));
  try {
    const staged = runs > 0 ? bundles.map((bundle) => stageForRequire(bundle, staging)) : [];
    for (let run = 1; run <= runs; run += 1) {
      progress(`cold require, run ${run} of ${runs}\n`);
      for (const bundle of staged) timings.get(bundle.name)?.push(coldRequire(bundle));
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  if (!keep) for (const bundle of bundles) rmSync(bundle.dir, { recursive: true, force: true });
  const command = [
    'npm run bench:bundles',
    ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
  ];
  const about = [
    `Run ${new Date().toISOString()} on ${cores[0]?.model.trim() ?? 'unknown CPU'} (${cores.length} cores, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadBefore} at the start, ${load()} at the end), ` +
      `Node ${process.version}, ${platform()}; ${commit()}; esbuild ${version}; \`${command.join(' ')}\`.`,
    '',
    `Bundling options (infra/lib/bundling.ts): \`${JSON.stringify(HANDLER_BUNDLING)}\`.` +
      (runs > 0
        ? ` Cold require: ${runs} fresh \`node\` processes per handler, each timing \`require('index.js')\` alone ` +
          `(wall clock, and the process's CPU time), with NODE_OPTIONS=${HANDLER_NODE_OPTIONS} as deployed.`
        : ''),
  ].join('\n');
  const result = `${about}\n\n${table(bundles, timings, runs)}\n`;
  process.stdout.write(`\n${result}`);
  if (out !== undefined) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, result);
    process.stdout.write(`\nWrote ${relative(process.cwd(), out)}.\n`);
  }
  if (keep)
    process.stdout.write(`\nThe bundles are in ${relative(process.cwd(), bundles[0]?.dir ?? '')}/.. .\n`);
}

await main();
