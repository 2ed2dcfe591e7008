import type { Clock } from './core/clock.js';
import { AWS_RDS_RATE_LIMIT, type FaultRule, type Faults } from './core/faults.js';
import type { ControlHandler } from './core/server.js';
import type { Account } from './core/state.js';

/**
 * The parts of a running stand-in that its control API reads and changes.
 *
 * Getters where the value exists only once the server listens (the endpoint, its call counts).
 */
export interface ControlTarget {
  /** The stand-in's endpoint, `http://host:port`. */
  readonly endpoint: () => string;
  /** The ARN of each project state machine, by workflow. */
  readonly stateMachines: Readonly<Record<string, string>>;
  readonly clock: Clock;
  readonly faults: Faults;
  readonly account: Account;
  /** Calls answered, by `service:Action`. */
  readonly calls: () => ReadonlyMap<string, number>;
}

/** The body of `POST /_dbaf/rate-limit`. */
interface RateLimitBody {
  readonly enabled?: boolean;
  readonly burst?: number;
  readonly perSecond?: number;
}

type Route = (target: ControlTarget, body: unknown) => unknown;

/** `GET /_dbaf/health`: the endpoint, the state machine ARNs and the time scale. */
function health(target: ControlTarget) {
  return { endpoint: target.endpoint(), stateMachines: target.stateMachines, timeScale: target.clock.scale };
}

/** `POST /_dbaf/faults`: injects a fault rule (an error, an outcome, latency). */
function addFault(target: ControlTarget, body: unknown) {
  target.faults.add(body as FaultRule);
  return {};
}

/** `DELETE /_dbaf/faults`: removes every injected fault. */
function clearFaults(target: ControlTarget) {
  target.faults.clear();
  return {};
}

/** `POST /_dbaf/rate-limit`: the RDS rate limit: AWS's numbers, the body's own, or off. */
function setRateLimit(target: ControlTarget, body: unknown) {
  const { enabled, burst, perSecond } = (body ?? {}) as RateLimitBody;
  target.faults.setRateLimit(
    enabled === false
      ? undefined
      : {
          burst: burst ?? AWS_RDS_RATE_LIMIT.burst,
          perSecond: perSecond ?? AWS_RDS_RATE_LIMIT.perSecond,
        },
  );
  return { rateLimit: target.faults.rateLimit ?? null };
}

/** `POST /_dbaf/quotas`: changes the region's quotas. */
function setQuotas(target: ControlTarget, body: unknown) {
  Object.assign(target.account.data.quotas, body as Record<string, number>);
  return { quotas: target.account.data.quotas };
}

/** `GET /_dbaf/events`: what was put on the buses, oldest first, each detail parsed: what a rule would have matched. */
function events(target: ControlTarget) {
  return {
    events: target.account.data.events.map((event) => ({
      ...event,
      detail: JSON.parse(event.detail) as unknown,
    })),
  };
}

/** `GET /_dbaf/stats`: calls answered per `service:Action`, and calls refused by the rate limit. */
function stats(target: ControlTarget) {
  return { calls: Object.fromEntries(target.calls()), throttled: target.faults.throttledCalls };
}

/** Every route of the control API, as `METHOD /path`; `docs/local.md` documents each. */
const ROUTES: Readonly<Record<string, Route>> = {
  'GET /_dbaf/health': health,
  'POST /_dbaf/faults': addFault,
  'DELETE /_dbaf/faults': clearFaults,
  'POST /_dbaf/rate-limit': setRateLimit,
  'POST /_dbaf/quotas': setQuotas,
  'GET /_dbaf/events': events,
  'GET /_dbaf/stats': stats,
};

/**
 * The stand-in's own control API (`/_dbaf/...`, plain JSON on the AWS port): health, fault
 * injection, the RDS rate limit, quotas, the events put on the buses and call statistics.
 */
export function controlApi(target: ControlTarget): ControlHandler {
  return async (method, path, body) => {
    const route = `${method} ${path}`;
    const answer = Object.hasOwn(ROUTES, route) ? ROUTES[route] : undefined;
    if (!answer) throw new Error(`The stand-in's control API has no ${route}; see docs/local.md.`);
    return answer(target, body);
  };
}
