import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EVENT_SOURCE } from '../../../functions/shared/config.js';
import { MANAGED_BY, TAG } from '../../../functions/shared/tags.js';
import type { HandlerName } from '../../../state-machines/catalog.js';
import type { ResourceArns } from './arns.js';

/** Only resources that carry the project's managed-by tag. */
export const RESOURCE_IS_MANAGED = {
  StringEquals: { [`aws:ResourceTag/${TAG.managedBy}`]: MANAGED_BY },
} as const;

/** Only create requests that put the project's managed-by tag on the new resource. */
export const REQUEST_TAGS_MANAGED = {
  StringEquals: { [`aws:RequestTag/${TAG.managedBy}`]: MANAGED_BY },
} as const;

const allow = (sid: string, actions: string[], resources: string[], conditions?: object) =>
  new PolicyStatement({
    sid,
    effect: Effect.ALLOW,
    actions,
    resources,
    ...(conditions ? { conditions: conditions as Record<string, unknown> } : {}),
  });

/** Read-only describe calls that IAM cannot scope to a resource (`Resource: *` is their only form). */
const describe = (sid: string, actions: string[]) => allow(sid, actions, ['*']);

/** What planning a clone reads (inspect-source, and the refresh's plan): the source, the clone, its network, the quota. */
function describePlanning(): PolicyStatement {
  return describe('DescribeRds', [
    'rds:DescribeDBClusters',
    'rds:DescribeDBInstances',
    'rds:DescribeDBSubnetGroups',
    'rds:DescribeAccountAttributes',
  ]);
}

/**
 * A guard on every role that may change RDS resources: nothing but reading and cloning is
 * allowed on an allowed source, whatever other statement (or a later edit) says.
 */
function protectSources(arns: ResourceArns): PolicyStatement {
  return new PolicyStatement({
    sid: 'NeverChangeSources',
    effect: Effect.DENY,
    notActions: ['rds:Describe*', 'rds:List*', 'rds:RestoreDBClusterToPointInTime'],
    resources: arns.sourceClusters(),
  });
}

function publishEvents(arns: ResourceArns): PolicyStatement {
  // events:source is multi-valued (one value per entry): every entry must be ours, and there must be one.
  return allow('PublishProjectEvents', ['events:PutEvents'], [arns.defaultEventBus()], {
    'ForAllValues:StringEquals': { 'events:source': [EVENT_SOURCE] },
    Null: { 'events:source': 'false' },
  });
}

/**
 * The sources' customer managed keys: a clone is encrypted with its source's key, and RDS creates
 * grants on it for the new cluster. Only through RDS, and only grants for AWS resources.
 */
function useSourceKeys(arns: ResourceArns, keyArns: readonly string[]): PolicyStatement[] {
  if (keyArns.length === 0) return [];
  const viaRds = { StringEquals: { 'kms:ViaService': arns.rdsService() } };
  return [
    allow('DescribeSourceKeys', ['kms:DescribeKey'], [...keyArns], viaRds),
    allow('GrantSourceKeysToClones', ['kms:CreateGrant'], [...keyArns], {
      ...viaRds,
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
    }),
  ];
}

