import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { CloneFactory } from './clone-factory.js';
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
 * A stack holding one {@link CloneFactory}, with the outputs a person needs to start a clone
 * with the plain AWS CLI.
 */
export class CloneFactoryStack extends Stack {
  /** The factory this stack deploys. */
  readonly factory: CloneFactory;

  constructor(scope: Construct, id: string, props: CloneFactoryStackProps) {
    super(scope, id, {
      description: 'db-artifact-factory: disposable clones of Aurora PostgreSQL clusters',
      ...props,
    });
    const topic =
      props.notificationTopicArn === undefined
        ? {}
        : { notificationTopic: Topic.fromTopicArn(this, 'NotificationTopic', props.notificationTopicArn) };
    this.factory = new CloneFactory(this, 'Clones', { ...topic, ...props.factory });
    new CfnOutput(this, 'CloneStateMachineArn', {
      description:
        'aws stepfunctions start-execution --state-machine-arn <this> --input file://artifact.json',
      value: this.factory.cloneStateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'TeardownStateMachineArn', {
      description:
        'aws stepfunctions start-execution --state-machine-arn <this> --input \'{"cloneId":"dbaf-..."}\'',
      value: this.factory.teardownStateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'ScheduleGroupName', {
      description: 'EventBridge Scheduler group holding one TTL schedule per clone',
      value: this.factory.scheduleGroup.scheduleGroupName,
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
