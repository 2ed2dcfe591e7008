import type { NormalizedSchema } from '@smithy/core/schema';
import { AwsError } from './errors.js';
import { allOperations } from './schemas.js';

/** A REST-JSON route: an action, its method and its path pattern from the SDK's `http` trait. */
interface Route {
  readonly action: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly labels: string[];
}

/** Routes of every operation of a REST-JSON SDK module (EventBridge Scheduler). */
export function restRoutes(sdk: Record<string, unknown>): Route[] {
  const routes: Route[] = [];
  for (const [action, schemas] of allOperations(sdk)) {
    const http = schemas.traits.http as [string, string, number] | undefined;
    if (!http) continue;
    const [method, path] = http;
    const labels: string[] = [];
    const source = (path.split('?')[0] ?? path)
      .split('/')
      .map((segment) => {
        const label = /^\{(\w+)(\+?)\}$/.exec(segment);
        if (!label) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        labels.push(label[1] ?? '');
        return label[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    routes.push({ action, method, pattern: new RegExp(`^${source}$`), labels });
  }
  return routes;
}

/** The action and path labels of a request, or undefined when no route matches. */
export function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): { action: string; labels: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const labels: Record<string, string> = {};
    route.labels.forEach((label, i) => {
      labels[label] = decodeURIComponent(match[i + 1] ?? '');
    });
    return { action: route.action, labels };
  }
  return undefined;
}

function typed(schema: NormalizedSchema, text: string, name: string): unknown {
  if (schema.isNumericSchema()) {
    const value = Number(text);
    if (!Number.isFinite(value)) throw new AwsError('ValidationException', `${name} must be a number.`);
    return value;
  }
  if (schema.isBooleanSchema()) return text === 'true';
  if (schema.isTimestampSchema()) return new Date(text);
  return text;
}

/** Adds the members bound to the path, the query string and headers to a decoded body. */
export function bindHttp(
  schema: NormalizedSchema,
  input: Record<string, unknown>,
  labels: Record<string, string>,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
): Record<string, unknown> {
  for (const [memberName, member] of schema.structIterator()) {
    const traits = member.getMergedTraits() as Record<string, unknown>;
    if (traits.httpLabel && labels[memberName] !== undefined) {
      input[memberName] = typed(member, labels[memberName], memberName);
    } else if (typeof traits.httpQuery === 'string' && query.has(traits.httpQuery)) {
      input[memberName] = member.isListSchema()
        ? query.getAll(traits.httpQuery)
        : typed(member, query.get(traits.httpQuery) ?? '', memberName);
    } else if (typeof traits.httpHeader === 'string') {
      const value = headers[traits.httpHeader.toLowerCase()];
      if (typeof value === 'string') input[memberName] = typed(member, value, memberName);
    }
  }
  return input;
}
