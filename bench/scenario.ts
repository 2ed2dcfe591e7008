import { readFileSync } from 'node:fs';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type StandInProcess, spawnStandIn } from '../cli/launcher.js';
import { control } from '../local/client.js';
import { type CloneRun, describeRun } from './history.js';

/** One benchmark scenario: how many clones start at once, and under which RDS rate limit. */
export interface Scenario {
  readonly name: string;
  readonly clones: number;
  /** AWS's RDS API rate limit (300 burst, 12 requests per AWS second) on. */
  readonly rateLimit: boolean;
}

/** The three scenarios. */
export const SCENARIOS: readonly Scenario[] = [
  { name: '1 clone', clones: 1, rateLimit: false },
  { name: '5 concurrent', clones: 5, rateLimit: true },
  { name: '20 concurrent', clones: 20, rateLimit: true },
];

/** The figures of one scenario, in real time; the report converts them to AWS time. */
export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly timeScale: number;
  readonly runs: readonly CloneRun[];
  /** Real milliseconds from the first StartExecution to the last execution's end. */
  readonly batchRealMs: number;
  /** `rds:*` calls the stand-in answered during the scenario (throttled ones included), by action. */
  readonly rdsCalls: Readonly<Record<string, number>>;
  /** RDS calls the rate limit refused. */
  readonly throttled: number;
  /** Why the scenario could not be measured (the stand-in did not start or stopped answering). */
  readonly aborted: string | undefined;
  /** The stand-in's error lines, or its last lines if it was aborted; kept when something failed. */
  readonly standInLines: readonly string[];
}

interface Stats {
  readonly calls: Record<string, number>;
  readonly throttled: number;
}

const ARTIFACT = JSON.parse(readFileSync(new URL('../examples/artifact.json', import.meta.url), 'utf8'));

/** The example artifact for one clone. */
function artifactFor(cloneName: string): string {
  // Only the clone workflow is measured: a long TTL keeps every teardown out of the run.
  const lifecycle = { ...ARTIFACT.lifecycle, ttl: '8h' };
  return JSON.stringify({ ...ARTIFACT, target: { ...ARTIFACT.target, cloneName }, lifecycle });
}

function rdsDelta(before: Stats, after: Stats): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, count] of Object.entries(after.calls)) {
    if (!key.startsWith('rds:')) continue;
    const calls = count - (before.calls[key] ?? 0);
    if (calls > 0) delta[key.slice('rds:'.length)] = calls;
  }
  return delta;
}

/** The lines of the stand-in's log that say what went wrong, not the requests it answered. */
function errorLines(output: string): string[] {
  const lines = output.split('\n').filter((line) => /fail|error/i.test(line) && !/ 200$/.test(line));
  return lines.slice(0, 20);
}

/** Waits until none of `arns` is RUNNING, or the deadline; one ListExecutions call per poll. */
async function waitForAll(
  sfn: SFNClient,
  stateMachineArn: string,
  arns: readonly string[],
  deadline: number,
  onEnd: (arn: string, status: string, realMs: number) => void,
): Promise<void> {
  const pending = new Set(arns);
  while (pending.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }),
    );
    for (const execution of executions) {
      const arn = execution.executionArn ?? '';
      if (!pending.has(arn) || execution.status === 'RUNNING') continue;
      pending.delete(arn);
      const realMs = (execution.stopDate?.getTime() ?? Date.now()) - (execution.startDate?.getTime() ?? 0);
      onEnd(arn, execution.status ?? '?', realMs);
    }
  }
}

type Options = { readonly timeScale: number; readonly progress: (line: string) => void };

/** Starts the scenario's clones at once on `standIn`, waits for them and reads the figures. */
async function measure(
  scenario: Scenario,
  standIn: StandInProcess,
  options: Options,
): Promise<ScenarioResult> {
  const { timeScale, progress } = options;
  const { endpoint, stateMachines } = standIn.ready;
  const sfn = new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  if (scenario.rateLimit) await control(endpoint, 'POST', 'rate-limit', {});
  const before = (await control(endpoint, 'GET', 'stats')) as Stats;
  const names = Array.from({ length: scenario.clones }, (_, i) => `dbaf-bench-${scenario.clones}-${i + 1}`);
  const started = Date.now();
  const arns = await Promise.all(
    names.map(async (name) => {
      const input = artifactFor(name);
      const { executionArn = '' } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: stateMachines.clone, name, input }),
      );
      return executionArn;
    }),
  );
  // Past the workflow's own poll bounds (about an hour of AWS time) it fails by itself;
  // the margin covers the real work that does not scale.
  const deadline = started + 90 * 60_000 * timeScale + 60_000;
  let ended = 0;
  await waitForAll(sfn, stateMachines.clone, arns, deadline, (arn, status, realMs) => {
    ended += 1;
    const aws = (realMs / timeScale / 60_000).toFixed(1);
    progress(`  ${arn.split(':').pop()} ${status} in ${(realMs / 1000).toFixed(1)} s (${aws} AWS min)`);
  });
  if (ended < arns.length) progress(`  gave up waiting: ${arns.length - ended} still RUNNING`);
  const after = (await control(endpoint, 'GET', 'stats')) as Stats;
  const runs = await Promise.all(arns.map((arn) => describeRun(sfn, arn)));
  return {
    scenario,
    timeScale,
    runs,
    batchRealMs: Math.max(...runs.map((run) => run.stoppedAt ?? Date.now())) - started,
    rdsCalls: rdsDelta(before, after),
    throttled: after.throttled - before.throttled,
    aborted: undefined,
    standInLines: runs.every((run) => run.status === 'SUCCEEDED') ? [] : errorLines(standIn.output()),
  };
}

/**
 * Runs one scenario on a fresh stand-in (a fresh account: empty quotas, a full rate-limit
 * bucket, no other clone's PostgreSQL servers competing for the CPU).
 *
 * A scenario that cannot be measured comes back `aborted`, with the stand-in's last lines,
 * so the scenarios before and after it still get reported.
 */
export async function runScenario(scenario: Scenario, options: Options): Promise<ScenarioResult> {
  let standIn: StandInProcess | undefined;
  try {
    // No sweeper schedule: its hourly DescribeDBClusters would count as the clones' RDS calls.
    standIn = await spawnStandIn(['--time-scale', String(options.timeScale), '--sweeper-schedule', 'off']);
    return await measure(scenario, standIn, options);
  } catch (error) {
    const child = standIn?.child;
    const exit = child && (child.exitCode !== null || child.signalCode !== null);
    const gone = exit ? ` (the stand-in had exited: code ${child.exitCode}, signal ${child.signalCode})` : '';
    const reason = `${error instanceof Error ? error.message.split('\n')[0] : String(error)}${gone}`;
    options.progress(`  aborted: ${reason}`);
    return {
      scenario,
      timeScale: options.timeScale,
      runs: [],
      batchRealMs: 0,
      rdsCalls: {},
      throttled: 0,
      aborted: reason,
      standInLines: (standIn?.output() ?? String(error)).trimEnd().split('\n').slice(-20),
    };
  } finally {
    await standIn?.stop();
  }
}
