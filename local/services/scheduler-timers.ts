import { nextCron, parseScheduleExpression } from '../../functions/shared/schedule-expression.js';
import { atInstant } from '../../functions/shared/time-zones.js';
import type { ServiceContext } from '../core/service.js';
import type { ScheduleRecord } from '../core/state.js';
import { putEvent } from './events.js';

/** setTimeout's longest delay; longer AWS waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MINUTE_MS = 60_000;
/** Scheduler's RetryPolicy defaults. */
export const DEFAULT_RETRY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } as const;
/** Errors a retry cannot fix: Scheduler gives up on them at once. */
const PERMANENT = /DoesNotExist|NotFound|Invalid|Validation|AccessDenied|Deleting/;
const STATE_MACHINE = /^arn:aws[\w-]*:states:[^:]+:\d{12}:stateMachine:[^:]+$/;
const EVENT_BUS = /^arn:aws[\w-]*:events:[^:]+:\d{12}:event-bus\/[^/]+$/;

/** The flexible time window of a schedule, in ms (0 when Mode is OFF). */
function flexibleWindowMs(record: ScheduleRecord): number {
  const window = record.flexibleTimeWindow;
  return window.Mode === 'FLEXIBLE' ? (window.MaximumWindowInMinutes ?? 0) * MINUTE_MS : 0;
}

/** One armed schedule; cancelling it (on update, delete or stop) cancels all its pending timers. */
class Chain {
  private readonly timers = new Set<{ cancel(): void }>();
  cancelled = false;

  cancel(): void {
    this.cancelled = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }

  /** Runs `fn` after `awsMs` of AWS time (in steps when the real delay exceeds setTimeout's range). */
  wait(context: ServiceContext, awsMs: number, fn: () => void): void {
    if (this.cancelled) return;
    const realMs = context.clock.real(awsMs);
    const step = realMs <= MAX_TIMER_MS ? awsMs : MAX_TIMER_MS / context.clock.scale;
    const timer = context.clock.after(step, () => {
      this.timers.delete(timer);
      if (this.cancelled) return;
      if (step < awsMs) this.wait(context, awsMs - step, fn);
      else fn();
    });
    this.timers.add(timer);
  }
}

/**
 * The timers that make schedules fire: one-time `at()` once at its time, `rate()` and `cron()`
 * on every occurrence between StartDate and EndDate, all in the clock's AWS time. Firing starts
 * an execution of the target state machine with the target's Input, or (Scheduler's templated
 * EventBridge target) puts an event on the target bus with the Source and DetailType of its
 * EventBridgeParameters and the Input as its Detail.
 */
export class ScheduleTimers {
  private readonly chains = new Map<string, Chain>();

  /** @param remove deletes a schedule (ActionAfterCompletion DELETE) */
  constructor(
    private readonly context: ServiceContext,
    private readonly remove: (key: string) => void,
  ) {}

