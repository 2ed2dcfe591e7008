import { applyDefaults, type Definition, failWithRecordedError, lambdaTask } from './asl.js';

/** The sweeper's own timeout: one Lambda step and its retries, with room. */
export const SWEEPER_TIMEOUT_SECONDS = 900;

/**
 * `state-machines/sweeper.asl.json`: one sweep that starts the teardown of every expired or
 * orphaned clone the TTL schedules missed, and reports.
 */
export function sweeperDefinition(): Definition {
  return {
    Comment:
      'db-artifact-factory: the hourly sweeper. Finds managed clones past their expiry whose TTL schedule is lost or failed to fire, and the leftovers of clones whose cluster is gone, and starts their teardowns. Input: {} or {"dryRun": true}. Never touches a resource without the managed-by tag; deletes nothing itself.',
    StartAt: 'ValidateRequest',
    TimeoutSeconds: SWEEPER_TIMEOUT_SECONDS,
    States: {
      ValidateRequest: {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.dryRun', IsPresent: true },
              { Not: { Variable: '$.dryRun', IsBoolean: true } },
            ],
            Next: 'InvalidRequest',
          },
        ],
        Default: 'ApplyDefaults',
      },
      InvalidRequest: {
        Type: 'Fail',
        Error: 'InvalidRequest',
        Cause:
          'The sweeper takes {} (sweep now) or {"dryRun": true} (report what it would do, start nothing); "dryRun" must be true or false.',
      },
      ...applyDefaults('A sweep without input is a real one.', { dryRun: false }, 'Sweep'),
      Sweep: lambdaTask({
        handler: 'sweeper',
        comment:
          'Reads every managed resource once, starts the teardown of each expired or orphaned clone that no teardown is deleting yet, and reports.',
        parameters: { 'dryRun.$': '$.request.dryRun' },
        resultPath: '$.report',
        onError: { next: 'SweepFailed' },
        next: 'Swept',
      }),
      Swept: {
        Type: 'Pass',
        Comment: "The report is the execution's output.",
        InputPath: '$.report',
        End: true,
      },
      SweepFailed: failWithRecordedError(),
    },
  };
}
