import type { Filter } from '@aws-sdk/client-ec2';
import { AwsError } from '../core/errors.js';
import type { Tag } from '../core/state.js';

/** The filters a resource supports (besides the tag filters): each gives the item's values. */
export type FilterFields<T> = Readonly<Record<string, (item: T) => readonly (string | undefined)[]>>;

/** EC2 filter values may hold `*` (any characters) and `?` (one character). */
function matcher(value: string): (text: string) => boolean {
  if (!/[*?]/.test(value)) return (text) => text === value;
  const source = value
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const pattern = new RegExp(`^${source}$`, 's');
  return (text) => pattern.test(text);
}

function tagValues(tags: readonly Tag[], name: string): readonly string[] | undefined {
  if (name.startsWith('tag:')) return tags.filter((t) => t.Key === name.slice(4)).map((t) => t.Value);
  if (name === 'tag-key') return tags.map((t) => t.Key);
  if (name === 'tag-value') return tags.map((t) => t.Value);
  return undefined;
}

/**
 * EC2's filter semantics: filters are ANDed, the values of one filter ORed, `tag:<key>`,
 * `tag-key` and `tag-value` work on every resource, and an unknown filter name is an error.
 */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly Filter[] | undefined,
  fields: FilterFields<T>,
  tags: (item: T) => readonly Tag[],
): T[] {
  let result = [...items];
  for (const filter of filters ?? []) {
    const name = filter.Name ?? '';
    if (name === '') throw new AwsError('InvalidParameterValue', 'The filter name must not be empty.');
    const tests = (filter.Values ?? []).map(matcher);
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (!field && tagValues([], name) === undefined) {
      throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
    }
    result = result.filter((item) => {
      const values = field ? field(item) : (tagValues(tags(item), name) ?? []);
      return values.some((value) => value !== undefined && tests.some((test) => test(value)));
    });
  }
  return result;
}

/**
 * One page of an EC2 Describe answer: MaxResults (5 to 1000) and an opaque NextToken; MaxResults
 * cannot be combined with explicit ids, as in EC2.
 */
export function ec2Page<T>(
  items: readonly T[],
  request: { MaxResults?: number; NextToken?: string },
  ids: { name: string; given: boolean },
): { items: T[]; nextToken?: string } {
  const { MaxResults, NextToken } = request;
  if (MaxResults === undefined && NextToken === undefined) return { items: [...items] };
  if (ids.given) {
    throw new AwsError(
      'InvalidParameterCombination',
      `The parameter ${ids.name} cannot be used with the parameter maxResults`,
    );
  }
  const size = MaxResults ?? 1000;
  if (!Number.isInteger(size) || size < 5 || size > 1000) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value ( ${size} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
    );
  }
  const start = NextToken ? Number(Buffer.from(NextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) {
    throw new AwsError('InvalidNextToken', `The token '${NextToken}' is invalid.`);
  }
  const end = start + size;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}