function restoreStatements(arns: ResourceArns, keyArns: readonly string[]): PolicyStatement[] {
  const restore = ['rds:RestoreDBClusterToPointInTime', 'rds:RestoreDBClusterFromSnapshot'];
  return [
    describe('DescribeRds', ['rds:DescribeDBClusters', 'rds:DescribeDBSubnetGroups']),
    allow('ReadCloneSubnetGroupTags', ['rds:ListTagsForResource'], [arns.clone('subgrp')]),
    describe('DescribeSecurityGroups', ['ec2:DescribeSecurityGroups']),
    allow(
      'CreateCloneSubnetGroup',
      ['rds:CreateDBSubnetGroup'],
      [arns.clone('subgrp')],
      REQUEST_TAGS_MANAGED,
    ),
    allow(
      'TagCloneOnCreate',
      ['rds:AddTagsToResource'],
      [arns.clone('cluster'), arns.clone('subgrp')],
      REQUEST_TAGS_MANAGED,
    ),
    allow('RestoreCloneCluster', restore, [arns.clone('cluster')], REQUEST_TAGS_MANAGED),
    allow(
      'RestoreFromAllowedSources',
      ['rds:RestoreDBClusterToPointInTime'],
      arns.sourceClusters(),
      REQUEST_TAGS_MANAGED,
    ),
    allow(
      'RestoreFromAllowedSourceSnapshots',
      ['rds:RestoreDBClusterFromSnapshot'],
      arns.sourceSnapshots(),
      REQUEST_TAGS_MANAGED,
    ),
    allow(
      'RestoreIntoSubnetAndParameterGroups',
      restore,
      [arns.rds('subgrp', '*'), arns.rds('cluster-pg', '*'), arns.rds('og', '*')],
      REQUEST_TAGS_MANAGED,
    ),
    allow(
      'CreateCloneSecurityGroup',
      ['ec2:CreateSecurityGroup'],
      [arns.securityGroups()],
      REQUEST_TAGS_MANAGED,
    ),
    allow('CreateSecurityGroupInVpc', ['ec2:CreateSecurityGroup'], [arns.vpcs()]),
    allow('TagSecurityGroupOnCreate', ['ec2:CreateTags'], [arns.securityGroups()], {
      StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...REQUEST_TAGS_MANAGED.StringEquals },
    }),
    allow(
      'AdmitClientsToCloneSecurityGroup',
      ['ec2:AuthorizeSecurityGroupIngress'],
      [arns.securityGroups()],
      RESOURCE_IS_MANAGED,
    ),
    ...useSourceKeys(arns, keyArns),
    protectSources(arns),
  ];
}

function createInstanceStatements(arns: ResourceArns): PolicyStatement[] {
  return [
    describe('DescribeRds', ['rds:DescribeDBInstances']),
    allow('CreateCloneInstance', ['rds:CreateDBInstance'], [arns.clone('db')], REQUEST_TAGS_MANAGED),
    allow(
      'CreateInstanceInCloneCluster',
      ['rds:CreateDBInstance'],
      [arns.clone('cluster')],
      RESOURCE_IS_MANAGED,
    ),
    allow(
      'CreateInstanceWithParameterGroups',
      ['rds:CreateDBInstance'],
      [arns.rds('pg', '*'), arns.rds('og', '*'), arns.rds('subgrp', '*')],
      REQUEST_TAGS_MANAGED,
    ),
    allow('TagInstanceOnCreate', ['rds:AddTagsToResource'], [arns.clone('db')], REQUEST_TAGS_MANAGED),
    new PolicyStatement({
      sid: 'NeverPublicInstances',
      effect: Effect.DENY,
      actions: ['rds:CreateDBInstance'],
      resources: ['*'],
      conditions: { Bool: { 'rds:PubliclyAccessible': 'true' } },
    }),
    protectSources(arns),
  ];
}

function resetPasswordStatements(arns: ResourceArns): PolicyStatement[] {
  return [
    allow('CreateCloneSecret', ['secretsmanager:CreateSecret'], [arns.secrets()], REQUEST_TAGS_MANAGED),
    allow('TagSecretOnCreate', ['secretsmanager:TagResource'], [arns.secrets()], REQUEST_TAGS_MANAGED),
    allow('DescribeCloneSecret', ['secretsmanager:DescribeSecret'], [arns.secrets()]),
    allow('WriteCloneSecret', ['secretsmanager:PutSecretValue'], [arns.secrets()], RESOURCE_IS_MANAGED),
    allow('ResetClonePassword', ['rds:ModifyDBCluster'], [arns.clone('cluster')], RESOURCE_IS_MANAGED),
    protectSources(arns),
  ];
}

