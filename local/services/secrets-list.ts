import {
  type Filter,
  InvalidNextTokenException,
  InvalidParameterException,
  type ListSecretsRequest,
  type TagResourceRequest,
  type UntagResourceRequest,
} from '@aws-sdk/client-secrets-manager';
import { AwsError } from '../core/errors.js';
import type { ServiceContext } from '../core/service.js';
import { type SecretRecord, toTags } from '../core/state.js';
import { find, meta, purgeExpired } from './secrets-store.js';

/** The stages of each version: AWSCURRENT and, once a value was replaced, AWSPREVIOUS. */
function stagesOf(secret: SecretRecord): Record<string, string[]> {
  const stages: Record<string, string[]> = {};
  if (secret.versionId) stages[secret.versionId] = ['AWSCURRENT'];
  if (secret.previous) stages[secret.previous.versionId] = ['AWSPREVIOUS'];
  return stages;
}

/** DescribeSecret's (and ListSecrets') view of a secret: never its value. */
export function describeView(secret: SecretRecord) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    CreatedDate: new Date(secret.createdAt),
    LastChangedDate: new Date(secret.changedAt ?? secret.createdAt),
    DeletedDate: secret.deletedAt ? new Date(secret.deletedAt) : undefined,
    Tags: secret.tags,
    VersionIdsToStages: stagesOf(secret),
  };
}

/** The words of a free-text search: split at case changes, letter/digit changes and punctuation. */
function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)|(\d)([A-Za-z])/g, '$1$3 $2$4')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Does one filter value match the secret? Prefix matches; `description` and `all` ignore case. */
function matches(secret: SecretRecord, key: string, value: string): boolean {
  const prefix = (candidates: readonly (string | undefined)[], ignoreCase = false) =>
    candidates.some(
      (c) =>
        c !== undefined &&
        (ignoreCase ? c.toLowerCase().startsWith(value.toLowerCase()) : c.startsWith(value)),
    );
  switch (key) {
    case 'name':
      return prefix([secret.name]);
    case 'description':
      return prefix([secret.description], true);
    case 'tag-key':
      return prefix(secret.tags.map((t) => t.Key));
    case 'tag-value':
      return prefix(secret.tags.map((t) => t.Value));
    case 'primary-region':
      return prefix([secret.arn.split(':')[3]]);
    case 'owning-service':
      return false;
    default: {
      const haystack = [
        secret.name,
        secret.description ?? '',
        ...secret.tags.flatMap((t) => [t.Key, t.Value]),
      ];
      const all = haystack.flatMap(words);
      return words(value).every((word) => all.some((w) => w.startsWith(word)));
    }
  }
}

const KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];

function passes(secret: SecretRecord, filter: Filter): boolean {
  const key = filter.Key ?? '';
  const values = filter.Values ?? [];
  const positive = values.filter((v) => !v.startsWith('!'));
  const negative = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  if (negative.some((v) => matches(secret, key, v))) return false;
  return positive.length === 0 || positive.some((v) => matches(secret, key, v));
}

const ORDER: Record<string, (s: SecretRecord) => string> = {
  'created-date': (s) => s.createdAt,
  'last-changed-date': (s) => s.changedAt ?? s.createdAt,
  'last-accessed-date': (s) => s.createdAt,
  name: (s) => s.name,
};

/** ListSecrets: filters (ANDed; values ORed, `!` negates), sorting and NextToken paging. */
export function listSecrets(context: ServiceContext, input: ListSecretsRequest) {
  purgeExpired(context);
  for (const filter of input.Filters ?? []) {
    if (!KEYS.includes(filter.Key ?? '')) {
      throw new InvalidParameterException({ message: `Invalid filter key: ${filter.Key}`, ...meta });
    }
  }
  const size = input.MaxResults ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 100) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  const key = ORDER[input.SortBy ?? 'created-date'] ?? ORDER['created-date'];
  const sign = input.SortOrder === 'desc' ? -1 : 1;
  const found = Object.values(context.account.data.secrets)
    .filter((s) => input.IncludePlannedDeletion || !s.deletedAt)
    .filter((s) => (input.Filters ?? []).every((f) => passes(s, f)))
    .sort((a, b) => sign * (key?.(a) ?? '').localeCompare(key?.(b) ?? ''));
  const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) {
    throw new InvalidNextTokenException({ message: 'The NextToken value is invalid.', ...meta });
  }
  const end = start + size;
  return {
    SecretList: found.slice(start, end).map((s) => {
      const { VersionIdsToStages, ...view } = describeView(s);
      return { ...view, SecretVersionsToStages: VersionIdsToStages };
    }),
    NextToken: end < found.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}

/** TagResource: adds tags, replacing the values of keys already there. */
export function tagResource(context: ServiceContext, input: TagResourceRequest) {
  const secret = find(context, input.SecretId);
  const adding = toTags(input.Tags);
  secret.tags = [...secret.tags.filter((t) => !adding.some((a) => a.Key === t.Key)), ...adding];
  return {};
}

/** UntagResource: removes the tags of the given keys. */
export function untagResource(context: ServiceContext, input: UntagResourceRequest) {
  const secret = find(context, input.SecretId);
  secret.tags = secret.tags.filter((t) => !input.TagKeys?.includes(t.Key));
  return {};
}

/** The listing and tagging actions, by action name. */
export const listOperations = {
  ListSecrets: listSecrets,
  TagResource: tagResource,
  UntagResource: untagResource,
} as const;
