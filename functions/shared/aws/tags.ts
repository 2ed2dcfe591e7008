/**
 * Tags as the AWS APIs the project calls (RDS, EC2, Secrets Manager) store and list them.
 *
 * From the API references: RDS `AddTagsToResource`, EC2 `CreateTags` and Secrets Manager
 * `TagResource` add tags, and a key already on the resource takes the new value ("If you specify a
 * tag key that is already associated with the resource, the new tag value overwrites the old one").
 */

/** A tag as AWS lists it: a key and a value, both strings. */
export interface AwsTag {
  Key: string;
  Value: string;
}

/** Tags as AWS stores them, from an SDK request's optional members (an absent value is empty). */
export function toTags(tags: readonly { Key?: string; Value?: string }[] | undefined): AwsTag[] {
  return (tags ?? []).map(({ Key = '', Value = '' }) => ({ Key, Value }));
}

/** `tags` with `adding` written over them key by key, as every AWS tagging call does. */
export function withTags(
  tags: readonly AwsTag[],
  adding: readonly { Key?: string; Value?: string }[] | undefined,
): AwsTag[] {
  const added = toTags(adding);
  const kept = tags.filter((tag) => !added.some((a) => a.Key === tag.Key));
  // A key given twice in one request ends with its last value.
  const last = added.filter((tag, i) => !added.slice(i + 1).some((later) => later.Key === tag.Key));
  return [...kept, ...last];
}

/** `tags` without the given keys (RDS `RemoveTagsFromResource`, Secrets Manager `UntagResource`). */
export function withoutTags(tags: readonly AwsTag[], keys: readonly string[]): AwsTag[] {
  return tags.filter((tag) => !keys.includes(tag.Key));
}
