/**
 * The tags that mark every resource this project creates.
 *
 * IAM policies (`aws:ResourceTag/dbaf:managed-by`), the teardown's safety
 * checks and the sweeper all rely on these exact keys.
 */
export const TAG = {
  managedBy: 'dbaf:managed-by',
  cloneId: 'dbaf:clone-id',
  source: 'dbaf:source',
  owner: 'dbaf:owner',
  expiresAt: 'dbaf:expires-at',
  executionArn: 'dbaf:execution-arn',
  /** When the clone (its name) was first made; a refresh keeps it. The maximum lifetime counts from it. */
  createdAt: 'dbaf:created-at',
} as const;

/** The value of the managed-by tag. */
export const MANAGED_BY = 'db-artifact-factory';

/** Prefix reserved for the project's own tag keys; users may not set keys under it. */
export const RESERVED_TAG_PREFIX = 'dbaf:';

/** A tag as RDS, EC2 and Secrets Manager take it. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** What every resource of one clone is tagged with. */
export interface CloneTagValues {
  readonly cloneId: string;
  readonly source: string;
  readonly owner: string;
  readonly expiresAt: string;
  readonly executionArn: string;
  /** ISO 8601 UTC, whole seconds: when the clone was first made (a refresh passes the original's). */
  readonly createdAt: string;
}

/** The project's tags followed by the user's own (user keys never override ours). */
export function cloneTags(values: CloneTagValues, userTags: Readonly<Record<string, string>> = {}): Tag[] {
  const ours: Tag[] = [
    { Key: TAG.managedBy, Value: MANAGED_BY },
    { Key: TAG.cloneId, Value: values.cloneId },
    { Key: TAG.source, Value: values.source },
    { Key: TAG.owner, Value: values.owner },
    { Key: TAG.expiresAt, Value: values.expiresAt },
    { Key: TAG.executionArn, Value: values.executionArn },
    { Key: TAG.createdAt, Value: values.createdAt },
  ];
  const theirs = Object.entries(userTags)
    .filter(([key]) => !key.startsWith(RESERVED_TAG_PREFIX))
    .map(([Key, Value]) => ({ Key, Value }));
  return [...ours, ...theirs];
}

/** Looks a tag up in any of the SDKs' tag lists. */
export function tagValue(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
  key: string,
): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value;
}

/** True when the tag list marks a resource created by this project (for this clone, if given). */
export function isManaged(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
  cloneId?: string,
): boolean {
  if (tagValue(tags, TAG.managedBy) !== MANAGED_BY) return false;
  return cloneId === undefined || tagValue(tags, TAG.cloneId) === cloneId;
}
