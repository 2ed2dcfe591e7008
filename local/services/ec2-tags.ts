import type { CreateTagsRequest, DeleteTagsRequest } from '@aws-sdk/client-ec2';
import { EC2_ERRORS } from '../../functions/shared/aws/ec2.js';
import { AwsError, missingParameter } from '../core/errors.js';
import type { ServiceContext } from '../core/service.js';
import { type Account, type Tag, toTags } from '../core/state.js';

const MAX_TAGS = 50;

/** EC2's not-found error of a VPC, subnet or security group id. */
export function notFound(kind: 'vpc' | 'subnet' | 'group', id: string): AwsError {
  if (kind === 'vpc') return new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
  if (kind === 'subnet')
    return new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
  const refusal = EC2_ERRORS.groupNotFound(id);
  return new AwsError(refusal.name, refusal.message);
}

/** Tags as EC2 accepts them: at most 50, no `aws:` keys, a key of 1 to 127 characters. */
export function checkTags(tags: readonly { Key?: string; Value?: string }[]): Tag[] {
  for (const { Key = '' } of tags) {
    if (Key.length === 0 || Key.length > 127) {
      throw new AwsError(
        'InvalidParameterValue',
        `Tag key '${Key}' is invalid: it must be 1 to 127 characters long.`,
      );
    }
    if (Key.toLowerCase().startsWith('aws:')) {
      throw new AwsError(
        'InvalidParameterValue',
        "Tag keys starting with 'aws:' are reserved for internal use",
      );
    }
  }
  return toTags(tags);
}

/** Tags after adding some: a key given again takes the new value; at most 50 tags. */
export function mergeTags(current: readonly Tag[], adding: readonly Tag[]): Tag[] {
  if (new Set([...current, ...adding].map((t) => t.Key)).size > MAX_TAGS) {
    throw new AwsError('TagLimitExceeded', `The maximum number of tags per resource is ${MAX_TAGS}.`);
  }
  return [...current.filter((t) => !adding.some((a) => a.Key === t.Key)), ...adding];
}

/** The resource behind an id of CreateTags/DeleteTags (VPCs, subnets and security groups). */
function taggable(account: Account, id: string): { tags?: Tag[] } {
  const { vpcs, subnets, securityGroups } = account.data;
  const found = id.startsWith('vpc-')
    ? vpcs[id]
    : id.startsWith('subnet-')
      ? subnets[id]
      : id.startsWith('sg-')
        ? securityGroups[id]
        : undefined;
  if (found) return found;
  if (id.startsWith('vpc-')) throw notFound('vpc', id);
  if (id.startsWith('subnet-')) throw notFound('subnet', id);
  if (id.startsWith('sg-')) throw notFound('group', id);
  throw new AwsError('InvalidID', `The ID '${id}' is not valid`);
}

/** CreateTags: adds tags to VPCs, subnets and security groups, replacing the values of keys already there. */
export function createTags(context: ServiceContext, input: CreateTagsRequest) {
  if (!input.Resources?.length) throw missingParameter('ResourceId');
  if (!input.Tags?.length) throw missingParameter('Tag');
  const tags = checkTags(input.Tags);
  const resources = input.Resources.map((id) => taggable(context.account, id));
  for (const resource of resources) resource.tags = mergeTags(resource.tags ?? [], tags);
  return {};
}

/** DeleteTags: every tag without Tags, else the keys given (with a Value, only that value). */
export function deleteTags(context: ServiceContext, input: DeleteTagsRequest) {
  if (!input.Resources?.length) throw missingParameter('ResourceId');
  const resources = input.Resources.map((id) => taggable(context.account, id));
  for (const resource of resources) {
    resource.tags = (resource.tags ?? []).filter(
      (tag) =>
        // No Tags: delete every tag. A Tag with a Value deletes only that key with that value.
        input.Tags !== undefined &&
        input.Tags.length > 0 &&
        !input.Tags.some((t) => t.Key === tag.Key && (t.Value === undefined || t.Value === tag.Value)),
    );
  }
  return {};
}

/** CreateTags and DeleteTags, for VPCs, subnets and security groups, by action name. */
export const tagOperations = {
  CreateTags: createTags,
  DeleteTags: deleteTags,
} as const;
