import { Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IRole, ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnSchedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { handlerEnvironment, WIRING, type WiringSupply } from '../../functions/shared/settings/index.js';
import { HANDLER_NAMES, type HandlerName } from '../../state-machines/catalog.js';
import { FailureAlarm } from './alarms.js';
import { CliUserPolicy } from './cli-policy.js';
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
export const SECRET_PREFIX = WIRING.secretPrefix.default;

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
  /**
   * The operations state machine: `extend`, `schedule-refresh`, `unschedule-refresh`, each checked
   * against the deployment's limits (start it with `{"operation": "extend", "cloneId": ..., "by": "4h"}`).
   */
  readonly operationsStateMachine: StateMachine;
  /**
   * The managed policy for people who use `dbaf`: start and follow the workflows, read the clones;
   * every change goes through a workflow. Attach it to their role or group.
   */
  readonly cliUserPolicy: ManagedPolicy;
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
    this.operationsStateMachine = workflows.operations;
    this.cliUserPolicy = new CliUserPolicy(this, 'CliUsers', {
      arns,
      workflows: [workflows.clone, workflows.teardown, workflows.refresh, workflows.operations],
    }).policy;
    scheduling.allowStarting(workflows.teardown);
    scheduling.allowStartingRefreshes(workflows.refresh);
    this.refreshSchedules = this.settings.refreshSchedules.map((entry) =>
      scheduling.scheduleRefresh(workflows.refresh, entry),
    );
    const { sweeperSchedule } = this.settings;
    this.sweeperSchedule =
      sweeperSchedule === false ? undefined : scheduling.scheduleSweeper(workflows.sweeper, sweeperSchedule);
    // Each function gets the variables its handler reads (functions/shared/settings/), no other.
    const wiring: WiringSupply = {
      scheduleGroupName: scheduling.group.scheduleGroupName,
      schedulerRoleArn: scheduling.role.roleArn,
      teardownStateMachineArn: workflows.teardown.stateMachineArn,
      cloneStateMachineArn: workflows.clone.stateMachineArn,
      refreshStateMachineArn: workflows.refresh.stateMachineArn,
      eventBusArn: arns.defaultEventBus(),
    };
    for (const name of HANDLER_NAMES) {
      const environment = handlerEnvironment(name, this.settings, wiring);
      for (const [key, value] of Object.entries(environment))
        steps.functions[name].addEnvironment(key, value);
    }
    const warnings = this.settings.expiryWarning !== 'off';
    if (warnings) scheduling.allowWarnings(arns.defaultEventBus());
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
    const statements = refreshExecutionStatements(arns, workflows.clone.stateMachineName);
    for (const statement of statements) refresh.addToRolePolicy(statement);
    if (refresh.role !== undefined) acknowledgeWildcards(refresh.role, statements);
  }

  /** The sweeper reads both state machines' executions and starts teardowns. */
  private wireSweeper(sweeper: NodejsFunction, arns: ResourceArns, workflows: Workflows): void {
    const statements = sweeperExecutionStatements(arns, {
      teardownArn: workflows.teardown.stateMachineArn,
      teardownName: workflows.teardown.stateMachineName,
      cloneName: workflows.clone.stateMachineName,
    });
    for (const statement of statements) sweeper.addToRolePolicy(statement);
    if (sweeper.role !== undefined) acknowledgeWildcards(sweeper.role, statements);
  }
}
