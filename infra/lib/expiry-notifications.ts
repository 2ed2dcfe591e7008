import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../functions/shared/config.js';
import { CLONE_EXPIRING } from '../../functions/shared/warning.js';

/** Where {@link ExpiryNotifications} sends the warnings. */
export interface ExpiryNotificationsProps {
  /** The deployment's notification topic (the failure alarm's). */
  readonly topic: ITopic;
  /** The topic's key, when this deployment made the topic (`notificationEmail`). @default - none */
  readonly topicKey?: IKey;
}

/**
 * An EventBridge rule on the default bus that sends every `Clone Expiring` event to the
 * deployment's notification topic, as one readable sentence.
 *
 * EventBridge needs to publish to the topic and, for the topic this deployment encrypts, to use its
 * key: both are granted here. A topic given by ARN (`notificationTopic`) is not ours to change: its
 * policy must let `events.amazonaws.com` publish (docs/events.md).
 */
export class ExpiryNotifications extends Construct {
  /** The rule matching `Clone Expiring`. */
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ExpiryNotificationsProps) {
    super(scope, id);
    const field = (name: string) => EventField.fromPath(`$.detail.${name}`);
    this.rule = new Rule(this, 'Rule', {
      description: 'db-artifact-factory: tell the notification topic when a clone is about to expire',
      eventPattern: { source: [EVENT_SOURCE], detailType: [CLONE_EXPIRING] },
    });
    this.rule.addTarget(
      new SnsTopic(props.topic, {
        message: RuleTargetInput.fromText(
          `Clone ${field('cloneId')} (owner ${field('owner')}, a copy of ${field('source')}) expires at ${field('expiresAt')} and will then be deleted. To keep it longer: ${field('extendCommand')}`,
        ),
      }),
    );
    props.topicKey?.grant(
      new ServicePrincipal('events.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
  }
}
