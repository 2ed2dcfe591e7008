import { paginateDescribeSecurityGroups } from '@aws-sdk/client-ec2';
import { type DBCluster, paginateDescribeDBSubnetGroups } from '@aws-sdk/client-rds';
import {
  GetScheduleCommand,
  paginateListSchedules,
  ResourceNotFoundException,
} from '@aws-sdk/client-scheduler';
import { paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import { ec2 } from '../shared/clients/ec2.js';
import { rds } from '../shared/clients/rds.js';
import { scheduler } from '../shared/clients/scheduler.js';
import { secretsManager } from '../shared/clients/secrets-manager.js';
import type { Config } from '../shared/config.js';
import { listClusters, subnetGroupTags } from '../shared/rds.js';
import { isManaged, MANAGED_BY, TAG, tagValue } from '../shared/tags.js';
import type { Leftover, Skipped } from './types.js';

/** A leftover with the execution its tags name as its maker (schedules carry no tags: read later). */
export interface FoundLeftover extends Leftover {
  readonly executionArn: string | undefined;
}

const WHAT: Record<Leftover['type'], string> = {
  schedule: 'TTL schedule',
  'security-group': 'security group',
  'subnet-group': 'DB subnet group',
  secret: 'secret',
};

/** A leftover as a person reads it: `security group sg-0123`. */
export function named(item: Leftover): string {
  return `${WHAT[item.type]} ${item.id}`;
}

/** Everything of the project's in the region, read once per sweep. */
export interface Inventory {
  /** Every DB cluster, managed or not: a clone id with any cluster under its name is no orphan. */
  readonly clusters: readonly DBCluster[];
  /** Names of the TTL schedules: in the project's group, under the clone prefix, aimed at the teardown. */
  readonly schedules: ReadonlySet<string>;
  /** What remains of clone ids that have no cluster, by clone id. */
  readonly leftovers: ReadonlyMap<string, readonly FoundLeftover[]>;
  /** Managed resources that cannot be tied to a clone the teardown would find them under. */
  readonly skipped: readonly Skipped[];
}

/**
 * The TTL schedules. Schedules carry no tags: the group, the clone prefix and the teardown target
 * identify them, so the sweeper's own schedule in the same group is never taken for one.
 */
async function listTtlSchedules(config: Config, teardownArn: string): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateListSchedules(
    { client: scheduler },
    { GroupName: config.scheduleGroupName, NamePrefix: config.cloneNamePrefix },
  );
  for await (const page of pages) {
    for (const schedule of page.Schedules ?? []) {
      if (schedule.Name !== undefined && schedule.Target?.Arn === teardownArn) names.push(schedule.Name);
    }
  }
  return names;
}

/** A leftover as listed, with the clone its tags name. */
interface Tagged extends FoundLeftover {
  readonly cloneId: string | undefined;
}

async function listSecurityGroups(): Promise<Tagged[]> {
  const found: Tagged[] = [];
  const pages = paginateDescribeSecurityGroups(
    { client: ec2 },
    { Filters: [{ Name: `tag:${TAG.managedBy}`, Values: [MANAGED_BY] }] },
  );
  for await (const page of pages) {
    for (const group of page.SecurityGroups ?? []) {
      if (!isManaged(group.Tags) || group.GroupId === undefined) continue;
      found.push(leftover('security-group', group.GroupId, group.Tags));
    }
  }
  return found;
}

async function listSecrets(config: Config): Promise<Tagged[]> {
  const found: Tagged[] = [];
  const pages = paginateListSecrets(
    { client: secretsManager },
    {
      Filters: [
        { Key: 'tag-key', Values: [TAG.managedBy] },
        { Key: 'name', Values: [`${config.secretPrefix}${config.cloneNamePrefix}`] },
      ],
    },
  );
  for await (const page of pages) {
    for (const secret of page.SecretList ?? []) {
      // A secret scheduled for deletion is already on its way out.
      if (!isManaged(secret.Tags) || secret.Name === undefined || secret.DeletedDate !== undefined) continue;
      found.push(leftover('secret', secret.Name, secret.Tags));
    }
  }
  return found;
}

/** The clone subnet groups of clone ids without a cluster (their tags cost one call each). */
async function listSubnetGroups(config: Config, clusterIds: ReadonlySet<string>): Promise<Tagged[]> {
  const prefix = config.cloneNamePrefix.toLowerCase();
  const candidates: { name: string; arn: string | undefined }[] = [];
  for await (const page of paginateDescribeDBSubnetGroups({ client: rds }, {})) {
    for (const group of page.DBSubnetGroups ?? []) {
      const name = group.DBSubnetGroupName ?? '';
      if (name.toLowerCase().startsWith(prefix) && !clusterIds.has(name.toLowerCase())) {
        candidates.push({ name, arn: group.DBSubnetGroupArn });
      }
    }
  }
  const found: Tagged[] = [];
  for (const { name, arn } of candidates) {
    // A group deleted since it was listed (by a teardown) is simply gone.
    const tags = await subnetGroupTags(arn);
    if (isManaged(tags)) found.push(leftover('subnet-group', name, tags));
  }
  return found;
}

