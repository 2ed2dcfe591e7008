import type { Config } from '../shared/config.js';
import type { TeardownRequest } from '../shared/plan.js';
import { findCluster } from '../shared/rds.js';
import { TAG } from '../shared/tags.js';
import { describeExecution } from './executions.js';
import { type FoundLeftover, type Inventory, named, readTtlSchedule } from './inventory.js';
import { refusal } from './safety.js';
import type { Orphan, Skipped } from './types.js';

/** Orphaned clones, and the teardown each needs. */
export interface OrphanFindings {
  readonly orphans: Orphan[];
  readonly requests: TeardownRequest[];
}

/** Each leftover with the clone execution that made it: its tag, or for a schedule its target input. */
async function withMakers(
  config: Config,
  found: readonly FoundLeftover[],
): Promise<{ item: FoundLeftover; maker: string | undefined }[]> {
  const made: { item: FoundLeftover; maker: string | undefined }[] = [];
  for (const item of found) {
    if (item.type !== 'schedule') {
      made.push({ item, maker: item.executionArn });
      continue;
    }
    const schedule = await readTtlSchedule(config, item.id);
    // Gone since it was listed: it fired, or a teardown deleted it.
    if (schedule !== undefined) made.push({ item, maker: schedule.createdBy });
  }
  return made;
}

/**
 * Why the leftovers of `cloneId` must be left alone for now, or `undefined` when they are orphans.
 *
 * A clone being made has its schedule, security group and subnet group before its cluster: every
 * execution that made one of them must have ended, and the cluster must still be missing after
 * that (checked last, so a clone that was finishing is seen with its cluster).
 */
async function stillWanted(
  cloneId: string,
  made: readonly { item: FoundLeftover; maker: string | undefined }[],
  cloneExecutions: string,
): Promise<string | undefined> {
  const unknown = made.find(({ maker }) => maker === undefined);
  if (unknown !== undefined) {
    return `${named(unknown.item)} names no clone execution that made it (no "${TAG.executionArn}" tag, or no "createdBy" in a schedule), so the sweeper cannot tell whether its clone is still being made; start the teardown of ${cloneId} yourself if it is not.`;
  }
  const makers = [...new Set(made.map(({ maker }) => maker as string))];
  const foreign = makers.find((maker) => !maker.startsWith(cloneExecutions));
  if (foreign !== undefined) {
    return `its resources name ${foreign} as their maker, which is no execution of the clone state machine; start the teardown of ${cloneId} yourself if the clone is gone.`;
  }
  for (const maker of makers) {
    if ((await describeExecution(maker))?.status === 'RUNNING') {
      return `the clone is being made by ${maker} (its cluster does not exist yet).`;
    }
  }
  if ((await findCluster(cloneId)) !== undefined) return 'its cluster exists now: the clone is not orphaned.';
  return undefined;
}

/**
 * The clones whose cluster is gone but whose TTL schedule, security group, subnet group or secret
 * remain, and whose making has ended: each gets a teardown, which deletes exactly those (it finds
 * them by the clone id and checks their tags again).
 */
export async function findOrphans(
  inventory: Inventory,
  config: Config,
  cloneStateMachineArn: string,
  skipped: Skipped[],
): Promise<OrphanFindings> {
  const cloneExecutions = `${cloneStateMachineArn.replace(':stateMachine:', ':execution:')}:`;
  const orphans: Orphan[] = [];
  const requests: TeardownRequest[] = [];
  for (const [cloneId, found] of inventory.leftovers) {
    const refused = refusal(config, cloneId);
    if (refused !== undefined) {
      skipped.push({ cloneId, reason: `${found.map(named).join(', ')}: ${refused}` });
      continue;
    }
    const made = await withMakers(config, found);
    if (made.length === 0) continue;
    const reason = await stillWanted(cloneId, made, cloneExecutions);
    if (reason !== undefined) {
      skipped.push({ cloneId, reason: `${made.map(({ item }) => named(item)).join(', ')} left: ${reason}` });
      continue;
    }
    orphans.push({ cloneId, resources: made.map(({ item }) => ({ type: item.type, id: item.id })) });
    requests.push({ cloneId, reason: 'sweeper-orphan' });
  }
  return { orphans, requests };
}
