import { loadConfig } from '../shared/config.js';
import { ConfigurationError } from '../shared/errors.js';
import { createHandler } from '../shared/handler.js';
import { assertCloneId, clusterOf, isClusterOnly } from './safety.js';
import { deleteCluster } from './steps/cluster.js';
import { discover } from './steps/discover.js';
import { deleteInstances } from './steps/instances.js';
import { deleteNetwork } from './steps/network.js';
import { deleteSchedule } from './steps/schedule.js';
import { deleteSecret } from './steps/secret.js';
import { type Discovery, type StepResult, TEARDOWN_STEPS, type TeardownInput } from './types.js';

export type { DeletingStep, Discovery, StepResult, TeardownStep } from './types.js';

/** The teardown request plus the state calling: `{ cloneId, reason?, finalSnapshot?, onlyExecutionArn?, step }`. */
export type Input = TeardownInput;

/** `discover` reports what exists; every other step reports what it deleted. */
export type Output = Discovery | StepResult;

/**
 * Runs one step of a clone's teardown: discover, or delete one kind of resource.
 *
 * One Lambda serves every state of the teardown state machine so the safety checks
 * live in one place; they run before any AWS call, and again on each resource's tags
 * before it is deleted.
 *
 * @throws RefusedTarget when the clone id is a source or not a clone name, or a resource is not this clone's.
 */
export async function teardown(input: Input): Promise<Output> {
  const config = loadConfig();
  assertCloneId(config, input.cloneId);
  clusterOf(input);
  if (
    isClusterOnly(input) &&
    (input.step === 'schedule' || input.step === 'network' || input.step === 'secret')
  ) {
    // The clone lives on in another cluster: its schedule, network and secret are still in use.
    return { step: input.step, deleted: [], alreadyGone: false, skipped: [] };
  }
  switch (input.step) {
    case 'discover':
      return discover(input, config);
    case 'schedule':
      return deleteSchedule(input, config);
    case 'instances':
      return deleteInstances(input);
    case 'cluster':
      return deleteCluster(input, config);
    case 'network':
      return deleteNetwork(input);
    case 'secret':
      return deleteSecret(input, config);
    default:
      throw new ConfigurationError(
        `Unknown teardown step "${String((input as { step?: unknown }).step)}"; the state machine must pass one of: ${TEARDOWN_STEPS.join(', ')}.`,
      );
  }
}

/** The teardown Lambda: {@link teardown} in the project's middleware. */
export const handler = createHandler('teardown', teardown);
