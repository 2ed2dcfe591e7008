import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { HandlerName } from '../../state-machines/catalog.js';
import { ACCOUNT, managedPolicy, type PolicyDocument, REGION, rolePolicies } from './support/policies.js';
import { logicalId, synthesize } from './support/synth.js';

/** Who makes the request: a handler's role, a state machine's role, or the TTL schedules' role. */
type Principal =
  | HandlerName
  | 'clone-machine'
  | 'teardown-machine'
  | 'sweeper-machine'
  | 'ttl-schedules'
  | 'cli-user';

type Decision = 'Allowed' | 'Denied' | 'ExplicitlyDenied';

interface Case {
  readonly who: Principal;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  readonly expected: Decision;
  readonly why: string;
}

const rds = (resource: string) => `arn:aws:rds:${REGION}:${ACCOUNT}:${resource}`;
const sg = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`;
const secret = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}`;
const managed = { 'aws:ResourceTag/dbaf:managed-by': 'db-artifact-factory' };
const createsManaged = { 'aws:RequestTag/dbaf:managed-by': 'db-artifact-factory' };

const SOURCE = rds('cluster:legacy-prod');
const UNLISTED = rds('cluster:orders-prod');
const CLONE = rds('cluster:dbaf-legacy-prod-alice');
const CLONE_INSTANCE = rds('db:dbaf-legacy-prod-alice-1');
const CLONE_SECRET = secret('dbaf/dbaf-legacy-prod-alice-AbCdEf');
const OTHER_GROUP_SCHEDULE = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/dbaf-legacy-prod-alice`;
const SOURCE_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/9999ffff-12ab-34cd-56ef-1234567890ab`;
const grantViaRds = { 'kms:ViaService': `rds.${REGION}.amazonaws.com`, 'kms:GrantIsForAWSResource': 'true' };
const OTHER_STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:payments-refunds`;

/** Requests whose ARNs depend on the synthesized names are built once the template exists. */
function cases(names: {
  schedule: string;
  schedulerRole: string;
  cloneMachineRole: string;
  cloneMachine: string;
  teardownMachine: string;
  sweeperMachine: string;
  teardownFunction: string;
  restoreFunction: string;
  sweeperFunction: string;
  cloneExecution: string;
  teardownExecution: string;
  operationsMachine: string;
  operationsExecution: string;
}): Case[] {
  // biome-ignore format: one request per line reads as a table
  return [
    // The source is never deleted or changed, whatever its tags say.
    { who: 'teardown', action: 'rds:DeleteDBCluster', resource: SOURCE, expected: 'ExplicitlyDenied', why: 'the source cluster' },
    { who: 'teardown', action: 'rds:DeleteDBCluster', resource: SOURCE, context: managed, expected: 'ExplicitlyDenied', why: 'the source, even tagged as managed' },
    { who: 'teardown', action: 'rds:DeleteDBCluster', resource: CLONE, context: managed, expected: 'Allowed', why: 'a managed clone' },
    { who: 'teardown', action: 'rds:DeleteDBCluster', resource: rds('cluster:dbaf-look-alike'), expected: 'Denied', why: 'a clone-named cluster without the managed-by tag' },
    { who: 'teardown', action: 'rds:DeleteDBCluster', resource: UNLISTED, context: managed, expected: 'Denied', why: 'a tagged cluster outside the clone prefix' },
    { who: 'teardown', action: 'rds:DeleteDBCluster', resource: rds('cluster-snapshot:dbaf-legacy-prod-alice-final'), expected: 'Allowed', why: "the clone's final snapshot" },
    { who: 'teardown', action: 'rds:DeleteDBInstance', resource: CLONE_INSTANCE, context: managed, expected: 'Allowed', why: "a managed clone's instance" },
    { who: 'teardown', action: 'rds:DeleteDBInstance', resource: rds('db:legacy-prod-writer'), expected: 'Denied', why: "the source's instance" },
    { who: 'teardown', action: 'rds:DeleteDBSubnetGroup', resource: rds('subgrp:dbaf-legacy-prod-alice'), context: managed, expected: 'Allowed', why: "a managed clone's subnet group" },
    { who: 'teardown', action: 'rds:DeleteDBSubnetGroup', resource: rds('subgrp:prod-private'), expected: 'Denied', why: "the source's subnet group" },
    { who: 'teardown', action: 'ec2:DeleteSecurityGroup', resource: sg('sg-0a1b2c3d4e5f60718'), context: managed, expected: 'Allowed', why: "a managed clone's security group" },
    { who: 'teardown', action: 'ec2:DeleteSecurityGroup', resource: sg('sg-0fedcba9876543210'), expected: 'Denied', why: 'an untagged security group' },
    { who: 'teardown', action: 'secretsmanager:DeleteSecret', resource: CLONE_SECRET, context: managed, expected: 'Allowed', why: "a managed clone's secret" },
    { who: 'teardown', action: 'secretsmanager:DeleteSecret', resource: secret('prod/legacy-master-Zz9Yy8'), context: managed, expected: 'Denied', why: "a secret outside the project's prefix" },
    { who: 'teardown', action: 'scheduler:DeleteSchedule', resource: names.schedule, expected: 'Allowed', why: "a TTL schedule in the project's group" },
    { who: 'teardown', action: 'scheduler:DeleteSchedule', resource: OTHER_GROUP_SCHEDULE, expected: 'Denied', why: 'a schedule in another group' },
    { who: 'teardown', action: 'events:PutEvents', resource: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`, context: { 'events:source': ['db-artifact-factory'] }, expected: 'Allowed', why: "the project's own events" },
    { who: 'teardown', action: 'events:PutEvents', resource: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`, context: { 'events:source': ['db-artifact-factory', 'aws.rds'] }, expected: 'Denied', why: "events posing as another service's" },
    // Restores: only from the allowed sources, only into a tagged clone.
    { who: 'restore-clone-cluster', action: 'rds:RestoreDBClusterToPointInTime', resource: SOURCE, context: createsManaged, expected: 'Allowed', why: 'from an allowed source' },
    { who: 'restore-clone-cluster', action: 'rds:RestoreDBClusterToPointInTime', resource: UNLISTED, context: createsManaged, expected: 'Denied', why: 'from an unlisted cluster' },
    { who: 'restore-clone-cluster', action: 'rds:RestoreDBClusterToPointInTime', resource: CLONE, context: createsManaged, expected: 'Allowed', why: 'into a clone tagged as managed' },
    { who: 'restore-clone-cluster', action: 'rds:RestoreDBClusterToPointInTime', resource: CLONE, expected: 'Denied', why: 'into a clone without the managed-by tag' },
    { who: 'restore-clone-cluster', action: 'rds:RestoreDBClusterToPointInTime', resource: rds('cluster:scratch'), context: createsManaged, expected: 'Denied', why: 'into a name outside the clone prefix' },
    { who: 'restore-clone-cluster', action: 'rds:RestoreDBClusterToPointInTime', resource: rds('subgrp:prod-private'), context: createsManaged, expected: 'Allowed', why: "into the source's subnet group" },
    { who: 'restore-clone-cluster', action: 'rds:RestoreDBClusterFromSnapshot', resource: rds('cluster-snapshot:rds:legacy-prod-2026-11-20-06-00'), context: createsManaged, expected: 'Allowed', why: "from an allowed source's automated snapshot" },
    { who: 'restore-clone-cluster', action: 'rds:RestoreDBClusterFromSnapshot', resource: rds('cluster-snapshot:orders-prod-before-migration'), context: createsManaged, expected: 'Denied', why: "from an unlisted cluster's snapshot" },
    { who: 'restore-clone-cluster', action: 'rds:ModifyDBCluster', resource: SOURCE, expected: 'ExplicitlyDenied', why: 'the source cluster' },
    { who: 'restore-clone-cluster', action: 'rds:AddTagsToResource', resource: SOURCE, context: createsManaged, expected: 'ExplicitlyDenied', why: 'tagging the source as managed' },
    { who: 'restore-clone-cluster', action: 'ec2:CreateSecurityGroup', resource: sg('sg-0a1b2c3d4e5f60718'), context: createsManaged, expected: 'Allowed', why: 'a security group tagged as managed' },
    { who: 'restore-clone-cluster', action: 'ec2:CreateSecurityGroup', resource: sg('sg-0a1b2c3d4e5f60718'), expected: 'Denied', why: 'an untagged security group' },
    { who: 'restore-clone-cluster', action: 'ec2:CreateTags', resource: sg('sg-0fedcba9876543210'), context: createsManaged, expected: 'Denied', why: 'tagging an existing group as managed' },
    { who: 'restore-clone-cluster', action: 'ec2:CreateTags', resource: sg('sg-0a1b2c3d4e5f60718'), context: { ...createsManaged, 'ec2:CreateAction': 'CreateSecurityGroup' }, expected: 'Allowed', why: 'tags inside CreateSecurityGroup' },
    { who: 'restore-clone-cluster', action: 'ec2:AuthorizeSecurityGroupIngress', resource: sg('sg-0fedcba9876543210'), expected: 'Denied', why: "opening a group that isn't a clone's" },
    { who: 'restore-clone-cluster', action: 'ec2:AuthorizeSecurityGroupIngress', resource: sg('sg-0a1b2c3d4e5f60718'), context: managed, expected: 'Allowed', why: "opening a clone's group" },
    { who: 'restore-clone-cluster', action: 'kms:CreateGrant', resource: SOURCE_KEY, context: grantViaRds, expected: 'Allowed', why: "RDS granting the source's key to the clone" },
    { who: 'restore-clone-cluster', action: 'kms:CreateGrant', resource: OTHER_KEY, context: grantViaRds, expected: 'Denied', why: 'a key that is not a source key' },
    { who: 'restore-clone-cluster', action: 'kms:CreateGrant', resource: SOURCE_KEY, context: { 'kms:GrantIsForAWSResource': 'false' }, expected: 'Denied', why: "a grant on the source's key outside RDS" },
    { who: 'teardown', action: 'kms:CreateGrant', resource: SOURCE_KEY, context: grantViaRds, expected: 'Denied', why: "the source's key, from any other step" },
    // Instances: only in a managed clone, never public.
    { who: 'create-instance', action: 'rds:CreateDBInstance', resource: CLONE_INSTANCE, context: { ...createsManaged, 'rds:PubliclyAccessible': 'false' }, expected: 'Allowed', why: 'a private, tagged instance' },
    { who: 'create-instance', action: 'rds:CreateDBInstance', resource: CLONE_INSTANCE, context: { ...createsManaged, 'rds:PubliclyAccessible': 'true' }, expected: 'ExplicitlyDenied', why: 'a publicly accessible instance' },
    { who: 'create-instance', action: 'rds:CreateDBInstance', resource: SOURCE, context: createsManaged, expected: 'ExplicitlyDenied', why: 'an instance in the source cluster' },
    { who: 'create-instance', action: 'rds:CreateDBInstance', resource: CLONE, context: managed, expected: 'Allowed', why: 'an instance in a managed clone' },
    // The password reset touches only managed clones and their secrets.
    { who: 'reset-password', action: 'rds:ModifyDBCluster', resource: CLONE, context: managed, expected: 'Allowed', why: 'a managed clone' },
    { who: 'reset-password', action: 'rds:ModifyDBCluster', resource: rds('cluster:dbaf-look-alike'), expected: 'Denied', why: 'an untagged cluster' },
    { who: 'reset-password', action: 'rds:ModifyDBCluster', resource: SOURCE, context: managed, expected: 'ExplicitlyDenied', why: 'the source cluster' },
    { who: 'reset-password', action: 'secretsmanager:CreateSecret', resource: CLONE_SECRET, context: createsManaged, expected: 'Allowed', why: 'a tagged secret in the prefix' },
    { who: 'reset-password', action: 'secretsmanager:CreateSecret', resource: secret('prod/legacy-master-Zz9Yy8'), context: createsManaged, expected: 'Denied', why: "a secret outside the project's prefix" },
    { who: 'reset-password', action: 'secretsmanager:PutSecretValue', resource: secret('dbaf/dbaf-look-alike-Qq1Ww2'), expected: 'Denied', why: 'an untagged secret in the prefix' },
    { who: 'reset-password', action: 'secretsmanager:GetSecretValue', resource: CLONE_SECRET, context: managed, expected: 'Denied', why: 'reading a password back' },
    // TTL schedules: only in the project's group, only with the role that can start only the teardown.
    { who: 'schedule-ttl-deletion', action: 'scheduler:CreateSchedule', resource: names.schedule, expected: 'Allowed', why: "in the project's group" },
    { who: 'schedule-ttl-deletion', action: 'scheduler:CreateSchedule', resource: OTHER_GROUP_SCHEDULE, expected: 'Denied', why: 'in another group' },
    { who: 'schedule-ttl-deletion', action: 'iam:PassRole', resource: names.schedulerRole, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' }, expected: 'Allowed', why: 'the TTL role, to Scheduler' },
    { who: 'schedule-ttl-deletion', action: 'iam:PassRole', resource: names.cloneMachineRole, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' }, expected: 'Denied', why: 'any other role: a schedule targeting another state machine' },
    { who: 'schedule-ttl-deletion', action: 'iam:PassRole', resource: names.schedulerRole, context: { 'iam:PassedToService': 'lambda.amazonaws.com' }, expected: 'Denied', why: 'the TTL role, to another service' },
    { who: 'ttl-schedules', action: 'states:StartExecution', resource: names.teardownMachine, expected: 'Allowed', why: 'the teardown state machine' },
    { who: 'ttl-schedules', action: 'states:StartExecution', resource: names.sweeperMachine, expected: 'Allowed', why: 'the sweeper state machine (its hourly schedule)' },
    { who: 'ttl-schedules', action: 'states:StartExecution', resource: names.cloneMachine, expected: 'Denied', why: 'the clone state machine' },
    { who: 'ttl-schedules', action: 'states:StartExecution', resource: OTHER_STATE_MACHINE, expected: 'Denied', why: "another team's state machine" },
    // Expiry warnings: the schedules may put events on the default bus only; the step writes the warning schedule.
    { who: 'ttl-schedules', action: 'events:PutEvents', resource: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`, expected: 'Allowed', why: 'a Clone Expiring warning on the default bus' },
    { who: 'ttl-schedules', action: 'events:PutEvents', resource: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/payments`, expected: 'Denied', why: 'another bus' },
    { who: 'schedule-ttl-deletion', action: 'scheduler:CreateSchedule', resource: `${names.schedule}.warning`, expected: 'Allowed', why: "the clone's warning schedule" },
    { who: 'teardown', action: 'scheduler:DeleteSchedule', resource: `${names.schedule}.warning`, expected: 'Allowed', why: "the clone's warning schedule" },
    // State machines invoke only their own steps.
    { who: 'clone-machine', action: 'states:StartExecution', resource: names.teardownMachine, expected: 'Allowed', why: 'the rollback' },
    { who: 'clone-machine', action: 'states:StartExecution', resource: OTHER_STATE_MACHINE, expected: 'Denied', why: 'another state machine' },
    { who: 'clone-machine', action: 'lambda:InvokeFunction', resource: names.teardownFunction, expected: 'Denied', why: "the teardown's Lambda (only through the teardown machine)" },
    { who: 'teardown-machine', action: 'lambda:InvokeFunction', resource: names.teardownFunction, expected: 'Allowed', why: 'its own step' },
    { who: 'teardown-machine', action: 'lambda:InvokeFunction', resource: names.restoreFunction, expected: 'Denied', why: "the clone's restore step" },
    { who: 'sweeper-machine', action: 'lambda:InvokeFunction', resource: names.sweeperFunction, expected: 'Allowed', why: 'its own step' },
    { who: 'sweeper-machine', action: 'lambda:InvokeFunction', resource: names.teardownFunction, expected: 'Denied', why: "the teardown's Lambda" },
    { who: 'sweeper-machine', action: 'states:StartExecution', resource: names.teardownMachine, expected: 'Denied', why: 'the teardown (only its Lambda starts one)' },
    // The sweeper reads, and starts teardowns; it deletes nothing itself.
    { who: 'sweeper', action: 'states:StartExecution', resource: names.teardownMachine, expected: 'Allowed', why: 'a teardown of an expired or orphaned clone' },
    { who: 'sweeper', action: 'states:StartExecution', resource: names.cloneMachine, expected: 'Denied', why: 'the clone state machine' },
    { who: 'sweeper', action: 'states:ListExecutions', resource: names.teardownMachine, expected: 'Allowed', why: 'the running teardowns' },
    { who: 'sweeper', action: 'states:DescribeExecution', resource: names.cloneExecution, expected: 'Allowed', why: "the execution that made a clone's resources" },
    { who: 'sweeper', action: 'states:DescribeExecution', resource: `${OTHER_STATE_MACHINE.replace(':stateMachine:', ':execution:')}:run-1`, expected: 'Denied', why: "another team's execution" },
    { who: 'sweeper', action: 'states:StopExecution', resource: names.teardownExecution, expected: 'Denied', why: 'stopping a teardown' },
    { who: 'sweeper', action: 'scheduler:GetSchedule', resource: names.schedule, expected: 'Allowed', why: "a TTL schedule's maker" },
    { who: 'sweeper', action: 'scheduler:DeleteSchedule', resource: names.schedule, expected: 'Denied', why: 'deleting a TTL schedule itself' },
    { who: 'sweeper', action: 'rds:DeleteDBCluster', resource: CLONE, context: managed, expected: 'Denied', why: 'deleting a clone itself' },
    { who: 'sweeper', action: 'ec2:DeleteSecurityGroup', resource: sg('sg-0a1b2c3d4e5f60718'), context: managed, expected: 'Denied', why: 'deleting a security group itself' },
    { who: 'sweeper', action: 'secretsmanager:ListSecrets', resource: '*', expected: 'Allowed', why: 'listing the managed secrets' },
    { who: 'sweeper', action: 'secretsmanager:GetSecretValue', resource: CLONE_SECRET, context: managed, expected: 'Denied', why: "reading a clone's password" },
    { who: 'sweeper', action: 'events:PutEvents', resource: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`, context: { 'events:source': ['db-artifact-factory'] }, expected: 'Allowed', why: 'the Sweep Completed event' },
    // The operations: the expiry moves, refresh schedules come and go, within the clone's own resources.
    { who: 'operations', action: 'scheduler:UpdateSchedule', resource: names.schedule, expected: 'Allowed', why: "moving a clone's TTL schedule (extend)" },
    { who: 'operations', action: 'scheduler:CreateSchedule', resource: `${names.schedule}.refresh`, expected: 'Allowed', why: 'making a refresh schedule' },
    { who: 'operations', action: 'scheduler:UpdateSchedule', resource: OTHER_GROUP_SCHEDULE, expected: 'Denied', why: "a schedule in another group" },
    { who: 'operations', action: 'iam:PassRole', resource: names.schedulerRole, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' }, expected: 'Allowed', why: "passing the schedules' role to Scheduler" },
    { who: 'operations', action: 'iam:PassRole', resource: names.cloneMachineRole, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' }, expected: 'Denied', why: 'passing any other role' },
    { who: 'operations', action: 'rds:AddTagsToResource', resource: CLONE, context: { ...managed, 'aws:TagKeys': ['dbaf:expires-at'] }, expected: 'Allowed', why: "a clone's expiry tag" },
    { who: 'operations', action: 'rds:AddTagsToResource', resource: CLONE, context: { ...managed, 'aws:TagKeys': ['dbaf:owner'] }, expected: 'Denied', why: 'any other tag' },
    { who: 'operations', action: 'rds:AddTagsToResource', resource: SOURCE, context: { ...managed, 'aws:TagKeys': ['dbaf:expires-at'] }, expected: 'ExplicitlyDenied', why: 'the source, even tagged as managed' },
    { who: 'operations', action: 'rds:ModifyDBCluster', resource: CLONE, context: managed, expected: 'Denied', why: 'changing a clone otherwise' },
    { who: 'operations', action: 'rds:DeleteDBCluster', resource: CLONE, context: managed, expected: 'Denied', why: 'deleting a clone' },
    { who: 'operations', action: 'secretsmanager:GetSecretValue', resource: CLONE_SECRET, context: managed, expected: 'Denied', why: "reading a clone's password" },
    // A dbaf user starts and follows the workflows and reads; every change goes through a workflow.
    { who: 'cli-user', action: 'states:StartExecution', resource: names.operationsMachine, expected: 'Allowed', why: 'starting an operation (extend)' },
    { who: 'cli-user', action: 'states:StartExecution', resource: names.cloneMachine, expected: 'Allowed', why: 'starting a clone' },
    { who: 'cli-user', action: 'states:StartExecution', resource: names.sweeperMachine, expected: 'Denied', why: 'starting the sweeper' },
    { who: 'cli-user', action: 'states:DescribeExecution', resource: names.operationsExecution, expected: 'Allowed', why: 'following an operation' },
    { who: 'cli-user', action: 'states:StartExecution', resource: OTHER_STATE_MACHINE, expected: 'Denied', why: "another team's state machine" },
    { who: 'cli-user', action: 'rds:DescribeDBClusters', resource: CLONE, expected: 'Allowed', why: 'listing the clones' },
    { who: 'cli-user', action: 'secretsmanager:GetSecretValue', resource: CLONE_SECRET, expected: 'Allowed', why: "a clone's password, for dbaf connect" },
    { who: 'cli-user', action: 'secretsmanager:GetSecretValue', resource: secret('prod/legacy-prod-AbCdEf'), expected: 'Denied', why: "the source's password" },
    { who: 'cli-user', action: 'scheduler:UpdateSchedule', resource: names.schedule, expected: 'Denied', why: "moving a TTL schedule itself (extend goes through the deployment)" },
    { who: 'cli-user', action: 'scheduler:CreateSchedule', resource: `${names.schedule}.refresh`, expected: 'Denied', why: 'making a refresh schedule itself' },
    { who: 'cli-user', action: 'rds:AddTagsToResource', resource: CLONE, context: managed, expected: 'Denied', why: "a clone's tags" },
    { who: 'cli-user', action: 'rds:DeleteDBCluster', resource: CLONE, context: managed, expected: 'Denied', why: 'deleting a clone itself' },
    // Read-only steps change nothing.
    { who: 'inspect-source', action: 'rds:DescribeDBClusters', resource: SOURCE, expected: 'Allowed', why: 'describing the source' },
    { who: 'inspect-source', action: 'rds:DeleteDBCluster', resource: CLONE, context: managed, expected: 'Denied', why: 'deleting anything' },
    { who: 'check-clone-status', action: 'rds:ModifyDBCluster', resource: CLONE, context: managed, expected: 'Denied', why: 'changing anything' },
    { who: 'publish-endpoint', action: 'secretsmanager:GetSecretValue', resource: CLONE_SECRET, context: managed, expected: 'Denied', why: 'reading the password' },
  ];
}

