import { ConfigurationError } from '../shared/errors.js';
import { createHandler } from '../shared/handler.js';
import { type FinishInput, finishRefresh, type ReportInput, reportFailure } from './finish.js';
import { type PlanInput, planRefresh } from './plan.js';
import { copyPassword, promoteNew, retireOld, revert, type SwapInput } from './swap.js';
import type { RefreshPlan, RefreshResult, RevertOutcome } from './types.js';

export type { RefreshPlan, RefreshRequest, RefreshResult, RevertOutcome } from './types.js';

/**
 * The input and output of each step of the refresh Lambda, by the `step` each Task state of
 * `state-machines/refresh.asl.json` that calls it passes.
 */
export interface RefreshSteps {
  /** `PlanRefresh`: every check, nothing created. */
  plan: { input: PlanInput; output: RefreshPlan };
  /** `CopyPassword`: the new cluster gets the clone's password (never returned). */
  password: { input: SwapInput; output: { readonly secretName: string } };
  /** `RetireOldCluster`: `<cloneId>` becomes `<cloneId>-old`. */
  retire: { input: SwapInput; output: { readonly retiredId: string } };
  /** `PromoteNewCluster`: `<cloneId>-next` becomes `<cloneId>`. */
  promote: { input: SwapInput; output: { readonly clusterIdentifier: string } };
  /** `Rollback`: the old cluster back under the clone's name, if it had moved. */
  revert: { input: SwapInput; output: RevertOutcome };
  /** `FinishRefresh`: the secret, the expiry, the `Clone Refreshed` event. */
  finish: { input: FinishInput; output: RefreshResult };
  /** `ReportNotStarted`, `ReportFailure`: the `Clone Refresh Failed` event. */
  report: { input: ReportInput; output: { readonly reported: boolean } };
}

/** One step of the refresh Lambda. */
export type RefreshStep = keyof RefreshSteps;

/** What the state of step `S` passes: its `step`, and that step's own input. */
export type StepInput<S extends RefreshStep> = { readonly step: S } & RefreshSteps[S]['input'];

/** What step `S` returns, into the state machine's state. */
export type StepOutput<S extends RefreshStep> = RefreshSteps[S]['output'];

/** Any step's input. */
export type Input = { [S in RefreshStep]: StepInput<S> }[RefreshStep];

const STEPS: { readonly [S in RefreshStep]: (input: RefreshSteps[S]['input']) => Promise<StepOutput<S>> } = {
  plan: planRefresh,
  password: copyPassword,
  retire: retireOld,
  promote: promoteNew,
  revert,
  finish: finishRefresh,
  report: reportFailure,
};

/** Every step, in the order a refresh runs them. */
export const REFRESH_STEPS = Object.keys(STEPS) as RefreshStep[];

/**
 * Runs one step of a clone's refresh, typed by its `step`.
 *
 * Every step is idempotent: a retry reads where the previous attempt got to before acting.
 *
 * @throws ConfigurationError for a `step` the Lambda does not have (a state machine out of step with it).
 */
export async function refresh<S extends RefreshStep>(input: StepInput<S>): Promise<StepOutput<S>> {
  const step: unknown = input.step;
  if (typeof step !== 'string' || !Object.hasOwn(STEPS, step)) {
    throw new ConfigurationError(
      `Unknown refresh step "${String(step).slice(0, 40)}"; the state machine must pass one of: ${REFRESH_STEPS.join(', ')}.`,
    );
  }
  const run: (input: RefreshSteps[S]['input']) => Promise<StepOutput<S>> = STEPS[input.step];
  return run(input);
}

/** The refresh Lambda: {@link refresh} in the project's middleware. */
export const handler = createHandler('refresh', refresh<RefreshStep>);