function teardownStatements(arns: ResourceArns): PolicyStatement[] {
  return [
    describe('DescribeRds', [
      'rds:DescribeDBClusters',
      'rds:DescribeDBInstances',
      'rds:DescribeDBSubnetGroups',
    ]),
    allow('ReadCloneSubnetGroupTags', ['rds:ListTagsForResource'], [arns.clone('subgrp')]),
    describe('DescribeSecurityGroups', ['ec2:DescribeSecurityGroups']),
    allow('ReadTtlSchedule', ['scheduler:GetSchedule'], [arns.schedules()]),
    allow('DeleteTtlSchedule', ['scheduler:DeleteSchedule'], [arns.schedules()]),
    allow('DeleteCloneInstances', ['rds:DeleteDBInstance'], [arns.clone('db')], RESOURCE_IS_MANAGED),
    allow('DeleteCloneCluster', ['rds:DeleteDBCluster'], [arns.clone('cluster')], RESOURCE_IS_MANAGED),
    allow('TakeFinalSnapshotOfClone', ['rds:DeleteDBCluster'], [arns.clone('cluster-snapshot')]),
    allow('DeleteCloneSubnetGroup', ['rds:DeleteDBSubnetGroup'], [arns.clone('subgrp')], RESOURCE_IS_MANAGED),
    allow(
      'DeleteCloneSecurityGroup',
      ['ec2:DeleteSecurityGroup'],
      [arns.securityGroups()],
      RESOURCE_IS_MANAGED,
    ),
    allow('DescribeCloneSecret', ['secretsmanager:DescribeSecret'], [arns.secrets()]),
    allow('DeleteCloneSecret', ['secretsmanager:DeleteSecret'], [arns.secrets()], RESOURCE_IS_MANAGED),
    publishEvents(arns),
    protectSources(arns),
  ];
}

/** Tag changes limited to the clone's expiry: the refresh moves it, and nothing else. */
const ONLY_EXPIRY_TAG = {
  ...RESOURCE_IS_MANAGED,
  'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG.expiresAt] },
} as const;

/**
 * What `moveExpiry` (functions/shared/expiry.ts) calls: it finds the clone's resources by their
 * tags, moves the TTL and warning schedules (passing their role) and writes the new expiry tag.
 */
function moveExpiryStatements(arns: ResourceArns, schedulerRoleArn: string): PolicyStatement[] {
  return [
    allow('ReadCloneSubnetGroupTags', ['rds:ListTagsForResource'], [arns.clone('subgrp')]),
    describe('DescribeSecurityGroups', ['ec2:DescribeSecurityGroups']),
    allow(
      'TagCloneExpiry',
      ['rds:AddTagsToResource'],
      [arns.clone('cluster'), arns.clone('db'), arns.clone('subgrp')],
      ONLY_EXPIRY_TAG,
    ),
    allow('DescribeCloneSecret', ['secretsmanager:DescribeSecret'], [arns.secrets()]),
    allow('TagCloneSecretExpiry', ['secretsmanager:TagResource'], [arns.secrets()], ONLY_EXPIRY_TAG),
    allow('TagCloneSecurityGroupExpiry', ['ec2:CreateTags'], [arns.securityGroups()], ONLY_EXPIRY_TAG),
    allow(
      'MoveExpirySchedules',
      [
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
      ],
      [arns.schedules()],
    ),
    allow('PassSchedulerRole', ['iam:PassRole'], [schedulerRoleArn], {
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    }),
  ];
}

function refreshStatements(arns: ResourceArns, schedulerRoleArn: string): PolicyStatement[] {
  return [
    describePlanning(),
    ...moveExpiryStatements(arns, schedulerRoleArn),
    allow(
      'RenameAndSetPasswordOfClones',
      ['rds:ModifyDBCluster'],
      [arns.clone('cluster')],
      RESOURCE_IS_MANAGED,
    ),
    allow(
      'UseCloneSecret',
      ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
      [arns.secrets()],
      RESOURCE_IS_MANAGED,
    ),
    publishEvents(arns),
    protectSources(arns),
  ];
}

/**
 * The deployment's operations: `extend` moves a clone's expiry (within the limits it checks
 * itself), `schedule-refresh` and `unschedule-refresh` put and delete `<clone>.refresh` schedules
 * (in the same group, `MoveExpirySchedules`), which run as the schedules' role.
 */
function operationsStatements(arns: ResourceArns, schedulerRoleArn: string): PolicyStatement[] {
  return [
    describe('DescribeRds', ['rds:DescribeDBClusters', 'rds:DescribeDBSubnetGroups']),
    ...moveExpiryStatements(arns, schedulerRoleArn),
    protectSources(arns),
  ];
}