  /** (Re)arms the schedule stored under `key`; a disabled or finished one only loses its timer. */
  arm(key: string): void {
    this.cancel(key);
    const record = this.context.account.data.schedules[key];
    if (!record || record.state === 'DISABLED') return;
    const chain = new Chain();
    this.chains.set(key, chain);
    try {
      this.plan(key, record, chain);
    } catch (error) {
      this.context.log(
        `scheduler: ${key} not armed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  cancel(key: string): void {
    this.chains.get(key)?.cancel();
    this.chains.delete(key);
  }

  /** Arms every stored schedule (after loading a saved account). */
  rearm(): void {
    this.stop();
    for (const key of Object.keys(this.context.account.data.schedules)) this.arm(key);
  }

  /** Cancels every timer. */
  stop(): void {
    for (const chain of this.chains.values()) chain.cancel();
    this.chains.clear();
  }

  private plan(key: string, record: ScheduleRecord, chain: Chain): void {
    const expression = parseScheduleExpression(record.expression);
    const zone = record.timezone ?? 'UTC';
    const now = Date.now();
    if (expression.kind === 'at') {
      if (record.firedAt) return;
      const at = atInstant(expression.local, zone);
      // A time already past fires at once.
      this.occur(key, chain, at - now, {
        fired: (done) => void done.then(() => this.complete(key, record, chain)),
      });
      return;
    }
    const start = record.startDate ? Date.parse(record.startDate) : undefined;
    const end = record.endDate ? Date.parse(record.endDate) : Number.POSITIVE_INFINITY;
    let next: (after: number) => number | undefined;
    let first: number | undefined;
    if (expression.kind === 'rate') {
      const every = expression.everyMs;
      // Occurrences run on a grid from StartDate, or from the last change (firing at once) when
      // there is none; a schedule that fired before a restart resumes at its next grid point.
      const anchor = start ?? Date.parse(record.modifiedAt);
      const grid = anchor + Math.ceil((now - anchor) / every) * every;
      first = anchor >= now ? anchor : start === undefined && !record.firedAt ? now : grid;
      next = (after) => after + every;
    } else {
      const { cron } = expression;
      next = (after) => nextCron(cron, after, zone);
      first = next(Math.max(now, start ?? now) - 1);
    }
    // Each chain keeps its own AWS-time cursor: the time of its last occurrence.
    const step = (cursor: number, at: number | undefined) => {
      if (at === undefined || at > end) {
        // Let a last firing delayed within the flexible window happen first.
        chain.wait(this.context, flexibleWindowMs(record), () => this.complete(key, record, chain));
        return;
      }
      this.occur(key, chain, at - cursor, { nominal: () => step(at, next(at)) });
    };
    step(now, first);
  }

  /**
   * At an occurrence `awsMs` from now, fires (after a random delay within a flexible window) and
   * calls `fired` with the invocation; calls `nominal` at the occurrence itself, so recurrences
   * do not drift.
   */
  private occur(
    key: string,
    chain: Chain,
    awsMs: number,
    then: { fired?: (done: Promise<void>) => void; nominal?: () => void },
  ) {
    const record = this.context.account.data.schedules[key];
    const flex = record ? Math.random() * flexibleWindowMs(record) : 0;
    const delay = Math.max(0, awsMs);
    chain.wait(this.context, delay + flex, () => {
      const current = this.context.account.data.schedules[key];
      if (!current || current.state === 'DISABLED') return;
      current.firedAt = new Date().toISOString();
      const done = this.invoke(key, current, chain);
      then.fired?.(done);
    });
    const { nominal } = then;
    if (nominal) chain.wait(this.context, delay, nominal);
  }

  /** PutEvents on the target bus, as Scheduler's EventBridge target does; a refused event is logged. */
  private putEvents(key: string, record: ScheduleRecord): void {
    const { target } = record;
    const parameters = target.EventBridgeParameters;
    const answer = putEvent(this.context, {
      EventBusName: target.Arn,
      Source: parameters?.Source,
      DetailType: parameters?.DetailType,
      Detail: target.Input ?? '{}',
    });
    this.context.log(
      answer.EventId === undefined
        ? `scheduler: ${key} fired, but PutEvents refused the event (${answer.ErrorCode}: ${answer.ErrorMessage}); giving up`
        : `scheduler: ${key} fired: put "${parameters?.DetailType}" on ${target.Arn} (${answer.EventId})`,
    );
  }

  /** Invokes the target: starts the execution, retrying per the schedule's RetryPolicy, or puts the event. */
  private async invoke(key: string, record: ScheduleRecord, chain: Chain): Promise<void> {
    const { target } = record;
    if (EVENT_BUS.test(target.Arn)) {
      this.putEvents(key, record);
      return;
    }
    if (!STATE_MACHINE.test(target.Arn)) {
      this.context.log(
        `scheduler: ${key} fired, but its target ${target.Arn} is neither a Step Functions state machine nor an event bus: the local stand-in invokes only StartExecution and EventBridge PutEvents targets`,
      );
      return;
    }
    const policy = { ...DEFAULT_RETRY, ...(target.RetryPolicy as Partial<typeof DEFAULT_RETRY> | undefined) };
    const since = Date.now();
    for (let attempt = 0; !chain.cancelled; attempt += 1) {
      try {
        const { executionArn } = await this.context.startExecution(target.Arn, target.Input ?? '{}');
        this.context.log(`scheduler: ${key} fired: started ${executionArn}`);
        return;
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        const ageMs = (Date.now() - since) / this.context.clock.scale;
        const retry =
          !PERMANENT.test(name) &&
          attempt < policy.MaximumRetryAttempts &&
          ageMs < policy.MaximumEventAgeInSeconds * 1000;
        this.context.log(
          `scheduler: ${key} fired, but StartExecution failed (${name}: ${error instanceof Error ? error.message : String(error)}); ${retry ? `retry ${attempt + 1}` : 'giving up'}`,
        );
        if (!retry) return;
        // Back off exponentially (in AWS time), from one second up to five minutes.
        const delay = Math.min(2 ** attempt * 1000, 5 * MINUTE_MS);
        await new Promise<void>((resolve) => chain.wait(this.context, delay, resolve));
      }
    }
  }

  /** A schedule with no occurrence left is complete: DELETE removes it. */
  private complete(key: string, record: ScheduleRecord, chain: Chain): void {
    if (chain.cancelled) return;
    this.chains.delete(key);
    if (record.actionAfterCompletion === 'DELETE' && this.context.account.data.schedules[key] === record) {
      this.remove(key);
      this.context.log(`scheduler: ${key} completed and deleted (ActionAfterCompletion DELETE)`);
    }
  }
}
