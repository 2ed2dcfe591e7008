import { ArnFormat, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  childrenOf,
  type DeploymentArns,
  type HandlerName,
  handlersOf,
  readDefinition,
  substitutionsFor,
  WORKFLOW_NAMES,
  WORKFLOWS,
  type WorkflowName,
} from '../../state-machines/catalog.js';
import { acknowledgeWildcards } from './nag.js';

export type { WorkflowName } from '../../state-machines/catalog.js';

/** The workflows in an order where each comes after the ones it runs, so their ARNs exist. */
function creationOrder(): WorkflowName[] {
  const order: WorkflowName[] = [];
  const visit = (name: WorkflowName) => {
    if (order.includes(name)) return;
    for (const child of childrenOf(name)) visit(child);
    order.push(name);
  };
  for (const name of WORKFLOW_NAMES) visit(name);
  return order;
}

const capitalized = (name: string) => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;

/** What {@link Workflows} wires into the ASL files. */
export interface WorkflowsProps {
  /** The Lambda function of each step, filling the `${...FunctionArn}` placeholders. */
  readonly functions: Readonly<Record<HandlerName, IFunction>>;
  /** How long execution logs are kept. */
  readonly logRetention: RetentionDays;
}

/**
 * The clone, teardown, sweeper, refresh and operations state machines, loaded from `state-machines/*.asl.json` with
 * definition substitutions, each with its own role granted exactly what its tasks call.
 *
 * A definition given as a string derives no permissions, so every one is granted here.
 */
export class Workflows extends Construct {
  /** `state-machines/clone.asl.json`. */
  readonly clone: StateMachine;
  /** `state-machines/teardown.asl.json`. */
  readonly teardown: StateMachine;
  /** `state-machines/sweeper.asl.json`. */
  readonly sweeper: StateMachine;
  /** `state-machines/refresh.asl.json`. */
  readonly refresh: StateMachine;
  /** `state-machines/operations.asl.json`. */
  readonly operations: StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const machines = {} as Record<WorkflowName, StateMachine>;
    const arns: DeploymentArns = {
      functionArn: (handler) => props.functions[handler].functionArn,
      stateMachineArn: (workflow) => machines[workflow].stateMachineArn,
    };
    for (const name of creationOrder()) {
      machines[name] = this.stateMachine(name, arns, props);
      const children = childrenOf(name).map((child) => machines[child]);
      if (children.length > 0) this.grantRunSync(machines[name], children, childrenOf(name));
    }
    this.clone = machines.clone;
    this.teardown = machines.teardown;
    this.sweeper = machines.sweeper;
    this.refresh = machines.refresh;
    this.operations = machines.operations;
  }

  private stateMachine(name: WorkflowName, arns: DeploymentArns, props: WorkflowsProps): StateMachine {
    const scope = new Construct(this, WORKFLOWS[name].constructId);
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `db-artifact-factory ${name} state machine: invokes only its own steps`,
    });
    role.addToPolicy(
      new PolicyStatement({
        sid: 'InvokeOwnSteps',
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: handlersOf(name).map((handler) => props.functions[handler].functionArn),
      }),
    );
    const logGroup = new LogGroup(scope, 'Logs', {
      // Step Functions keeps log groups under /aws/vendedlogs/ out of the account's size-limited resource policy.
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(scope, { maxLength: 200 })}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // fromString, not fromFile: the definition stays in the template (tests assert on it) instead
    // of an S3 asset; it is the file's text all the same.
    const definition = readDefinition(name);
    const machine = new StateMachine(scope, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(definition),
      definitionSubstitutions: substitutionsFor(name, arns, definition),
      role,
      tracingEnabled: true,
      // Execution data stays in the execution history (access-controlled); logs carry events only.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:CreateLogDelivery, logs:DescribeResourcePolicies, ...) and X-Ray tracing (xray:PutTraceSegments, ...) support only "*"; CDK adds exactly those.',
    });
    return machine;
  }

  /**
   * `states:startExecution.sync:2` of other machines: the clone's Rollback runs the teardown; the
   * refresh runs the teardown (old cluster, rollback) and the clone workflow (a missing clone).
   */
  private grantRunSync(
    parent: StateMachine,
    children: readonly StateMachine[],
    names: readonly WorkflowName[],
  ): void {
    const stack = Stack.of(this);
    const sid = [...names]
      .sort((a, b) => WORKFLOW_NAMES.indexOf(a) - WORKFLOW_NAMES.indexOf(b))
      .map(capitalized)
      .join('And');
    const statements = [
      new PolicyStatement({
        sid: `Start${sid}`,
        actions: ['states:StartExecution'],
        resources: children.map((child) => child.stateMachineArn),
      }),
      new PolicyStatement({
        sid: `Follow${sid}Executions`,
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: children.map((child) =>
          stack.formatArn({
            service: 'states',
            resource: 'execution',
            resourceName: `${child.stateMachineName}:*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
      }),
      new PolicyStatement({
        sid: 'ManagedRuleForSyncExecution',
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
          }),
        ],
      }),
    ];
    for (const statement of statements) parent.addToRolePolicy(statement);
    acknowledgeWildcards(parent.role, statements);
  }
}
