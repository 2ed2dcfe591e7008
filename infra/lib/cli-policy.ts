import { Stack, Validations } from 'aws-cdk-lib';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ResourceArns } from './iam/arns.js';
import { acknowledgeWildcards } from './nag.js';

/** What {@link CliUserPolicy} lets a person use. */
export interface CliUserPolicyProps {
  /** Where the clone names, secrets and schedules are. */
  readonly arns: ResourceArns;
  /** The workflows a person starts: clone, teardown, refresh and the operations. */
  readonly workflows: readonly StateMachine[];
}

/**
 * The IAM managed policy for the people who use `dbaf` (attach it to their role or group): start and
 * follow the workflows, read the stack, the clones and their schedules, and read a clone's secret
 * to connect. Nothing else: every change (a clone, its expiry, a refresh schedule, a deletion) is
 * made by a workflow of the deployment, which applies the deployment's limits itself.
 */
export class CliUserPolicy extends Construct {
  /** The managed policy. */
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: CliUserPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { arns } = props;
    const allow = (sid: string, actions: string[], resources: string[]) =>
      new PolicyStatement({ sid, effect: Effect.ALLOW, actions, resources });
    const statements = [
      allow(
        'ReadTheStack',
        ['cloudformation:DescribeStacks'],
        [
          stack.formatArn({
            service: 'cloudformation',
            resource: 'stack',
            resourceName: `${stack.stackName}/*`,
          }),
        ],
      ),
      allow(
        'StartWorkflows',
        ['states:StartExecution', 'states:ListExecutions'],
        props.workflows.map((workflow) => workflow.stateMachineArn),
      ),
      allow(
        'FollowWorkflowExecutions',
        ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'],
        props.workflows.map((workflow) => arns.executions(workflow.stateMachineName)),
      ),
      allow(
        'ReadClones',
        ['rds:DescribeDBClusters', 'rds:DescribeDBInstances', 'scheduler:ListSchedules'],
        ['*'],
      ),
      allow('ReadCloneSchedules', ['scheduler:GetSchedule'], [arns.schedules()]),
      allow(
        'ReadCloneSecrets',
        ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        [arns.secrets()],
      ),
    ];
    this.policy = new ManagedPolicy(this, 'Policy', {
      description:
        'db-artifact-factory users (dbaf): start and follow the workflows, read the clones, their schedules and secrets; every change goes through a workflow',
      statements,
    });
    acknowledgeWildcards(this.policy, statements);
    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'RDS DescribeDBClusters and DescribeDBInstances and Scheduler ListSchedules accept only "*"; they are read-only.',
    });
  }
}
