import { createHash } from 'node:crypto';
import type { DescribeStacksInput, DescribeStacksOutput, Stack } from '@aws-sdk/client-cloudformation';
import * as sdk from '@aws-sdk/client-cloudformation';
import { settingOutputValues } from '../../functions/shared/settings/index.js';
import { OUTPUT_DESCRIPTIONS, STACK_DESCRIPTION, STACK_OUTPUTS } from '../../infra/lib/outputs.js';
import { AwsError } from '../core/errors.js';
import type { ServiceDefinition } from '../core/service.js';
import { type Deployment, schedulerRoleArn, stateMachineArn } from '../deployment.js';

/**
 * The stack ID of the deployment's stack: `arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>`,
 * the UUID derived from the region, account and name, so it is the same on every start.
 */
export function stackId(deployment: Deployment): string {
  const { region, accountId, stackName } = deployment;
  const hex = createHash('sha256').update(`${region}:${accountId}:${stackName}`).digest('hex');
  // Formatted as a version 5 (name-based) UUID with the RFC 4122 variant.
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/${uuid}`;
}

/** The value of each output the CDK stack declares, as the stand-in's deployment has it. */
export function stackOutputValues(deployment: Deployment): Record<keyof typeof STACK_OUTPUTS, string> {
  return {
    cloneStateMachineArn: stateMachineArn(deployment, 'clone'),
    teardownStateMachineArn: stateMachineArn(deployment, 'teardown'),
    refreshStateMachineArn: stateMachineArn(deployment, 'refresh'),
    operationsStateMachineArn: stateMachineArn(deployment, 'operations'),
    scheduleGroupName: deployment.scheduleGroupName,
    schedulerRoleArn: schedulerRoleArn(deployment),
    secretPrefix: deployment.secretPrefix,
    ...settingOutputValues(deployment),
  };
}

/**
 * AWS CloudFormation (awsQuery): DescribeStacks only, answering with the one stack the stand-in
 * plays, the project's deployment, created when the stand-in started, with the outputs the CDK
 * stack declares (`infra/lib/outputs.ts`), so the `dbaf` CLI finds its settings as in AWS.
 */
export function cloudFormationService(deployment: Deployment, createdAt: Date): ServiceDefinition {
  const values = stackOutputValues(deployment);
  const id = stackId(deployment);
  const stack = (): Stack => ({
    StackName: deployment.stackName,
    StackId: id,
    Description: STACK_DESCRIPTION,
    CreationTime: createdAt,
    StackStatus: 'CREATE_COMPLETE',
    DisableRollback: false,
    NotificationARNs: [],
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    Outputs: (Object.keys(STACK_OUTPUTS) as (keyof typeof STACK_OUTPUTS)[]).map((key) => ({
      OutputKey: STACK_OUTPUTS[key],
      OutputValue: values[key],
      Description: OUTPUT_DESCRIPTIONS[key],
    })),
    Tags: [],
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  });
  return {
    id: 'cloudformation',
    protocol: 'query',
    sdk,
    xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
    version: '2010-05-15',
    operations: {
      DescribeStacks: (input: DescribeStacksInput): DescribeStacksOutput => {
        const name = input.StackName;
        if (name !== undefined && name !== deployment.stackName && name !== id) {
          // AWS's answer for a name or ID it does not know (there is no modelled exception).
          throw new AwsError('ValidationError', `Stack with id ${name} does not exist`);
        }
        return { Stacks: [stack()] };
      },
    },
  };
}