// Synthesized once, at collection, so that every request of the table is its own test.
const { json: template, stack } = synthesize();
const { factory } = stack;
const id = (role: IRole | undefined) => logicalId(role as IRole);
const roles: Record<Principal, string> = {
  ...(Object.fromEntries(
    Object.entries(factory.functions).map(([name, fn]) => [name, id(fn.role)]),
  ) as Record<HandlerName, string>),
  'clone-machine': id(factory.cloneStateMachine.role),
  'teardown-machine': id(factory.teardownStateMachine.role),
  'sweeper-machine': id(factory.sweeperStateMachine.role),
  'ttl-schedules': id(factory.schedulerRole),
  'cli-user': logicalId(factory.cliUserPolicy),
};
const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;
const table = cases({
  schedule: arn('scheduler', `schedule/${factory.scheduleGroup.scheduleGroupName}/dbaf-legacy-prod-alice`),
  schedulerRole: `arn:aws:iam::${ACCOUNT}:role/${roles['ttl-schedules']}`,
  cloneMachineRole: `arn:aws:iam::${ACCOUNT}:role/${roles['clone-machine']}`,
  cloneMachine: arn('states', `stateMachine:${logicalId(factory.cloneStateMachine)}`),
  teardownMachine: arn('states', `stateMachine:${logicalId(factory.teardownStateMachine)}`),
  sweeperMachine: arn('states', `stateMachine:${logicalId(factory.sweeperStateMachine)}`),
  teardownFunction: arn('lambda', `function:${logicalId(factory.functions.teardown)}`),
  restoreFunction: arn('lambda', `function:${logicalId(factory.functions['restore-clone-cluster'])}`),
  sweeperFunction: arn('lambda', `function:${logicalId(factory.functions.sweeper)}`),
  cloneExecution: arn('states', `execution:${logicalId(factory.cloneStateMachine)}:dbaf-legacy-prod-alice`),
  teardownExecution: arn('states', `execution:${logicalId(factory.teardownStateMachine)}:dbaf-x--sweep-1`),
  operationsMachine: arn('states', `stateMachine:${logicalId(factory.operationsStateMachine)}`),
  operationsExecution: arn(
    'states',
    `execution:${logicalId(factory.operationsStateMachine)}:dbaf-x--extend-abc`,
  ),
});

