import { Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnSchedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { HandlerName } from '../../state-machines/catalog.js';
import { FailureAlarm } from './alarms.js';
import { ExpiryNotifications } from './expiry-notifications.js';
import { ResourceArns } from './iam/arns.js';
import {
  handlerStatements,
  refreshExecutionStatements,
  sweeperExecutionStatements,
} from './iam/handler-policies.js';
import { acknowledgeWildcards } from './nag.js';
import { type CloneFactoryProps, type ResolvedSettings, resolveSettings } from './props.js';
import { TtlScheduling } from './scheduling.js';
import { StepFunctions } from './step-functions.js';
import { Workflows } from './workflows.js';

/** Secrets Manager name prefix of clone secrets (`SECRET_PREFIX`); the secret is `<prefix><cloneId>`. */
export const SECRET_PREFIX = 'dbaf/';

/**
 * The environment every handler reads (functions/shared/config.ts), from the validated settings.
 *
 * The state machine ARNs are added only to the functions that need them (schedule-ttl-deletion and
 * the sweeper): the teardown's own functions cannot name the teardown machine.
 */
export function handlerEnvironment(
  settings: ResolvedSettings,
  scheduleGroupName: string,
): Record<string, string> {
  return {
    ALLOWED_SOURCES: settings.allowedSources.join(','),
    DEFAULT_TTL: settings.defaultTtl,
    MAX_TTL: settings.maxTtl,
    CLONE_NAME_PREFIX: settings.cloneNamePrefix,
    DEFAULT_ALLOWED_CIDRS: settings.defaultAllowedCidrs.join(','),
    SECRET_PREFIX,
    SCHEDULE_GROUP_NAME: scheduleGroupName,
    EVENT_BUS_NAME: 'default',
    QUOTA_HEADROOM: String(settings.quotaHeadroom),
    MAX_CLONES_PER_OWNER: String(settings.maxClonesPerOwner),
    EXPIRY_WARNING: settings.expiryWarning,
    MAX_LIFETIME: settings.maxLifetime,
    PROTECTED_CLONES: settings.protectedClones.join(','),
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}

/**
 * Everything db-artifact-factory runs on: the clone, teardown and sweeper state machines, one
 * Lambda per step, the TTL schedule group and its role, an alarm on failed executions, and (with a
 * notification topic) a rule sending the expiry warnings to it.
 *
 * ```ts
 * new CloneFactory(this, 'Clones', { allowedSources: ['legacy-prod'] });
 * ```
 *
 * The props are checked first: a bad value fails synthesis with a message naming the prop.
 */
export class CloneFactory extends Construct {
  /** The clone state machine: start it with an artifact document. */
  readonly cloneStateMachine: StateMachine;
  /** The teardown state machine: start it with `{"cloneId": "..."}`. */
  readonly teardownStateMachine: StateMachine;
  /** The sweeper state machine: start it with `{}`, or `{"dryRun": true}` to see what it would do. */
  readonly sweeperStateMachine: StateMachine;
  /** The refresh state machine: start it with `{"artifact": ..., "reason": "reset"}`. */
  readonly refreshStateMachine: StateMachine;
  /** One schedule per `refreshSchedules` entry, `<clone>.refresh`. */
  readonly refreshSchedules: readonly CfnSchedule[];
  /** The Lambda of each step, by its folder name under `functions/`. */
  readonly functions: Readonly<Record<HandlerName, NodejsFunction>>;
  /** The schedule group holding the TTL schedules. */
  readonly scheduleGroup: ScheduleGroup;
  /** The role TTL schedules run as: it can start only the teardown (and sweeper) state machines. */
  readonly schedulerRole: IRole;
  /** The sweeper's recurring schedule, unless `sweeperSchedule` is `false`. */
  readonly sweeperSchedule: CfnSchedule | undefined;
  /** The alarm on failed or timed-out executions. */
  readonly failureAlarm: Alarm;
  /** The topic the alarm notifies, if any. */
  readonly notificationTopic: ITopic | undefined;
  /** The rule sending `Clone Expiring` events to the topic: only with a topic and warnings on. */
  readonly expiryNotifications: ExpiryNotifications | undefined;
  /** The props after validation, defaults applied. */
  readonly settings: ResolvedSettings;

  constructor(scope: Construct, id: string, props: CloneFactoryProps) {
    super(scope, id);
    this.settings = resolveSettings(props);
    const logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;

    const scheduling = new TtlScheduling(this, 'TtlSchedules');
    this.scheduleGroup = scheduling.group;
    this.schedulerRole = scheduling.role;
    const arns = new ResourceArns(
      Stack.of(this),
      this.settings.cloneNamePrefix,
      SECRET_PREFIX,
      scheduling.group.scheduleGroupName,
      this.settings.allowedSources,
    );
    const steps = new StepFunctions(this, 'Steps', {
      environment: handlerEnvironment(this.settings, scheduling.group.scheduleGroupName),
      statements: (name) =>
        handlerStatements(name, arns, scheduling.role.roleArn, this.settings.sourceKmsKeyArns),
      logRetention,
    });
    this.functions = steps.functions;

    const workflows = new Workflows(this, 'Workflows', { functions: steps.functions, logRetention });
    this.cloneStateMachine = workflows.clone;
    this.teardownStateMachine = workflows.teardown;
    this.sweeperStateMachine = workflows.sweeper;
    this.refreshStateMachine = workflows.refresh;
    scheduling.allowStarting(workflows.teardown);
    scheduling.allowStartingRefreshes(workflows.refresh);
    this.refreshSchedules = this.settings.refreshSchedules.map((entry) =>
      scheduling.scheduleRefresh(workflows.refresh, entry),
    );
    const { sweeperSchedule } = this.settings;
    this.sweeperSchedule =
      sweeperSchedule === false ? undefined : scheduling.scheduleSweeper(workflows.sweeper, sweeperSchedule);
    const scheduleTtl = steps.functions['schedule-ttl-deletion'];
    scheduleTtl.addEnvironment('SCHEDULER_ROLE_ARN', scheduling.role.roleArn);
    scheduleTtl.addEnvironment('TEARDOWN_STATE_MACHINE_ARN', workflows.teardown.stateMachineArn);
    const warnings = this.settings.expiryWarning !== 'off';
    if (warnings) {
      scheduleTtl.addEnvironment('EVENT_BUS_ARN', arns.defaultEventBus());
      // A refresh moves the warning with the expiry.
      steps.functions.refresh.addEnvironment('EVENT_BUS_ARN', arns.defaultEventBus());
      scheduling.allowWarnings(arns.defaultEventBus());
    }
    this.wireSweeper(steps.functions.sweeper, arns, workflows);
    this.wireRefresh(steps.functions.refresh, arns, workflows);

    const alarm = new FailureAlarm(this, 'FailureAlarm', {
      clone: workflows.clone,
      teardown: workflows.teardown,
      sweeper: workflows.sweeper,
      refresh: workflows.refresh,
      notificationEmail: this.settings.notificationEmail,
      notificationTopic: this.settings.notificationTopic,
    });
    this.failureAlarm = alarm.alarm;
    this.notificationTopic = alarm.topic;
    this.expiryNotifications =
      alarm.topic === undefined || !warnings
        ? undefined
        : new ExpiryNotifications(this, 'ExpiryNotifications', {
            topic: alarm.topic,
            ...(alarm.topicKey === undefined ? {} : { topicKey: alarm.topicKey }),
          });
  }

  /** The refresh reads the clone execution that made a clone (is it still being made?). */
  private wireRefresh(refresh: NodejsFunction, arns: ResourceArns, workflows: Workflows): void {
    refresh.addEnvironment('CLONE_STATE_MACHINE_ARN', workflows.clone.stateMachineArn);
    const statements = refreshExecutionStatements(arns, workflows.clone.stateMachineName);
    for (const statement of statements) refresh.addToRolePolicy(statement);
    if (refresh.role !== undefined) acknowledgeWildcards(refresh.role, statements);
  }

  /** The sweeper reads both state machines' executions and starts teardowns. */
  private wireSweeper(sweeper: NodejsFunction, arns: ResourceArns, workflows: Workflows): void {
    sweeper.addEnvironment('TEARDOWN_STATE_MACHINE_ARN', workflows.teardown.stateMachineArn);
    sweeper.addEnvironment('CLONE_STATE_MACHINE_ARN', workflows.clone.stateMachineArn);
    const statements = sweeperExecutionStatements(arns, {
      teardownArn: workflows.teardown.stateMachineArn,
      teardownName: workflows.teardown.stateMachineName,
      cloneName: workflows.clone.stateMachineName,
    });
    for (const statement of statements) sweeper.addToRolePolicy(statement);
    if (sweeper.role !== undefined) acknowledgeWildcards(sweeper.role, statements);
  }
}
