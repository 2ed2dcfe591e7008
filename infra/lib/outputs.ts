/**
 * The deployed stack's name and outputs: the contract between the CDK app, the `dbaf` CLI
 * (which reads them with CloudFormation DescribeStacks) and the local stand-in (which serves
 * the same stack). It imports only the settings table (zod), so the CLI can read it without
 * loading aws-cdk-lib.
 */
import { SETTING_OUTPUT_DESCRIPTIONS, SETTING_OUTPUTS } from '../../functions/shared/settings/index.js';

/** The stack name when the `stackName` context (or the CLI's `--stack`) is not set. */
export const DEFAULT_STACK_NAME = 'DbArtifactFactory';

/** The outputs of what the deployment makes, by what they hold. */
const RESOURCE_OUTPUTS = {
  /** ARN of the clone state machine. */
  cloneStateMachineArn: 'CloneStateMachineArn',
  /** ARN of the teardown state machine. */
  teardownStateMachineArn: 'TeardownStateMachineArn',
  /** ARN of the refresh state machine. */
  refreshStateMachineArn: 'RefreshStateMachineArn',
  /** ARN of the operations state machine (extend, schedule-refresh, unschedule-refresh). */
  operationsStateMachineArn: 'OperationsStateMachineArn',
  /** EventBridge Scheduler group of the TTL schedules. */
  scheduleGroupName: 'ScheduleGroupName',
  /** The role schedules run as (refresh schedules made by `dbaf schedule-refresh` pass it). */
  schedulerRoleArn: 'SchedulerRoleArn',
  /** Secrets Manager name prefix of the clones' secrets (`dbaf/`). */
  secretPrefix: 'SecretPrefix',
} as const;

/**
 * The output keys the CLI reads, by what they hold: the deployment's resources, then the settings
 * whose table entry has an `output` (`cloneNamePrefix: 'CloneNamePrefix'`, ...).
 */
export const STACK_OUTPUTS = { ...RESOURCE_OUTPUTS, ...SETTING_OUTPUTS } as const;

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
  operationsStateMachineArn:
    'aws stepfunctions start-execution --state-machine-arn <this> --input \'{"operation":"extend","cloneId":"dbaf-...","by":"4h"}\'',
  scheduleGroupName: 'EventBridge Scheduler group holding one TTL schedule per clone',
  schedulerRoleArn: 'The role the TTL, refresh and sweeper schedules run as',
  secretPrefix: 'Secrets Manager name prefix of the clone secrets (<prefix><clone id>)',
  ...SETTING_OUTPUT_DESCRIPTIONS,
};
