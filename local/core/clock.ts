/**
 * The stand-in's sense of time.
 *
 * AWS takes minutes to create a cluster; the stand-in takes the same "AWS time"
 * multiplied by `scale` (0.01 turns four minutes into 2.4 seconds). Waits, retry
 * intervals, lifecycle transitions, rate-limit refills and schedules all go through
 * here, so the whole account speeds up or slows down together. Timestamps stay wall-clock.
 */
export class Clock {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** @param scale real milliseconds per AWS millisecond; 1 is real time. */
  constructor(readonly scale: number) {
    if (!(scale > 0) || !Number.isFinite(scale)) {
      throw new Error(`The time scale must be a positive number, such as 0.01; got ${scale}.`);
    }
  }

  /** Real milliseconds for a span of AWS milliseconds. */
  real(awsMs: number): number {
    return Math.max(0, Math.round(awsMs * this.scale));
  }

  /** Resolves after `awsMs` of AWS time; shutting the clock down resolves it early. */
  sleep(awsMs: number): Promise<void> {
    return new Promise((resolve) => this.after(awsMs, resolve));
  }

  /** Runs `fn` after `awsMs` of AWS time, unless the clock is shut down first. */
  after(awsMs: number, fn: () => void): { cancel(): void } {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.real(awsMs));
    this.timers.add(timer);
    return {
      cancel: () => {
        clearTimeout(timer);
        this.timers.delete(timer);
      },
    };
  }

  /** Cancels every pending timer (on shutdown). */
  shutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
