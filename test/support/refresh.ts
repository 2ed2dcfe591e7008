/**
 * Helpers of the refresh workflow test (`test/workflow/refresh.test.ts`): what the refresh
 * definition says (its failure states, its poll bounds), what a refresh left of a clone, and a
 * scan of everything an execution recorded.
 */
import { TAG, tagValue } from '../../functions/shared/tags.js';
import type { FakeState } from './fake-aws/index.js';
import { type ExecutionResult, loadDefinition, type MachineName } from './workflow.js';

/** The parts of an ASL state these helpers read. */
interface AslState {
  readonly Type: string;
  readonly Choices?: readonly { readonly Next: string; readonly NumericGreaterThanEquals?: number }[];
  readonly Default?: string;
}

function statesOf(name: MachineName): Record<string, AslState> {
  return (loadDefinition(name) as unknown as { States: Record<string, AslState> }).States;
}

/** Every state of the definition that only a failure enters: its Fail states, `Record*` and `Report*`. */
export function failureStates(name: MachineName): string[] {
  return Object.entries(statesOf(name))
    .filter(([state, { Type }]) => Type === 'Fail' || /^(Record|Report)[A-Z]/.test(state))
    .map(([state]) => state);
}

/** Where a Choice state can go: each rule's `Next`, then its `Default`. */
export function choiceTargets(name: MachineName, choice: string): string[] {
  const state = statesOf(name)[choice];
  if (state?.Type !== 'Choice') throw new Error(`${name}.asl.json has no Choice state ${choice}`);
  return [...(state.Choices ?? []).map((rule) => rule.Next), ...(state.Default ? [state.Default] : [])];
}

/** A poll loop's bound: the attempt count at which its Choice state gives up. */
export function pollLimit(name: MachineName, choice: string): number {
  const limits = (statesOf(name)[choice]?.Choices ?? []).flatMap((rule) =>
    rule.NumericGreaterThanEquals === undefined ? [] : [rule.NumericGreaterThanEquals],
  );
  if (limits.length !== 1) throw new Error(`${name}.asl.json: ${choice} has no single attempt limit`);
  return limits[0] as number;
}

/** The execution and every child execution it ran (the teardowns, the clone), depth first. */
export function everyExecution(result: ExecutionResult): ExecutionResult[] {
  return [result, ...result.children.flatMap(everyExecution)];
}

/** Everything anyone can read afterwards: each state's input and output, outputs, errors, events. */
export function everythingRecorded(result: ExecutionResult, state: FakeState): string {
  return JSON.stringify([
    everyExecution(result).map(({ events, output, error, cause }) => ({ events, output, error, cause })),
    state.events,
  ]);
}

/** Who made a cluster, as its `dbaf:execution-arn` tag says, in the words of a test. */
export type Maker = Readonly<Record<string, string>>;

/**
 * The clusters named after a clone, one line each, in name order:
 * `<id> (<who made it>, <status>, <n> instance(s))`, where `makers` names the executions; then any
 * instance named after the clone whose cluster is gone: `<id> (instance of no cluster)`.
 */
export function clustersOf(state: FakeState, cloneId: string, makers: Maker): string[] {
  const ours = (id: string) => id === cloneId || id.startsWith(`${cloneId}-`);
  const instances = [...state.instances.values()];
  const clusters = [...state.clusters.values()]
    .filter((cluster) => ours(cluster.id))
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((cluster) => {
      const who = makers[tagValue(cluster.tags, TAG.executionArn) ?? ''] ?? 'someone else';
      const count = instances.filter((i) => i.clusterId === cluster.id).length;
      return `${cluster.id} (${who}, ${cluster.status}, ${count} instance${count === 1 ? '' : 's'})`;
    });
  const orphans = instances
    .filter((instance) => ours(instance.id) && !state.clusters.has(instance.clusterId))
    .map((instance) => `${instance.id} (instance of no cluster)`);
  return [...clusters, ...orphans];
}
