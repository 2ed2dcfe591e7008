import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/**
 * The EventBridge Scheduler group that holds every clone's TTL schedule, and the role those
 * schedules run as.
 *
 * The role can do one thing: start the teardown state machine. A schedule created with it for
 * any other target fails; the trust policy admits only schedules of this group in this account.
 */
export class TtlScheduling extends Construct {
  /** The group of TTL schedules (`SCHEDULE_GROUP_NAME`). */
  readonly group: ScheduleGroup;
  /** The role TTL schedules assume (`SCHEDULER_ROLE_ARN`). */
  readonly role: Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // Deleting the stack deletes pending TTL schedules with the teardown they would have started.
    this.group = new ScheduleGroup(this, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'Role', {
      description: 'db-artifact-factory TTL schedules: may start only the teardown state machine',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': this.group.scheduleGroupArn },
      }),
    });
  }

  /** Lets the schedules start `teardown`, and nothing else. */
  allowStarting(teardown: IStateMachine): void {
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'StartTeardownOnly',
        effect: Effect.ALLOW,
        actions: ['states:StartExecution'],
        resources: [teardown.stateMachineArn],
      }),
    );
  }
}
