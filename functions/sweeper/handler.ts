import { type Config, loadConfig, required } from '../shared/config.js';
import { sendEvent } from '../shared/events.js';
import { createHandler, logger } from '../shared/handler.js';
import type { TeardownRequest } from '../shared/plan.js';
import { runningTeardowns, startTeardown } from './executions.js';
import { findExpired, sweepableClones } from './expired.js';
import { takeInventory } from './inventory.js';
import { findOverLifetime } from './lifetime.js';
import { findOrphans } from './orphans.js';
import type { Skipped, SweepReport, SweepRequest } from './types.js';

export type {
  ExpiredClone,
  Leftover,
  LeftoverType,
  Orphan,
  OverLifetimeClone,
  Skipped,
  SweepReport,
} from './types.js';

/** The sweeper state machine's request: `{ dryRun }`. */
export type Input = SweepRequest;

/** What the sweep found and did; see {@link SweepReport}. */
export type Output = SweepReport;

/** The `detail-type` of the event sent when a sweep found something. */
export const SWEEP_COMPLETED = 'Sweep Completed';

/**
 * Starts one teardown per request, unless a teardown of that clone is already running.
 *
 * The running teardowns are listed only when there is something to start, and after everything
 * else was read: a teardown that ended meanwhile has deleted what it found, and starting another
 * is harmless (every teardown step is idempotent).
 */
async function startTeardowns(
  requests: readonly TeardownRequest[],
  teardownArn: string,
  now: number,
  skipped: Skipped[],
): Promise<string[]> {
  if (requests.length === 0) return [];
  const running = await runningTeardowns(teardownArn);
  const started: string[] = [];
  for (const request of requests) {
    const { cloneId } = request;
    const already = running.get(cloneId.toLowerCase());
    if (already !== undefined) {
      skipped.push({ cloneId, reason: `a teardown of the clone is already running: ${already}.` });
      continue;
    }
    const arn = await startTeardown(teardownArn, request, now);
    if (arn === undefined) {
      skipped.push({
        cloneId,
        reason: 'a sweep earlier this minute already ran its teardown; the next sweep starts another.',
      });
      continue;
    }
    running.set(cloneId.toLowerCase(), arn);
    started.push(arn);
    logger.info('teardown started', { cloneId, reason: request.reason, executionArn: arn });
  }
  return started;
}

/** Sends the `Sweep Completed` event; a refused event is logged, never a reason to sweep again. */
async function announce(report: SweepReport, config: Config): Promise<void> {
  const refused = await sendEvent(config, SWEEP_COMPLETED, report);
  // The teardowns are started: failing now would only make the state machine sweep again.
  if (refused !== undefined) logger.warn(`the ${SWEEP_COMPLETED} event was not accepted`);
}

/**
 * Finds the managed clones nothing else will delete and starts their teardowns: expired clones
 * whose TTL schedule is lost or failed to fire, unprotected clones past the maximum lifetime, and
 * the leftovers of clones whose cluster is gone.
 *
 * It deletes nothing itself: each teardown it starts checks every resource's tags again, so there
 * is one deletion path. It never looks at a resource without the managed-by tag (schedules, which
 * carry no tags, only in the project's group, under the clone prefix, aimed at the teardown).
 *
 * @throws ConfigurationError when the state machine ARNs are not set.
 */
export async function sweep(input: Input): Promise<Output> {
  const config = loadConfig();
  const teardownArn = required(config.teardownStateMachineArn, 'TEARDOWN_STATE_MACHINE_ARN');
  const cloneArn = required(config.cloneStateMachineArn, 'CLONE_STATE_MACHINE_ARN');
  const dryRun = input?.dryRun === true;
  const now = Date.now();
  const inventory = await takeInventory(config, teardownArn);
  const skipped: Skipped[] = [...inventory.skipped];
  const clones = sweepableClones(inventory, config, skipped);
  const expired = await findExpired(clones, inventory, config, now);
  const overLifetime = await findOverLifetime(clones, inventory, config, now, skipped);
  const orphans = await findOrphans(inventory, config, cloneArn, skipped);
  const requests = [...expired.requests, ...overLifetime.requests, ...orphans.requests];
  const teardownsStarted = dryRun ? [] : await startTeardowns(requests, teardownArn, now, skipped);
  const report: SweepReport = {
    dryRun,
    expired: expired.expired,
    overLifetime: overLifetime.overLifetime,
    orphans: orphans.orphans,
    teardownsStarted,
    skipped,
  };
  const found = report.expired.length + report.overLifetime.length + report.orphans.length;
  if (found > 0 && !dryRun) await announce(report, config);
  logger.info('sweep done', {
    dryRun,
    expired: report.expired.length,
    overLifetime: report.overLifetime.length,
    orphans: report.orphans.length,
    teardownsStarted: teardownsStarted.length,
    skipped: skipped.length,
  });
  return report;
}

/** The sweeper Lambda: {@link sweep} in the project's middleware. */
export const handler = createHandler('sweeper', sweep);
