/**
 * Calls the stand-in's control API (`/_dbaf/...`: faults, rate limit, quotas, stats, events); see
 * docs/local.md. For the tests and the benchmarks, which start the stand-in with the CLI's launcher
 * (`cli/launcher.ts`).
 */
export async function control(
  endpoint: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${endpoint}/_dbaf/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  const parsed = (await response.json()) as unknown;
  if (!response.ok) throw new Error(`control ${method} ${path}: ${JSON.stringify(parsed)}`);
  return parsed;
}
