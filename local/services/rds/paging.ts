import type { Filter } from '@aws-sdk/client-rds';
import { AwsError } from '../../core/errors.js';

/** The values of the named RDS filter, or undefined when the request has no such filter. */
export function filterValues(filters: Filter[] | undefined, name: string): string[] | undefined {
  const found = filters?.filter((f) => f.Name === name);
  if (!found || found.length === 0) return undefined;
  return found.flatMap((f) => f.Values ?? []);
}

/** One page of a Describe answer: RDS's MaxRecords (20 to 100, default 100) and opaque Marker. */
export function page<T>(items: T[], maxRecords: number | undefined, marker: string | undefined) {
  const size = maxRecords ?? 100;
  if (size < 20 || size > 100) {
    throw new AwsError(
      'InvalidParameterValue',
      `Invalid value ${size} for MaxRecords. Must be between 20 and 100.`,
    );
  }
  const start = marker ? Number(Buffer.from(marker, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw new AwsError('InvalidParameterValue', 'The Marker is not valid.');
  const next =
    start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { items: items.slice(start, start + size), marker: next };
}
