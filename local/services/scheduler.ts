import * as sdk from '@aws-sdk/client-scheduler';
import { bindOperations, type ServiceContext, type ServiceDefinition } from '../core/service.js';
import { groupOperations } from './scheduler-groups.js';
import { ensureDefaultGroup, type Scheduler } from './scheduler-lookups.js';
import { scheduleOperations } from './scheduler-schedules.js';
import { ScheduleTimers } from './scheduler-timers.js';

/** The scheduler service, and the timers behind it. */
export type SchedulerService = ServiceDefinition & {
  /** Cancels every schedule's timers (at shutdown). */
  stop(): void;
  /**
   * Arms the timers of every stored schedule: call it once the targets exist (after loading a
   * saved account and creating the state machines); schedules created through the API arm at once.
   */
  rearm(): void;
};

/**
 * Amazon EventBridge Scheduler (restJson1): schedule groups (with tags) and schedules whose
 * timers really fire, in the clock's AWS time: a Step Functions target gets a StartExecution
 * with the target's Input.
 *
 * The actions live by concern: `scheduler-groups.ts` (groups and their tags),
 * `scheduler-schedules.ts` (schedules, checked by `scheduler-input.ts`, fired by
 * `scheduler-timers.ts`); the lookups they share are in `scheduler-lookups.ts`.
 */
export function schedulerService(context: ServiceContext): SchedulerService {
  const { account } = context;
  const timers = new ScheduleTimers(context, (key) => delete account.data.schedules[key]);
  ensureDefaultGroup(account);
  const scheduler: Scheduler = { context, account, timers };
  return {
    id: 'scheduler',
    protocol: 'rest-json',
    sdk,
    stop: () => timers.stop(),
    rearm: () => timers.rearm(),
    operations: bindOperations(scheduler, { ...groupOperations, ...scheduleOperations }),
  };
}
