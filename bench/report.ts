import { RDS_TIMING } from '../local/services/rds/timing.js';
import type { CloneRun } from './history.js';
import { CLONE_FLOOR_MS, PHASES, phaseDuration } from './phases.js';
import type { ScenarioResult } from './scenario.js';

/** Step Functions Standard workflows: $0.025 per 1,000 state transitions, retries included. */
export const PRICE_PER_TRANSITION_USD = 0.025 / 1000;

/** Where and when the benchmark ran, for the results file. */
export interface RunInfo {
  readonly date: Date;
  readonly machine: string;
  readonly timeScale: number;
  readonly command: string;
  readonly wallMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const awsMin = (realMs: number, scale: number) => (realMs / scale / 60_000).toFixed(1);
const realS = (realMs: number) => (realMs / 1000).toFixed(1);
const ratio = (realMs: number, scale: number) => `${(realMs / scale / CLONE_FLOOR_MS).toFixed(2)}×`;
const range = (values: readonly number[]) => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}–${high}`;
};

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

const succeeded = (result: ScenarioResult): CloneRun[] =>
  result.runs.filter((run) => run.status === 'SUCCEEDED');

function summaryRow(result: ScenarioResult): string[] {
  const { scenario, timeScale: scale, runs } = result;
  if (result.aborted !== undefined) {
    return [
      scenario.name,
      scenario.rateLimit ? 'on' : 'off',
      `aborted: ${result.aborted}`,
      ...Array(10).fill('—'),
    ];
  }
  const ok = succeeded(result);
  const times = ok.flatMap((run) => (run.realMs === undefined ? [] : [run.realMs]));
  const rds = Object.values(result.rdsCalls).reduce((sum, n) => sum + n, 0);
  // A clone's cost is what a successful one is billed; failed ones show in "succeeded".
  const billed = ok.reduce((sum, run) => sum + run.transitions + run.retries, 0) / ok.length;
  const none = ok.length === 0;
  return [
    scenario.name,
    scenario.rateLimit ? 'on' : 'off',
    `${ok.length}/${runs.length}`,
    none ? '—' : `${awsMin(median(times), scale)} / ${awsMin(Math.max(...times), scale)}`,
    awsMin(result.batchRealMs, scale),
    none ? '—' : `${realS(median(times))} / ${realS(Math.max(...times))} / ${realS(result.batchRealMs)}`,
    (CLONE_FLOOR_MS / 60_000).toFixed(1),
    none ? '—' : `${ratio(median(times), scale)} / ${ratio(Math.max(...times), scale)}`,
    `${rds} (${(rds / runs.length).toFixed(1)})`,
    String(result.throttled),
    none ? '—' : range(ok.map((run) => run.transitions)),
    String(runs.reduce((sum, run) => sum + run.retries, 0)),
    none ? '—' : `$${(billed * PRICE_PER_TRANSITION_USD).toFixed(5)}`,
  ];
}

/** The main table: one row per scenario. */
export function summaryTable(results: readonly ScenarioResult[]): string {
  const header = [
    'scenario',
    'RDS rate limit',
    'succeeded',
    'end-to-end, AWS min (median / max)',
    'batch wall, AWS min',
    'real s (median / max / batch)',
    'floor, AWS min',
    'overhead (median / max)',
    'RDS calls (per clone)',
    'throttled',
    'transitions per clone',
    'retries',
    '$ per clone',
  ];
  return table(header, results.map(summaryRow));
}

/** Where the time goes: each phase's median (AWS minutes) against its RDS floor. */
export function phaseTable(results: readonly ScenarioResult[]): string {
  const header = ['phase', 'floor, AWS min', ...results.map((result) => `${result.scenario.name}, median`)];
  const rows = PHASES.map((phase) => [
    phase.name,
    (phase.floorMs / 60_000).toFixed(1),
    ...results.map((result) => {
      const spans = succeeded(result).flatMap((run) => phaseDuration(phase, run.marks) ?? []);
      return spans.length === 0 ? '—' : awsMin(median(spans), result.timeScale);
    }),
  ]);
  return table(header, rows);
}

/** RDS calls by action, per scenario. */
export function callTable(results: readonly ScenarioResult[]): string {
  const actions = [...new Set(results.flatMap((result) => Object.keys(result.rdsCalls)))].sort();
  const header = ['RDS action', ...results.map((result) => result.scenario.name)];
  return table(
    header,
    actions.map((action) => [action, ...results.map((result) => String(result.rdsCalls[action] ?? 0))]),
  );
}

/** Every clone that did not succeed, with the execution's error and cause. */
export function failures(results: readonly ScenarioResult[]): string[] {
  const aborted = results.flatMap((result) =>
    result.aborted === undefined ? [] : [`- ${result.scenario.name}: not measured: ${result.aborted}`],
  );
  const failed = results.flatMap((result) =>
    result.runs
      .filter((run) => run.status !== 'SUCCEEDED')
      .map(
        (run) =>
          `- ${result.scenario.name}: ${run.name} ${run.status} in state ${run.lastState ?? '?'}: ` +
          `${run.error ?? '(no error)'}: ${run.cause ?? '(no cause)'}`,
      ),
  );
  return [...aborted, ...failed];
}

const minutes = (awsMs: number) => `${awsMs / 60_000} min`;

const HOW_TO_READ = [
  '**How to read this.** Each scenario ran on a fresh stand-in; its clones were started at once with',
  "`examples/artifact.json` (one instance, TTL 8 h, so no teardown ran). Times come from each execution's own",
  'start and stop dates and are converted to AWS time by dividing by the time scale: the AWS-time figures are the',
  'ones to compare with AWS, the real seconds are what this machine took. The floor is the sum of the RDS',
  `lifecycle times a clone waits through one after the other (cluster create ${minutes(RDS_TIMING.clusterCreate)}`,
  `+ instance create ${minutes(RDS_TIMING.instanceCreate)} + backing-up ${minutes(RDS_TIMING.instanceBackup)}`,
  `+ password reset ${minutes(RDS_TIMING.passwordReset)}, from \`local/services/rds/timing.ts\`): no orchestrator`,
  'can beat it, so overhead = end-to-end / floor, and 1.00× would be perfect. The overhead has two sources, which',
  '"Where the time goes" separates by phase: the workflow\'s poll loops (it checks a cluster after 120 s, then',
  'every 30 s, so it sees a change up to one interval late) and real work that does not scale with the clock',
  "(the stand-in's own bookkeeping, the handlers, HTTP, the physical PostgreSQL copy and server start), which the",
  'conversion to AWS time magnifies by 1 / scale: at a small scale the overhead is an upper bound. "RDS calls"',
  "are all `rds:*` calls the stand-in answered during the scenario, the workflow's status polls and the refused",
  'ones included; "throttled" are those the rate limit (AWS\'s: 300 burst, 12 per second) refused, which the',
  'handlers retry with backoff. "Transitions" are the `…StateEntered` events in each history; Step Functions',
  'Standard bills $0.025 per 1,000 transitions, retries included, so "$ per clone" = (transitions + retries) ×',
  '$0.000025. Times, transitions and cost are over the clones that succeeded; RDS calls, throttled calls and',
  "retries count every clone of the scenario, a failed one's rollback included.",
].join(' ');

/** The whole results file (`bench/results/latest.md`). */
export function resultsFile(results: readonly ScenarioResult[], info: RunInfo): string {
  const failed = failures(results);
  const tails = results.flatMap((result) =>
    result.standInLines.length === 0
      ? []
      : [
          `What the ${result.scenario.name} stand-in logged:\n\n\`\`\`\n${result.standInLines.join('\n')}\n\`\`\``,
        ],
  );
  return [
    '# Clone benchmark',
    '',
    `Run ${info.date.toISOString()} on ${info.machine}; time scale ${info.timeScale} ` +
      `(1 AWS minute = ${(60 * info.timeScale).toFixed(1)} s here); \`${info.command}\` took ` +
      `${realS(info.wallMs)} s in all, stand-in start-ups included.`,
    '',
    summaryTable(results),
    '',
    HOW_TO_READ,
    '',
    '## Where the time goes',
    '',
    phaseTable(results),
    '',
    '## RDS calls by action',
    '',
    callTable(results),
    '',
    ...(failed.length === 0 ? [] : ['## Clones that did not succeed', '', ...failed, '', ...tails, '']),
  ].join('\n');
}
