/**
 * The deployed stack's name and outputs: the contract between the CDK app, the `dbaf` CLI
 * (which reads them with CloudFormation DescribeStacks) and the local stand-in (which serves
 * the same stack). No imports, so the CLI can read it without loading aws-cdk-lib.
 */

/** The stack name when the `stackName` context (or the CLI's `--stack`) is not set. */
export const DEFAULT_STACK_NAME = 'DbArtifactFactory';

/** The output keys the CLI reads, by what they hold. */
export const STACK_OUTPUTS = {
  /** ARN of the clone state machine. */
  cloneStateMachineArn: 'CloneStateMachineArn',
  /** ARN of the teardown state machine. */
  teardownStateMachineArn: 'TeardownStateMachineArn',
  /** EventBridge Scheduler group of the TTL schedules. */
  scheduleGroupName: 'ScheduleGroupName',
  /** Prefix of every clone identifier (`dbaf-`). */
  cloneNamePrefix: 'CloneNamePrefix',
  /** Secrets Manager name prefix of the clones' secrets (`dbaf/`). */
  secretPrefix: 'SecretPrefix',
  /** TTL of a clone whose artifact gives none (`8h`). */
  defaultTtl: 'DefaultTtl',
  /** Longest lifetime a clone may have (`7d`), which `dbaf extend` enforces. */
  maxTtl: 'MaxTtl',
} as const;
