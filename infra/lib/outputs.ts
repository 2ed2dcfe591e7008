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
  /** ARN of the refresh state machine. */
  refreshStateMachineArn: 'RefreshStateMachineArn',
  /** EventBridge Scheduler group of the TTL schedules. */
  scheduleGroupName: 'ScheduleGroupName',
  /** The role schedules run as (refresh schedules made by `dbaf schedule-refresh` pass it). */
  schedulerRoleArn: 'SchedulerRoleArn',
  /** Prefix of every clone identifier (`dbaf-`). */
  cloneNamePrefix: 'CloneNamePrefix',
  /** Secrets Manager name prefix of the clones' secrets (`dbaf/`). */
  secretPrefix: 'SecretPrefix',
  /** TTL of a clone whose artifact gives none (`8h`). */
  defaultTtl: 'DefaultTtl',
  /** Longest TTL a clone may have (`7d`), on creation and counted from now by `dbaf extend`. */
  maxTtl: 'MaxTtl',
  /** How long before its expiry a clone's `Clone Expiring` event goes out (`1h`), or `off`. */
  expiryWarning: 'ExpiryWarning',
  /** Longest a clone may live from its creation, however often extended (`30d`). */
  maxLifetime: 'MaxLifetime',
  /** Clone ids the maximum lifetime does not apply to, comma-separated, or `none`. */
  protectedClones: 'ProtectedClones',
} as const;

/** The `ProtectedClones` output when no clone is protected (CloudFormation outputs cannot be empty). */
export const NO_PROTECTED_CLONES = 'none';

/** The stack's description, as DescribeStacks returns it. */
export const STACK_DESCRIPTION = 'db-artifact-factory: disposable clones of Aurora PostgreSQL clusters';

/** The description of each output, shared by the CDK stack and the local stand-in. */
export const OUTPUT_DESCRIPTIONS: Readonly<Record<keyof typeof STACK_OUTPUTS, string>> = {
  cloneStateMachineArn:
    'aws stepfunctions start-execution --state-machine-arn <this> --input file://artifact.json',
  teardownStateMachineArn:
    'aws stepfunctions start-execution --state-machine-arn <this> --input \'{"cloneId":"dbaf-..."}\'',
  refreshStateMachineArn:
    'aws stepfunctions start-execution --state-machine-arn <this> --input \'{"artifact": <artifact>, "reason": "reset"}\'',
  scheduleGroupName: 'EventBridge Scheduler group holding one TTL schedule per clone',
  schedulerRoleArn: 'The role the TTL, refresh and sweeper schedules run as',
  cloneNamePrefix: 'Prefix of every clone cluster identifier',
  secretPrefix: 'Secrets Manager name prefix of the clone secrets (<prefix><clone id>)',
  defaultTtl: 'TTL of a clone whose artifact sets none',
  maxTtl: 'Longest TTL a clone may have, on creation or extension (counted from now)',
  expiryWarning: 'How long before its expiry a clone gets a Clone Expiring event (off: none)',
  maxLifetime: 'Longest a clone may live from its creation, however often it is extended',
  protectedClones: 'Clones the maximum lifetime does not apply to (none: no clone)',
};
