import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  CLONE_STATE_MACHINE_SUBSTITUTION,
  HANDLERS,
  type HandlerName,
  STATE_MACHINE_HANDLERS,
  TEARDOWN_STATE_MACHINE_SUBSTITUTION,
} from './handlers.js';
import { acknowledgeWildcards } from './nag.js';
import { REPO_ROOT } from './paths.js';

/** The workflows, by the name of their file in `state-machines/`. */
export type WorkflowName = keyof typeof STATE_MACHINE_HANDLERS;

/** Reads `state-machines/<name>.asl.json` as it is: the single source of the workflow. */
export function readDefinition(name: WorkflowName): string {
  return readFileSync(join(REPO_ROOT, 'state-machines', `${name}.asl.json`), 'utf8');
}

/** The `${...}` placeholders a definition uses, in order of first use. */
export function placeholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1] ?? ''))];
}

/**
 * Exactly the substitutions a definition uses.
 *
 * @throws Error naming a placeholder nothing provides, so a new `${...}` in an ASL file fails synth.
 */
export function substitutionsFor(
  name: WorkflowName,
  definition: string,
  available: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    placeholders(definition).map((key) => {
      const value = available[key];
      if (value === undefined) {
        throw new Error(
          `state-machines/${name}.asl.json uses \${${key}}, which the CDK construct does not provide.`,
        );
      }
      return [key, value];
    }),
  );
}

/** What {@link Workflows} wires into the ASL files. */
export interface WorkflowsProps {
  /** The Lambda function of each step, filling the `${...FunctionArn}` placeholders. */
  readonly functions: Readonly<Record<HandlerName, IFunction>>;
  /** How long execution logs are kept. */
  readonly logRetention: RetentionDays;
}

/** The construct id of each state machine's scope (kept: it names the deployed resources). */
const SCOPE_IDS: Record<WorkflowName, string> = {
  clone: 'Clone',
  teardown: 'Teardown',
  sweeper: 'Sweeper',
  refresh: 'Refresh',
};

/**
 * The clone, teardown, sweeper and refresh state machines, loaded from `state-machines/*.asl.json` with
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

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const functionArns = Object.fromEntries(
      Object.entries(HANDLERS).map(([name, { substitution }]) => [
        substitution,
        props.functions[name as HandlerName].functionArn,
      ]),
    );
    this.teardown = this.stateMachine('teardown', functionArns, props);
    this.clone = this.stateMachine(
      'clone',
      { ...functionArns, [TEARDOWN_STATE_MACHINE_SUBSTITUTION]: this.teardown.stateMachineArn },
      props,
    );
    this.grantRunSync(this.clone, [this.teardown], 'Teardown');
    this.sweeper = this.stateMachine('sweeper', functionArns, props);
    this.refresh = this.stateMachine(
      'refresh',
      {
        ...functionArns,
        [TEARDOWN_STATE_MACHINE_SUBSTITUTION]: this.teardown.stateMachineArn,
        [CLONE_STATE_MACHINE_SUBSTITUTION]: this.clone.stateMachineArn,
      },
      props,
    );
    this.grantRunSync(this.refresh, [this.teardown, this.clone], 'TeardownAndClone');
  }

  private stateMachine(
    name: WorkflowName,
    available: Record<string, string>,
    props: WorkflowsProps,
  ): StateMachine {
    const scope = new Construct(this, SCOPE_IDS[name]);
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `db-artifact-factory ${name} state machine: invokes only its own steps`,
    });
    role.addToPolicy(
      new PolicyStatement({
        sid: 'InvokeOwnSteps',
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: STATE_MACHINE_HANDLERS[name].map((handler) => props.functions[handler].functionArn),
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
      definitionSubstitutions: substitutionsFor(name, definition, available),
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
  private grantRunSync(parent: StateMachine, children: readonly StateMachine[], sid: string): void {
    const stack = Stack.of(this);
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
