import type { AwsRefusal } from './refusal.js';

/**
 * EventBridge Scheduler's rule for schedule and schedule group names.
 *
 * EventBridge Scheduler API Reference, `CreateSchedule` `Name` and `GroupName`: Length Constraints
 * 1 to 64, Pattern `^[0-9a-zA-Z-_.]+$`.
 */
export const SCHEDULE_NAME = { maxLength: 64, pattern: /^[0-9a-zA-Z-_.]+$/ } as const;

/** The group a schedule goes to when the request names none (API Reference, `GroupName`). */
export const DEFAULT_SCHEDULE_GROUP = 'default';

/** Scheduler's answer to a name that breaks {@link SCHEDULE_NAME}; `undefined` when it is valid. */
export function scheduleNameRefusal(name: string): AwsRefusal | undefined {
  if (name.length <= SCHEDULE_NAME.maxLength && SCHEDULE_NAME.pattern.test(name)) return undefined;
  return {
    name: 'ValidationException',
    message: `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+`,
  };
}

/** Scheduler's error answers that both fakes give (API Reference, each action's "Errors"). */
export const SCHEDULER_ERRORS = {
  /** CreateSchedule of a name the group already has. */
  alreadyExists: (name: string): AwsRefusal => ({
    name: 'ConflictException',
    message: `Schedule ${name} already exists.`,
  }),
  /** A request naming a schedule group the account does not have. */
  groupNotFound: (group: string): AwsRefusal => ({
    name: 'ResourceNotFoundException',
    message: `Schedule group ${group} does not exist.`,
  }),
  /** Get/Update/DeleteSchedule of a schedule the group does not have. */
  notFound: (name: string): AwsRefusal => ({
    name: 'ResourceNotFoundException',
    message: `Schedule ${name} does not exist.`,
  }),
} as const;
