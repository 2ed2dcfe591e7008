import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { TeardownRequest } from '../../functions/shared/plan.js';
import type { Aws } from '../aws.js';
import { describeCluster, findClone } from '../clones.js';
import { EXIT, UserError } from '../errors.js';
import { describeExecution, follow } from '../execution.js';
import { styles } from '../follow.js';
import { say } from '../output.js';
import { portOpen } from './verify.js';

/**
 * The end of the demo's clone: its TTL schedule starts the teardown, which the demo follows as
 * `dbaf delete` does; with `--keep`, the demo says when that comes and whether it came.
 */

/** The demo's clone, as its expiry concerns it. */
export interface ExpiringClone {
  readonly cloneId: string;
  readonly port: number;
  /** When its TTL runs out, in AWS time (ISO 8601, wall clock). */
  readonly expiresAt: string;
  /** When its TTL schedule was set (the clone execution's start): the scaled wait runs from there. */
  readonly scheduledAt: Date;
}

/** Where the clone lives: the stand-in's teardown state machine and time scale. */
export interface Stage {
  readonly aws: Aws;
  readonly teardownStateMachineArn: string;
  /** Real time per AWS time. */
  readonly timeScale: number;
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal;
}

/** What became of the clone by the time the demo stopped watching. */
export type Ending =
  | { readonly state: 'deleted'; readonly reason: string }
  | { readonly state: 'deleting'; readonly reason: string }
  | { readonly state: 'up'; readonly status: string; readonly firesAt: Date }
  | { readonly state: 'not-cleanly-deleted' };

const out = () => styles(process.stdout);

/**
 * The real time here at which a one-time schedule set at `setAt` for `at` fires: the stand-in
 * waits the AWS time between them, scaled.
 */
export function realFiringTime(at: string, setAt: Date, timeScale: number): Date {
  const awsWait = Math.max(0, Date.parse(at) - setAt.getTime());
  return new Date(setAt.getTime() + awsWait * timeScale);
}

/** `about 36 s`: how far a real time is from now. */
function realIn(when: Date): string {
  return `about ${Math.max(0, Math.round((when.getTime() - Date.now()) / 1000))} s`;
}

/** Resolves after `ms`, or at once when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** How a teardown's reason reads: what started it. */
const STARTED_BY: Record<string, string> = {
  'ttl-expired': 'The schedule fired',
  user: 'dbaf delete started it',
  'sweeper-expired': 'The sweeper found it expired',
  'max-lifetime': 'The sweeper found it past the maximum lifetime',
};

/** A teardown of this clone not seen before, if one has started: its ARN, name and reason. */
async function newTeardown(stage: Stage, cloneId: string, seen: Set<string>) {
  const { aws, teardownStateMachineArn } = stage;
  const listed = await aws.sfn.send(new ListExecutionsCommand({ stateMachineArn: teardownStateMachineArn }));
  for (const execution of listed.executions ?? []) {
    const arn = execution.executionArn;
    if (arn === undefined || seen.has(arn)) continue;
    seen.add(arn);
    const input = JSON.parse((await describeExecution(aws, arn))?.input ?? '{}') as Partial<TeardownRequest>;
    if (input.cloneId === cloneId)
      return { arn, name: execution.name ?? arn, reason: input.reason ?? 'user' };
  }
  return undefined;
}

/** Follows a teardown as `dbaf delete` does, then checks that the cluster is gone and its port closed. */
async function followTeardown(
  stage: Stage,
  clone: ExpiringClone,
  teardown: { arn: string; name: string; reason: string },
): Promise<boolean> {
  const { aws } = stage;
  say(
    `${STARTED_BY[teardown.reason] ?? `A teardown started (${teardown.reason})`}: teardown execution ${teardown.name}.`,
  );
  const { execution } = await follow(aws, teardown.arn, 'The teardown goes on.', process.stdout);
  const gone = (await describeCluster(aws.rds, clone.cloneId)) === undefined;
  const closed = !(await portOpen(clone.port));
  const deleted = execution.status === 'SUCCEEDED' && gone && closed;
  say(
    deleted
      ? out().green(
          `The clone is deleted: teardown ${execution.status}, cluster ${clone.cloneId} not found, port ${clone.port} closed.`,
        )
      : out().red(
          `The clone was not cleanly deleted: teardown ${execution.status}, cluster gone: ${gone}, port closed: ${closed}.`,
        ),
  );
  return deleted;
}

/**
 * Waits for the clone's TTL, then follows the teardown its schedule starts.
 *
 * @returns whether the clone is cleanly deleted
 * @throws Error when no teardown starts within two minutes of the TTL
 */