type Tags = readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined;

function leftover(type: FoundLeftover['type'], id: string, tags: Tags): Tagged {
  return { type, id, executionArn: tagValue(tags, TAG.executionArn), cloneId: tagValue(tags, TAG.cloneId) };
}

/**
 * Where the teardown of a clone looks for each kind of resource: security groups by tag, the
 * subnet group and the secret by name. A managed resource somewhere else would survive the
 * teardown the sweeper starts, so it is reported for a person instead.
 */
function misplaced(config: Config, item: Tagged): string | undefined {
  const { cloneId } = item;
  if (cloneId === undefined) return `${named(item)} has no "${TAG.cloneId}" tag`;
  if (item.type === 'subnet-group' && item.id.toLowerCase() !== cloneId.toLowerCase()) {
    return `${named(item)} is tagged for clone "${cloneId}" but not named after it`;
  }
  if (item.type === 'secret' && item.id !== `${config.secretPrefix}${cloneId}`) {
    return `${named(item)} is tagged for clone "${cloneId}" but not named "${config.secretPrefix}${cloneId}"`;
  }
  return undefined;
}

/**
 * Reads what the sweeper decides on: one paginated listing per kind of resource, plus the tags
 * of the clone-named subnet groups whose cluster is gone. Nothing is changed.
 */
export async function takeInventory(config: Config, teardownArn: string): Promise<Inventory> {
  const [clusters, scheduleNames, securityGroups, secrets] = await Promise.all([
    listClusters(),
    listTtlSchedules(config, teardownArn),
    listSecurityGroups(),
    listSecrets(config),
  ]);
  // A clone in the middle of a refresh has its cluster under another name for a while
  // (`<cloneId>-old`, `<cloneId>-next`): any managed cluster tagged for a clone keeps it alive.
  const clusterIds = new Set(
    clusters.flatMap((cluster) => {
      const tagged = isManaged(cluster.TagList) ? tagValue(cluster.TagList, TAG.cloneId) : undefined;
      return [cluster.DBClusterIdentifier ?? '', tagged ?? '']
        .filter((id) => id !== '')
        .map((id) => id.toLowerCase());
    }),
  );
  const subnetGroups = await listSubnetGroups(config, clusterIds);
  const skipped: Skipped[] = [];
  const leftovers = new Map<string, FoundLeftover[]>();
  const hasCluster = (cloneId: string) => clusterIds.has(cloneId.toLowerCase());
  const add = (cloneId: string, item: FoundLeftover) => {
    leftovers.set(cloneId, [...(leftovers.get(cloneId) ?? []), item]);
  };
  for (const { cloneId, ...item } of [...securityGroups, ...subnetGroups, ...secrets]) {
    if (cloneId !== undefined && hasCluster(cloneId)) continue;
    const problem = misplaced(config, { cloneId, ...item });
    if (problem === undefined && cloneId !== undefined) add(cloneId, item);
    else skipped.push({ cloneId: cloneId ?? null, reason: `${problem}: the teardown would not find it.` });
  }
  for (const name of scheduleNames.filter((name) => !hasCluster(name))) {
    add(name, { type: 'schedule', id: name, executionArn: undefined });
  }
  return { clusters, schedules: new Set(scheduleNames), leftovers, skipped };
}

/** What a TTL schedule's target input says (schedule-ttl-deletion writes it). */
export interface TtlScheduleInput {
  /** The clone execution that made the schedule. */
  readonly createdBy: string | undefined;
  /** Whether the clone's teardown takes a final snapshot. */
  readonly finalSnapshot: boolean;
}

/** Reads one TTL schedule's target input; `undefined` when the schedule is gone (it fired, or was deleted). */
export async function readTtlSchedule(config: Config, name: string): Promise<TtlScheduleInput | undefined> {
  let input: string | undefined;
  try {
    const schedule = await scheduler.send(
      new GetScheduleCommand({ GroupName: config.scheduleGroupName, Name: name }),
    );
    input = schedule.Target?.Input;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  let parsed: { createdBy?: unknown; finalSnapshot?: unknown } = {};
  try {
    parsed = JSON.parse(input ?? '{}') ?? {};
  } catch {
    // Not JSON: not written by schedule-ttl-deletion, so it names no maker.
  }
  return {
    createdBy: typeof parsed.createdBy === 'string' ? parsed.createdBy : undefined,
    finalSnapshot: parsed.finalSnapshot === true,
  };
}
