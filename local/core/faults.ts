import type { Clock } from './clock.js';
import { AwsError, internalFailure, throttled } from './errors.js';

/**
 * One injected fault: the next `times` calls of an action misbehave.
 *
 * Tests use it to prove rollback and retries; benchmarks use the rate limit.
 */
export interface FaultRule {
  /** The service id: `rds`, `ec2`, `secretsmanager`, `scheduler`, `events`, `states`, `sts`. */
  readonly service: string;
  /** The action name (`CreateDBInstance`), or `*` for every action of the service. */
  readonly action: string;
  /** Answer with this error code instead (`ThrottlingException`, `InternalFailure`, any AWS code). */
  readonly error?: string;
  /** The error's message. @default AWS's message for the well-known codes */
  readonly message?: string;
  /** The resource the call creates or changes ends up in this status instead (for example `failed`). */
  readonly outcome?: string;
  /** Added latency in real milliseconds before the call is answered. @default 0 */
  readonly latencyMs?: number;
  /** How many calls it applies to. @default 1 */
  readonly times?: number;
  /** How many matching calls go through untouched before it applies (the third rename, say). @default 0 */
  readonly after?: number;
}

/** The RDS API rate limit: AWS's token bucket, refilled in the stand-in's AWS time. */
export interface RateLimit {
  /** @default 300 */
  readonly burst: number;
  /** Requests per AWS second. @default 12 */
  readonly perSecond: number;
}

/** AWS's per-account RDS API limit. */
export const AWS_RDS_RATE_LIMIT: RateLimit = { burst: 300, perSecond: 12 };

interface ActiveRule extends FaultRule {
  remaining: number;
  skip: number;
}

/** Injected faults and the optional RDS rate limit, consulted before every call. */
export class Faults {
  private rules: ActiveRule[] = [];
  private limit: RateLimit | undefined;
  private tokens = 0;
  private refilledAt = 0;
  /** Calls refused by the rate limit, for benchmarks. */
  throttledCalls = 0;

  constructor(private readonly clock: Clock) {}

  /** Adds a rule; it applies to the next `times` matching calls. */
  add(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`times must be a whole number ≥ 1; got ${times}`);
    if (!rule.error && !rule.outcome && !rule.latencyMs) {
      throw new Error('A fault rule needs at least one of error, outcome or latencyMs.');
    }
    const after = rule.after ?? 0;
    if (!Number.isInteger(after) || after < 0)
      throw new Error(`after must be a whole number ≥ 0; got ${after}`);
    this.rules.push({ ...rule, remaining: times, skip: after });
  }

  /** Removes every rule (the rate limit stays as it is). */
  clear(): void {
    this.rules = [];
  }

  /** Turns the RDS rate limit on (with AWS's numbers by default) or off (`undefined`). */
  setRateLimit(limit: RateLimit | undefined): void {
    this.limit = limit;
    this.tokens = limit?.burst ?? 0;
    this.refilledAt = Date.now();
  }

  get rateLimit(): RateLimit | undefined {
    return this.limit;
  }

  /**
   * Called before a service answers: waits for injected latency, then throws the injected
   * error or a throttling error when the RDS bucket is empty.
   */
  async before(service: string, action: string): Promise<void> {
    if (service === 'rds' && this.limit) this.takeToken(this.limit);
    const rule = this.take(service, action, (r) => Boolean(r.error || r.latencyMs));
    if (!rule) return;
    if (rule.latencyMs) await new Promise((resolve) => setTimeout(resolve, rule.latencyMs));
    if (rule.error) throw errorFor(rule.error, rule.message);
  }

  /** The injected outcome (a resource status) for this call, if a rule asks for one. */
  outcome(service: string, action: string): string | undefined {
    return this.take(service, action, (r) => Boolean(r.outcome))?.outcome;
  }

  private take(service: string, action: string, kind: (rule: ActiveRule) => boolean): ActiveRule | undefined {
    const rule = this.rules.find(
      (r) => r.remaining > 0 && r.service === service && (r.action === action || r.action === '*') && kind(r),
    );
    if (!rule) return undefined;
    if (rule.skip > 0) {
      rule.skip -= 1;
      return undefined;
    }
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  private takeToken(limit: RateLimit): void {
    const now = Date.now();
    const awsSeconds = (now - this.refilledAt) / this.clock.scale / 1000;
    this.tokens = Math.min(limit.burst, this.tokens + awsSeconds * limit.perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) {
      this.throttledCalls += 1;
      throw throttled();
    }
    this.tokens -= 1;
  }
}

function errorFor(code: string, message: string | undefined): AwsError {
  if (code === 'ThrottlingException' || code === 'Throttling') {
    const error = throttled();
    return message ? new AwsError(code, message, error.status) : new AwsError(code, error.message);
  }
  if (code === 'InternalFailure' || code === 'ServiceUnavailable') {
    return code === 'InternalFailure'
      ? internalFailure(message)
      : new AwsError(code, message ?? 'Service unavailable', 503);
  }
  return new AwsError(code, message ?? `Injected fault: ${code}`);
}
