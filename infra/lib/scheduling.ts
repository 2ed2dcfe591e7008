import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { refreshSchedule } from '../../functions/shared/refresh-schedule.js';
import { SWEEPER_SCHEDULE_NAME } from '../../functions/shared/schedule.js';
import type { ResolvedRefreshSchedule } from './refresh-schedules.js';

/**
 * The EventBridge Scheduler group that holds every clone's TTL schedule (and the sweeper's
 * schedule), and the role those schedules run as.
 *
 * The role can start the teardown state machine, the sweeper when it is scheduled, and put the
 * expiry warnings on the event bus when they are on; nothing else. A schedule created with it for any other target fails; the trust policy admits only
 * schedules of this group in this account.
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
      description:
        'db-artifact-factory schedules: may start only the teardown and sweeper state machines, and put expiry warnings on the bus',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': this.group.scheduleGroupArn },
      }),
    });
  }

  /** Lets the schedules start `teardown`. */
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

  /** Refresh schedules (`<cloneId>.refresh`, from `refreshSchedules` or `dbaf schedule-refresh`) start the refresh. */
  allowStartingRefreshes(refresh: IStateMachine): void {
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'StartRefreshes',
        effect: Effect.ALLOW,
        actions: ['states:StartExecution'],
        resources: [refresh.stateMachineArn],
      }),
    );
  }

  /**
   * One clone's refresh schedule, `<cloneId>.refresh`, starting the refresh state machine with the
   * clone's artifact on its cron, in its time zone; the same schedule `dbaf schedule-refresh` makes.
   */
  scheduleRefresh(refresh: IStateMachine, entry: ResolvedRefreshSchedule): CfnSchedule {
    const made = refreshSchedule(entry, {
      groupName: this.group.scheduleGroupName,
      refreshStateMachineArn: refresh.stateMachineArn,
      roleArn: this.role.roleArn,
    });
    const schedule = new CfnSchedule(this, `Refresh-${entry.cloneId}`, {
      name: made.Name,
      groupName: made.GroupName,
      description: made.Description,
      scheduleExpression: made.ScheduleExpression,
      scheduleExpressionTimezone: made.ScheduleExpressionTimezone,
      flexibleTimeWindow: { mode: made.FlexibleTimeWindow.Mode ?? 'OFF' },
      state: made.State,
      target: {
        arn: made.Target.Arn,
        roleArn: made.Target.RoleArn,
        input: made.Target.Input,
        retryPolicy: {
          maximumEventAgeInSeconds: made.Target.RetryPolicy.MaximumEventAgeInSeconds,
          maximumRetryAttempts: made.Target.RetryPolicy.MaximumRetryAttempts,
        },
      },
    });
    schedule.node.addDependency(this.group);
    return schedule;
  }

  /**
   * Lets the warning schedules (`<cloneId>.warning`) put their `Clone Expiring` event on the bus:
   * Scheduler's templated EventBridge PutEvents target, run as this role.
   */
  allowWarnings(eventBusArn: string): void {
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'PutExpiryWarnings',
        effect: Effect.ALLOW,
        actions: ['events:PutEvents'],
        resources: [eventBusArn],
      }),
    );
  }

  /**
   * The recurring schedule that starts `sweeper` with `{}`, in this group, and the permission to
   * start it. Named with a dot, so the sweeper never takes it for a clone's TTL schedule.
   */
  scheduleSweeper(sweeper: IStateMachine, expression: string): CfnSchedule {
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'StartSweeper',
        effect: Effect.ALLOW,
        actions: ['states:StartExecution'],
        resources: [sweeper.stateMachineArn],
      }),
    );
    const schedule = new CfnSchedule(this, 'Sweeper', {
      name: SWEEPER_SCHEDULE_NAME,
      groupName: this.group.scheduleGroupName,
      description:
        'db-artifact-factory: sweep expired clones whose TTL schedule is lost, and orphaned resources',
      scheduleExpression: expression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: sweeper.stateMachineArn,
        roleArn: this.role.roleArn,
        input: '{}',
        // A sweep that cannot start now is replaced by the next one.
        retryPolicy: { maximumEventAgeInSeconds: 900, maximumRetryAttempts: 3 },
      },
    });
    // The group's name is generated at synthesis, so nothing else orders the two.
    schedule.node.addDependency(this.group);
    return schedule;
  }
}
