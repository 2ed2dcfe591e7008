import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { failures, resultsFile, summaryTable } from './report.js';
import { runScenario, SCENARIOS, type ScenarioResult } from './scenario.js';

// The SDK's notice that releases after January 2027 need Node 22 is noise here; we pin the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run bench -- [options]

Times clones of the example artifact on the local stand-in with AWS-like RDS timings (scaled):
1 clone, then 5 and 20 concurrent clones under AWS's RDS API rate limit. Prints a markdown
table and writes it, with how to read it, to bench/results/latest.md.

Options:
  --time-scale <x>   real time per AWS time (0.02: 1 AWS minute = 1.2 s)  [default: 0.02]
  --only <n,...>     run only the scenarios with these clone counts       [default: 1,5,20]
  --out <file>       where to write the results                          [default: bench/results/latest.md]
  -h, --help         show this help`;

const DEFAULT_OUT = new URL('./results/latest.md', import.meta.url).pathname;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function options() {
  let values: { 'time-scale'?: string; only?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        'time-scale': { type: 'string' },
        only: { type: 'string' },
        out: { type: 'string' },
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
  const timeScale = Number(values['time-scale'] ?? '0.02');
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    fail(`--time-scale must be a number > 0; got "${values['time-scale']}".`);
  }
  const only = values.only?.split(',').map(Number);
  const scenarios = only ? SCENARIOS.filter((scenario) => only.includes(scenario.clones)) : SCENARIOS;
  if (scenarios.length === 0 || (only && scenarios.length !== only.length)) {
    fail(
      `--only takes clone counts among ${SCENARIOS.map((s) => s.clones).join(', ')}; got "${values.only}".`,
    );
  }
  return { timeScale, scenarios, out: resolve(values.out ?? DEFAULT_OUT) };
}

function machine(): string {
  const cores = cpus();
  const memory = Math.round(totalmem() / 2 ** 30);
  // Other work on the machine slows the real work the stand-in does, which the AWS figures magnify.
  const load = loadavg()[0]?.toFixed(1);
  return `${cores[0]?.model.trim() ?? 'unknown CPU'} (${cores.length} cores, ${memory} GiB, load average ${load} at the start), Node ${process.version}, ${platform()}`;
}

async function main(): Promise<void> {
  const { timeScale, scenarios, out } = options();
  const host = machine();
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const started = Date.now();
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    progress(
      `${scenario.name} (RDS rate limit ${scenario.rateLimit ? 'on' : 'off'}, time scale ${timeScale})...`,
    );
    results.push(await runScenario(scenario, { timeScale, progress }));
  }
  const wallMs = Date.now() - started;
  const command = [
    'npm run bench',
    ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
  ].join(' ');
  process.stdout.write(`\n${summaryTable(results)}\n\n`);
  const failed = failures(results);
  if (failed.length > 0) process.stdout.write(`Clones that did not succeed:\n${failed.join('\n')}\n\n`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    resultsFile(results, { date: new Date(started), machine: host, timeScale, command, wallMs }),
  );
  process.stdout.write(`Wrote ${relative(process.cwd(), out)} (${(wallMs / 1000).toFixed(1)} s in all).\n`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

await main();
