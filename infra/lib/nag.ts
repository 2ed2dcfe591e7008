import { Stack, Validations } from 'aws-cdk-lib';
import { Effect, type PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

const CLONE_PREFIX =
  'Clone names are chosen per execution, so they are matched by the clone name prefix, which no allowed source may start with (checked at synth).';
const TAGGED = ' The statement also requires the managed-by tag on the resource or in the create request.';
const SOURCE_GROUPS =
  "The call names the source's DB subnet group and parameter groups (or the artifact's), unknown at deploy time; RDS only checks they may be used. They are never changed, and only by requests that tag the new clone as managed.";
const EC2_IDS =
  'EC2 ARNs carry generated ids, not names, so security groups are scoped by tag instead of by name.';

/**
 * Why each statement that names a wildcard resource needs it, by statement id, for cdk-nag's
 * AwsSolutions-IAM5. Every wildcard is acknowledged one by one with its statement's reason; a
 * wildcard in a statement missing here fails synthesis, so none slips in without a reason.
 */
export const WILDCARD_REASONS: Readonly<Record<string, string>> = {
  ReadCloneSubnetGroupTags: `${CLONE_PREFIX} Read-only: the ownership check reads a subnet group's tags.`,
  CreateCloneSubnetGroup: CLONE_PREFIX + TAGGED,
  TagCloneOnCreate: `${CLONE_PREFIX}${TAGGED} RDS checks AddTagsToResource when a create call carries tags.`,
  RestoreCloneCluster: CLONE_PREFIX + TAGGED,
  RestoreFromAllowedSourceSnapshots:
    'A snapshot restore may use a snapshot of an allowed source only: automated ones are named rds:<source>-<date>, manual ones must be named <source>-...; the dates are not known at deploy time.',
  RestoreIntoSubnetAndParameterGroups: SOURCE_GROUPS,
  CreateInstanceWithParameterGroups: SOURCE_GROUPS,
  CreateCloneSecurityGroup: `${EC2_IDS} Creating requires the managed-by tag in the request.`,
  CreateSecurityGroupInVpc:
    "CreateSecurityGroup is authorized against the VPC the group goes in: the source's or the artifact's, unknown at deploy time. The VPC is not changed.",
  TagSecurityGroupOnCreate: `${EC2_IDS} Tagging is allowed only inside CreateSecurityGroup (ec2:CreateAction) with the managed-by tag.`,
  AdmitClientsToCloneSecurityGroup: `${EC2_IDS} Only groups carrying the managed-by tag.`,
  DeleteCloneSecurityGroup: `${EC2_IDS} Only groups carrying the managed-by tag.`,
  CreateCloneInstance: CLONE_PREFIX + TAGGED,
  CreateInstanceInCloneCluster: CLONE_PREFIX + TAGGED,
  TagInstanceOnCreate: `${CLONE_PREFIX}${TAGGED} RDS checks AddTagsToResource when a create call carries tags.`,
  ResetClonePassword: CLONE_PREFIX + TAGGED,
  DeleteCloneInstances: CLONE_PREFIX + TAGGED,
  DeleteCloneCluster: CLONE_PREFIX + TAGGED,
  DeleteCloneSubnetGroup: CLONE_PREFIX + TAGGED,
  TakeFinalSnapshotOfClone: `${CLONE_PREFIX} DeleteDBCluster is also authorized against its final snapshot, <clone id>-final.`,
  CreateCloneSecret: `Each clone's secret is <secret prefix><clone id>, and Secrets Manager appends a random suffix to the ARN.${TAGGED}`,
  TagSecretOnCreate: `Each clone's secret is <secret prefix><clone id> plus a random suffix; Secrets Manager checks TagResource when CreateSecret carries tags.${TAGGED}`,
  DescribeCloneSecret:
    "Each clone's secret is <secret prefix><clone id> plus a random suffix. Read-only: the ownership check reads its tags (never its value).",
  WriteCloneSecret: `Each clone's secret is <secret prefix><clone id> plus a random suffix.${TAGGED}`,
  DeleteCloneSecret: `Each clone's secret is <secret prefix><clone id> plus a random suffix.${TAGGED}`,
  WriteTtlSchedules:
    "TTL schedules are named after their clone, in the project's own schedule group; schedules cannot carry tags, so the group and the name prefix scope them. The role they run as can start only the teardown.",
  ReadTtlSchedule:
    "TTL schedules are named after their clone, in the project's own schedule group. Read-only.",
  DeleteTtlSchedule:
    "TTL schedules are named after their clone, in the project's own schedule group; schedules cannot carry tags.",
  ReadCloneAndTeardownExecutions:
    "The sweeper reads the executions that made a clone's resources, and the running teardowns, whose names are chosen per clone: executions of the clone and teardown state machines only. Read-only.",
  FollowTeardownExecutions:
    'The rollback follows the teardown execution it starts (startExecution.sync:2), whose name Step Functions generates: executions of the teardown state machine only.',
  FollowCloneAndTeardownExecutions:
    'The refresh follows the teardown (old cluster, rollback) and clone (a clone that does not exist yet) executions it starts (startExecution.sync:2), whose names Step Functions generates: executions of those two state machines only.',
  RenameAndSetPasswordOfClones: `${CLONE_PREFIX} A refresh renames the clone's cluster and its new one (<clone id>, <clone id>-next, <clone id>-old) and gives the new one the clone's password.${TAGGED}`,
  UseCloneSecret: `Each clone's secret is <secret prefix><clone id> plus a random suffix. The refresh reads the password to give it to the new cluster (inside the Lambda only) and points the secret at it.${TAGGED}`,
  TagCloneSecretExpiry: `Each clone's secret is <secret prefix><clone id> plus a random suffix.${TAGGED} Only the dbaf:expires-at tag may be set.`,
  TagCloneSecurityGroupExpiry: `${EC2_IDS} Only groups carrying the managed-by tag, and only the dbaf:expires-at tag.`,
  MoveExpirySchedules:
    "TTL and warning schedules are named after their clone, in the project's own schedule group; schedules cannot carry tags. The refresh moves them to the clone's new expiry (the TTL schedule keeps its target; the warning is made again if it had fired).",
  TagCloneExpiry: `${CLONE_PREFIX} Only resources carrying the managed-by tag, and only the dbaf:expires-at tag.`,
  ReadTheStack:
    "A stack's ARN ends in an id CloudFormation generates; the name is the deployment's own. Read-only.",
  FollowWorkflowExecutions:
    "dbaf follows the executions it starts, named after their clone (or by Step Functions): executions of the deployment's workflows only.",
  ReadCloneSchedules:
    "dbaf shows a clone's TTL, warning and refresh schedules, named after the clone in the project's own group. Read-only.",
  ReadCloneSecrets: `Each clone's secret is <secret prefix><clone id> plus a random suffix; dbaf connect reads it to open psql (the password goes to psql only). Read-only.`,
  ReadCloneExecutions:
    'The refresh reads the clone execution that made a clone (is it still being made?), whose name is chosen per clone: executions of the clone state machine only. Read-only.',
};

/** A CloudFormation value as cdk-nag prints it: `<AWS::Region>`, `<Id.Attr>`, joins flattened. */
export function flattenCfnValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flattenCfnValue).join(delimiter);
    }
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(flattenCfnValue).join('.')}>`;
    if (typeof node.Ref === 'string') return `<${node.Ref}>`;
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges, on `scope`, the AwsSolutions-IAM5 finding of each wildcard resource the Allow
 * statements name (except `*` itself, which the caller explains), with its statement's reason.
 *
 * @throws Error for a wildcard with no written reason.
 */
export function acknowledgeWildcards(scope: IConstruct, statements: readonly PolicyStatement[]): void {
  const stack = Stack.of(scope);
  const seen = new Set<string>();
  for (const statement of statements) {
    if (statement.effect !== Effect.ALLOW) continue;
    for (const resource of statement.resources) {
      const flat = flattenCfnValue(stack.resolve(resource));
      if (flat === '*' || !flat.includes('*') || seen.has(flat)) continue;
      const reason = WILDCARD_REASONS[statement.sid ?? ''];
      if (reason === undefined) {
        throw new Error(
          `Statement ${statement.sid ?? '(no sid)'} names the wildcard resource ${flat}, but infra/lib/nag.ts WILDCARD_REASONS gives no reason for it; scope it, or write the reason down.`,
        );
      }
      seen.add(flat);
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
    }
  }
}

/** Why the handlers run on nodejs22.x rather than the newest Node.js runtime (AwsSolutions-L1). */
export const RUNTIME_REASON =
  'nodejs22.x is the Node.js line this project builds and tests for (esbuild target node22, tests on Node 20/22); it is supported by Lambda. Moving to nodejs24.x goes with moving the toolchain.';