const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
  ],
};

async function decide(request: Case, policies: { name: string; policy: PolicyDocument }[], roleId: string) {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/${roleId}`,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context ?? {},
      },
      identityPolicies: policies,
      // KMS honours identity policies only where the key policy delegates to the account (the default one).
      ...(request.action.startsWith('kms:') ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : [];
  return { decision: result.overallResult, ignored };
}

describe('IAM simulation of the synthesized policies', () => {
  it('has at least twenty requests, and at least as many denials as allowances', () => {
    expect(table.length).toBeGreaterThanOrEqual(20);
    const denied = table.filter((row) => row.expected !== 'Allowed').length;
    expect(denied).toBeGreaterThanOrEqual(table.length - denied);
  });

  for (const row of table) {
    it(`${row.who}: ${row.action}, ${row.why} → ${row.expected}`, async () => {
      const roleId = roles[row.who];
      const policies =
        row.who === 'cli-user' ? managedPolicy(template, roleId) : rolePolicies(template, roleId);
      const { decision, ignored } = await decide(row, policies, roleId);
      // A context key that does not apply to the action would make a denial prove nothing.
      expect(ignored).toEqual([]);
      if (row.expected === 'Allowed') expect(decision).toBe('Allowed');
      else if (row.expected === 'ExplicitlyDenied') expect(decision).toBe('ExplicitlyDenied');
      else expect(decision).toMatch(/^(Implicitly|Explicitly)Denied$/);
    });
  }
});
