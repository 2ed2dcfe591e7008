import { ConfigurationError } from '../shared/errors.js';
import { createHandler } from '../shared/handler.js';
import { type FinishInput, finishRefresh, type ReportInput, reportFailure } from './finish.js';
import { type PlanInput, planRefresh } from './plan.js';
import { copyPassword, promoteNew, retireOld, revert, type SwapInput } from './swap.js';
import { REFRESH_STEPS, type RefreshStep } from './types.js';

export type { RefreshPlan, RefreshRequest, RefreshResult, RevertOutcome } from './types.js';

/** Every state of the refresh state machine that calls this Lambda passes its `step`. */
export type Input =
  | ({ readonly step: 'plan' } & PlanInput)
  | ({ readonly step: 'password' | 'retire' | 'promote' | 'revert' } & SwapInput)
  | ({ readonly step: 'finish' } & FinishInput)
  | ({ readonly step: 'report' } & ReportInput);

/**
 * Runs one step of a clone's refresh (`state-machines/refresh.asl.json`): plan it, give the new
 * cluster the clone's password, swap the names, put things back on failure, finish, report.
 *
 * Every step is idempotent: a retry reads where the previous attempt got to before acting.
 */
export async function refresh(input: Input): Promise<unknown> {
  switch (input.step) {
    case 'plan':
      return planRefresh(input);
    case 'password':
      return copyPassword(input);
    case 'retire':
      return retireOld(input);
    case 'promote':
      return promoteNew(input);
    case 'revert':
      return revert(input);
    case 'finish':
      return finishRefresh(input);
    case 'report':
      return reportFailure(input);
    default:
      throw new ConfigurationError(
        `Unknown refresh step "${String((input as { step?: unknown }).step as RefreshStep)}"; the state machine must pass one of: ${REFRESH_STEPS.join(', ')}.`,
      );
  }
}

/** The refresh Lambda: {@link refresh} in the project's middleware. */
export const handler = createHandler('refresh', refresh);
