import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** What {@link FailureAlarm} watches and whom it tells. */
export interface FailureAlarmProps {
  /** The clone state machine, watched. */
  readonly clone: StateMachine;
  /** The teardown state machine, watched. */
  readonly teardown: StateMachine;
  /** The sweeper state machine, watched. */
  readonly sweeper: StateMachine;
  /** The refresh state machine, watched. */
  readonly refresh: StateMachine;
  /** Subscribed to a new encrypted topic. */
  readonly notificationEmail: string | undefined;
  /** An existing topic to notify instead. */
  readonly notificationTopic: ITopic | undefined;
}

/**
 * One CloudWatch alarm that fires when an execution of any of the state machines fails or times
 * out, optionally notifying an SNS topic.
 *
 * A failed teardown or sweep can leave a clone running (and billed): someone must look.
 */
export class FailureAlarm extends Construct {
  /** The alarm: in ALARM for five minutes after any failed or timed-out execution. */
  readonly alarm: Alarm;
  /** The topic the alarm notifies, if any. */
  readonly topic: ITopic | undefined;
  /** The key of the topic made for `notificationEmail` (none for a topic given). */
  readonly topicKey: IKey | undefined;

  constructor(scope: Construct, id: string, props: FailureAlarmProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const expression = new MathExpression({
      expression:
        'cloneFailed + cloneTimedOut + teardownFailed + teardownTimedOut + sweeperFailed + sweeperTimedOut + refreshFailed + refreshTimedOut',
      usingMetrics: {
        cloneFailed: props.clone.metricFailed({ period }),
        cloneTimedOut: props.clone.metricTimedOut({ period }),
        teardownFailed: props.teardown.metricFailed({ period }),
        teardownTimedOut: props.teardown.metricTimedOut({ period }),
        sweeperFailed: props.sweeper.metricFailed({ period }),
        sweeperTimedOut: props.sweeper.metricTimedOut({ period }),
        refreshFailed: props.refresh.metricFailed({ period }),
        refreshTimedOut: props.refresh.metricTimedOut({ period }),
      },
      label: 'Failed or timed-out executions',
      period,
    });
    this.alarm = new Alarm(this, 'Alarm', {
      alarmDescription:
        'db-artifact-factory: an execution of the clone, teardown, sweeper or refresh state machine failed or timed out. A failed teardown or sweep can leave a clone running, a failed refresh leaves the clone as it was: read the execution history, then start the teardown (or the sweeper, or the refresh) again.',
      metric: expression,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const made = props.notificationTopic === undefined ? this.emailTopic(props.notificationEmail) : undefined;
    this.topic = props.notificationTopic ?? made?.topic;
    this.topicKey = made?.key;
    if (this.topic) this.alarm.addAlarmAction(new SnsAction(this.topic));
  }

  private emailTopic(email: string | undefined): { topic: ITopic; key: IKey } | undefined {
    if (email === undefined) return undefined;
    // CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key: use our own.
    const key = new Key(this, 'TopicKey', {
      description: 'db-artifact-factory alarm notifications',
      enableKeyRotation: true,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'Topic', {
      displayName: 'db-artifact-factory alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addSubscription(new EmailSubscription(email));
    return { topic, key };
  }
}