function sweeperStatements(arns: ResourceArns): PolicyStatement[] {
  return [
    describe('DescribeRds', ['rds:DescribeDBClusters', 'rds:DescribeDBSubnetGroups']),
    allow('ReadCloneSubnetGroupTags', ['rds:ListTagsForResource'], [arns.clone('subgrp')]),
    describe('ListManagedResources', [
      'ec2:DescribeSecurityGroups',
      'secretsmanager:ListSecrets',
      'scheduler:ListSchedules',
    ]),
    allow('ReadTtlSchedule', ['scheduler:GetSchedule'], [arns.schedules()]),
    publishEvents(arns),
  ];
}

/** The state machines the sweeper reads and starts, known only once they exist. */
export interface SweeperTargets {
  /** ARN of the teardown state machine, which the sweeper starts. */
  readonly teardownArn: string;
  /** Name of the teardown state machine, whose running executions the sweeper reads. */
  readonly teardownName: string;
  /** Name of the clone state machine, whose executions made the resources the sweeper finds. */
  readonly cloneName: string;
}

/**
 * What the sweeper does with the state machines: start teardowns, list the running ones, and
 * read the executions that made a clone's resources (is that clone still being made?).
 *
 * Added once the state machines exist: the functions are made before them.
 */
export function sweeperExecutionStatements(arns: ResourceArns, targets: SweeperTargets): PolicyStatement[] {
  return [
    allow('StartTeardowns', ['states:StartExecution'], [targets.teardownArn]),
    allow('ListRunningTeardowns', ['states:ListExecutions'], [targets.teardownArn]),
    allow(
      'ReadCloneAndTeardownExecutions',
      ['states:DescribeExecution'],
      [arns.executions(targets.teardownName), arns.executions(targets.cloneName)],
    ),
  ];
}

/**
 * The refresh reads the clone execution that made a clone (is it still being made?): executions
 * of the clone state machine only. Added once it exists.
 */
export function refreshExecutionStatements(arns: ResourceArns, cloneName: string): PolicyStatement[] {
  return [allow('ReadCloneExecutions', ['states:DescribeExecution'], [arns.executions(cloneName)])];
}

/**
 * Every permission each handler needs, and nothing else: one list per handler, read off the
 * AWS calls in `functions/<name>/` (docs/security.md explains each statement).
 *
 * @param schedulerRoleArn the role TTL schedules run as, which schedule-ttl-deletion passes.
 * @param sourceKmsKeyArns the customer managed keys of the sources, which the restore uses.
 */
export function handlerStatements(
  name: HandlerName,
  arns: ResourceArns,
  schedulerRoleArn: string,
  sourceKmsKeyArns: readonly string[] = [],
): PolicyStatement[] {
  switch (name) {
    case 'inspect-source':
      return [
        describePlanning(),
        describe('DescribeNetwork', ['ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups']),
      ];
    case 'schedule-ttl-deletion':
      return [
        allow(
          'WriteTtlSchedules',
          ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
          [arns.schedules()],
        ),
        allow('PassSchedulerRole', ['iam:PassRole'], [schedulerRoleArn], {
          StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
        }),
      ];
    case 'restore-clone-cluster':
      return restoreStatements(arns, sourceKmsKeyArns);
    case 'create-instance':
      return createInstanceStatements(arns);
    case 'reset-password':
      return resetPasswordStatements(arns);
    case 'publish-endpoint':
      return [describe('DescribeRds', ['rds:DescribeDBClusters']), publishEvents(arns)];
    case 'check-clone-status':
      return [describe('DescribeRds', ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'])];
    case 'teardown':
      return teardownStatements(arns);
    case 'sweeper':
      return sweeperStatements(arns);
    case 'refresh':
      return refreshStatements(arns, schedulerRoleArn);
    case 'operations':
      return operationsStatements(arns, schedulerRoleArn);
    default: {
      const unknown: never = name;
      throw new Error(`No permissions are defined for handler "${String(unknown)}".`);
    }
  }
}
