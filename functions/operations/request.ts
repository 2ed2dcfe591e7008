import { z } from 'zod';
import { describeIssues } from '../shared/artifact.js';
import { InvalidRequest } from '../shared/errors.js';

/** A value from a request, for a message: JSON, cut to a few dozen characters. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A clone's name as a person gives it: an RDS identifier, with or without the deployment's prefix. */
export const cloneName = z
  .string()
  .regex(/^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,62}$/, 'a clone name such as "dbaf-mine" or "mine"')
  .refine((name) => !name.endsWith('-'), 'a clone name that does not end with a hyphen');

/**
 * Checks an operation's input against its schema (unknown fields refused).
 *
 * @throws InvalidRequest listing every problem, each naming its field
 */
export function parseRequest<T extends z.ZodType>(schema: T, input: unknown, operation: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues, input);
  throw new InvalidRequest(
    `The ${operation} request is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
  );
}