export async function awaitTtlDeletion(stage: Stage, clone: ExpiringClone): Promise<boolean> {
  const firesAt = realFiringTime(clone.expiresAt, clone.scheduledAt, stage.timeScale);
  say(
    `${out().bold('Waiting for the TTL.')} The clone expires at ${clone.expiresAt} AWS time, in ${realIn(firesAt)} here; its EventBridge Scheduler schedule then starts the teardown.`,
  );
  const seen = new Set<string>();
  const deadline = firesAt.getTime() + 120_000;
  while (Date.now() < deadline) {
    if (stage.signal.aborted) throw new UserError('Interrupted.', EXIT.interrupted);
    const teardown = await newTeardown(stage, clone.cloneId, seen);
    if (teardown !== undefined) return followTeardown(stage, clone, teardown);
    await pause(500, stage.signal);
  }
  throw new Error('No teardown started within two minutes of the TTL: the TTL schedule did not fire.');
}

/** What the `--keep` watch knows of the clone, updated at each look. */
class KeepWatch {
  /** What became of the clone, as last seen. */
  ending: Ending;
  private expiresAt: string;
  private readonly seen = new Set<string>();

  constructor(
    private readonly stage: Stage,
    private readonly clone: ExpiringClone,
  ) {
    this.expiresAt = clone.expiresAt;
    const firesAt = realFiringTime(clone.expiresAt, clone.scheduledAt, stage.timeScale);
    this.ending = { state: 'up', status: 'available', firesAt };
  }

  /** One look at the clone, while it is up: a teardown that started (followed), or its expiry moved. */
  async look(): Promise<void> {
    if (this.ending.state !== 'up') return;
    const { aws, timeScale } = this.stage;
    const teardown = await newTeardown(this.stage, this.clone.cloneId, this.seen);
    if (teardown !== undefined) {
      this.ending = { state: 'deleting', reason: teardown.reason };
      const deleted = await followTeardown(this.stage, this.clone, teardown);
      this.ending = deleted
        ? { state: 'deleted', reason: teardown.reason }
        : { state: 'not-cleanly-deleted' };
      say(out().dim('The stand-in stays up until you press Ctrl-C.'));
      return;
    }
    const clone = await findClone(aws.rds, this.clone.cloneId);
    if (clone === undefined) {
      this.ending = { state: 'deleted', reason: 'unknown' };
      return;
    }
    let { firesAt } = this.ending;
    if (clone.expiresAt !== null && clone.expiresAt !== this.expiresAt) {
      this.expiresAt = clone.expiresAt;
      // `dbaf extend` set the schedule again just now: the scaled wait runs from here.
      firesAt = realFiringTime(clone.expiresAt, new Date(), timeScale);
      say(
        `The clone's expiry moved to ${clone.expiresAt} AWS time: its schedule now deletes it in ${realIn(firesAt)} here.`,
      );
    }
    this.ending = { state: 'up', status: clone.status, firesAt };
  }
}

/**
 * `--keep`: says when the TTL will delete the clone (in real seconds here) and how to extend it,
 * then watches until Ctrl-C: an expiry moved by `dbaf extend`, and any teardown, which it follows.
 *
 * @returns what became of the clone by Ctrl-C, as last seen (the stand-in stops with the same Ctrl-C)
 */
export async function keepUntilInterrupted(stage: Stage, clone: ExpiringClone): Promise<Ending> {
  const watch = new KeepWatch(stage, clone);
  say(out().bold('--keep: the stand-in and the clone stay up until you press Ctrl-C.'));
  if (watch.ending.state === 'up') {
    say(
      `The TTL still applies: the clone expires at ${clone.expiresAt} AWS time, so its schedule deletes it in ${realIn(watch.ending.firesAt)} here.`,
    );
  }
  say(`To keep it longer: ${stage.aws.command(`extend ${clone.cloneId} 4h`)}`);
  while (!stage.signal.aborted) {
    try {
      await watch.look();
    } catch (error) {
      // Ctrl-C reaches the stand-in too: what fails while it stops is no news.
      if (stage.signal.aborted) break;
      throw error;
    }
    await pause(1_000, stage.signal);
  }
  return watch.ending;
}

/** The last line of a `--keep` demo: what became of the clone, truthfully. */
export function keepEnding(ending: Ending, cloneId: string): string {
  switch (ending.state) {
    case 'deleted':
      return `The clone ${cloneId} was deleted ${ending.reason === 'ttl-expired' ? 'at its TTL' : `(${ending.reason})`}, before you pressed Ctrl-C.`;
    case 'deleting':
      return `The clone ${cloneId} was being deleted when you pressed Ctrl-C; it is gone with the stand-in.`;
    case 'not-cleanly-deleted':
      return `The clone ${cloneId}'s teardown did not delete it cleanly (see above); it is gone with the stand-in.`;
    case 'up':
      return `The clone ${cloneId} was still there when you pressed Ctrl-C (${ending.status}; its TTL would have deleted it in ${realIn(ending.firesAt)}); it is gone with the stand-in, which kept everything in a temporary directory.`;
  }
}
