import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { settingOutputValues } from '../../functions/shared/settings/index.js';
import { CloneFactory, SECRET_PREFIX } from './clone-factory.js';
import { OUTPUT_DESCRIPTIONS, STACK_DESCRIPTION, STACK_OUTPUTS } from './outputs.js';
import type { CloneFactoryProps } from './props.js';

/** Props of {@link CloneFactoryStack}: the stack's own, plus the factory's settings. */
export interface CloneFactoryStackProps extends StackProps {
  /** The deployment's settings; see {@link CloneFactoryProps}. */
  readonly factory: CloneFactoryProps;
  /**
   * ARN of an existing SNS topic for the alarm (the context's `notificationTopicArn`), used when
   * `factory.notificationTopic` is not given.
   * @default - none
   */
  readonly notificationTopicArn?: string;
}

/**
 * A stack holding one {@link CloneFactory}, with the outputs the `dbaf` CLI reads
 * ({@link STACK_OUTPUTS}) and a person needs to start a clone with the plain AWS CLI.
 */
export class CloneFactoryStack extends Stack {
  /** The factory this stack deploys. */
  readonly factory: CloneFactory;

  constructor(scope: Construct, id: string, props: CloneFactoryStackProps) {
    super(scope, id, {
      description: STACK_DESCRIPTION,
      ...props,
    });
    const topic =
      props.notificationTopicArn === undefined
        ? {}
        : { notificationTopic: Topic.fromTopicArn(this, 'NotificationTopic', props.notificationTopicArn) };
    this.factory = new CloneFactory(this, 'Clones', { ...topic, ...props.factory });
    const { settings } = this.factory;
    const values: Record<keyof typeof STACK_OUTPUTS, string> = {
      cloneStateMachineArn: this.factory.cloneStateMachine.stateMachineArn,
      teardownStateMachineArn: this.factory.teardownStateMachine.stateMachineArn,
      refreshStateMachineArn: this.factory.refreshStateMachine.stateMachineArn,
      operationsStateMachineArn: this.factory.operationsStateMachine.stateMachineArn,
      scheduleGroupName: this.factory.scheduleGroup.scheduleGroupName,
      schedulerRoleArn: this.factory.schedulerRole.roleArn,
      secretPrefix: SECRET_PREFIX,
      ...settingOutputValues(settings),
    };
    for (const key of Object.keys(STACK_OUTPUTS) as (keyof typeof STACK_OUTPUTS)[]) {
      new CfnOutput(this, STACK_OUTPUTS[key], { description: OUTPUT_DESCRIPTIONS[key], value: values[key] });
    }
    // Not in STACK_OUTPUTS: the CLI does not read it, and a stack deployed before it still works with the CLI.
    new CfnOutput(this, 'SweeperStateMachineArn', {
      description:
        'aws stepfunctions start-execution --state-machine-arn <this> --input \'{"dryRun":true}\' (it also runs on its schedule)',
      value: this.factory.sweeperStateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'CliUserPolicyArn', {
      description: 'The managed policy for people who use dbaf: attach it to their role or group',
      value: this.factory.cliUserPolicy.managedPolicyArn,
    });
    new CfnOutput(this, 'FailureAlarmName', {
      description: 'CloudWatch alarm on failed or timed-out executions',
      value: this.factory.failureAlarm.alarmName,
    });
    if (this.factory.notificationTopic) {
      new CfnOutput(this, 'NotificationTopicArn', {
        description: 'SNS topic the alarm notifies',
        value: this.factory.notificationTopic.topicArn,
      });
    }
  }
}
