import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SECRET_PREFIX } from '../../infra/lib/clone-factory.js';
import { STACK_DESCRIPTION, STACK_OUTPUTS } from '../../infra/lib/outputs.js';
import { CloneFactoryStack } from '../../infra/lib/stack.js';
import { HANDLER_NAMES, HANDLERS, placeholders, WORKFLOWS } from '../../state-machines/catalog.js';
import { allStatements, asList } from './support/policies.js';
import {
  cdkJsonContext,
  logicalId,
  ROOT,
  resourcesOfType,
  synthesize,
  type TemplateJson,
} from './support/synth.js';

const { template, json, stack } = synthesize();
const { factory } = stack;
const fnId = (name: keyof typeof HANDLERS) => logicalId(factory.functions[name]);

/** Actions AWS offers only on `*` that write telemetry, never a resource of ours or of production. */
const TELEMETRY_ON_STAR = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);
const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*$/;
const RDS_IDENTIFIER = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,62}$/;

describe('the resources', () => {
  it.each([
    ['AWS::Lambda::Function', 11],
    ['AWS::StepFunctions::StateMachine', 5],
    ['AWS::Scheduler::ScheduleGroup', 1],
    ['AWS::Scheduler::Schedule', 1],
    ['AWS::CloudWatch::Alarm', 1],
    ['AWS::IAM::Role', 17],
    ['AWS::Logs::LogGroup', 16],
    ['AWS::SNS::Topic', 0],
  ])('has %s × %i', (type, count) => {
    template.resourceCountIs(type, count);
  });

  it('keeps every log group for three months', () => {
    for (const [, group] of resourcesOfType(json, 'AWS::Logs::LogGroup')) {
      expect(group.Properties?.RetentionInDays).toBe(90);
    }
  });

  it('outputs the state machine ARNs for aws stepfunctions start-execution', () => {
    template.hasOutput('CloneStateMachineArn', { Value: { Ref: logicalId(factory.cloneStateMachine) } });
    template.hasOutput('TeardownStateMachineArn', {
      Value: { Ref: logicalId(factory.teardownStateMachine) },
    });
    template.hasOutput('SweeperStateMachineArn', {
      Value: { Ref: logicalId(factory.sweeperStateMachine) },
    });
  });
});

describe('the stack outputs the dbaf CLI reads', () => {
  it('has every key of STACK_OUTPUTS, described, with its value', () => {
    const outputs = json.Outputs ?? {};
    expect(Object.fromEntries(Object.values(STACK_OUTPUTS).map((key) => [key, outputs[key]?.Value]))).toEqual(
      {
        CloneStateMachineArn: { Ref: logicalId(factory.cloneStateMachine) },
        TeardownStateMachineArn: { Ref: logicalId(factory.teardownStateMachine) },
        RefreshStateMachineArn: { Ref: logicalId(factory.refreshStateMachine) },
        OperationsStateMachineArn: { Ref: logicalId(factory.operationsStateMachine) },
        ScheduleGroupName: json.Resources[logicalId(factory.scheduleGroup)]?.Properties?.Name,
        SchedulerRoleArn: { 'Fn::GetAtt': [logicalId(factory.schedulerRole), 'Arn'] },
        CloneNamePrefix: 'dbaf-',
        SecretPrefix: 'dbaf/',
        DefaultTtl: '8h',
        MaxTtl: '7d',
        ExpiryWarning: '1h',
        MaxLifetime: '30d',
        ProtectedClones: 'none',
      },
    );
    expect(outputs.ScheduleGroupName?.Value).toEqual(expect.stringMatching(/^DbArtifactFactory-/));
    for (const key of Object.values(STACK_OUTPUTS)) expect(outputs[key]?.Description, key).toMatch(/\w/);
    expect(stack.templateOptions.description).toBe(STACK_DESCRIPTION);
  });

  it('carries the settings the stack was given', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const custom = new CloneFactoryStack(app, 'Custom', {
      factory: {
        allowedSources: ['legacy-prod'],
        cloneNamePrefix: 'tmp-',
        defaultTtl: '2h',
        maxTtl: '3d',
        expiryWarning: 'off',
        maxLifetime: '10d',
        protectedClones: ['tmp-demo', 'TMP-Training'],
      },
    });
    const outputs = Template.fromStack(custom).toJSON().Outputs as TemplateJson['Outputs'];
    expect(outputs?.[STACK_OUTPUTS.expiryWarning]?.Value).toBe('off');
    expect(outputs?.[STACK_OUTPUTS.maxLifetime]?.Value).toBe('10d');
    expect(outputs?.[STACK_OUTPUTS.protectedClones]?.Value).toBe('tmp-demo,tmp-training');
    expect(outputs?.[STACK_OUTPUTS.cloneNamePrefix]?.Value).toBe('tmp-');
    expect(outputs?.[STACK_OUTPUTS.defaultTtl]?.Value).toBe('2h');
    expect(outputs?.[STACK_OUTPUTS.maxTtl]?.Value).toBe('3d');
    expect(outputs?.[STACK_OUTPUTS.secretPrefix]?.Value).toBe(SECRET_PREFIX);
  });
});

describe('the Lambda functions', () => {
  it('has one per handler folder under functions/', () => {
    const folders = readdirSync(join(ROOT, 'functions'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
      .map((entry) => entry.name);
    expect([...HANDLER_NAMES].sort()).toEqual(folders.sort());
  });

  it.each(
    HANDLER_NAMES,
  )('%s: nodejs22.x on ARM64, traced, logging to its own log group, its own role', (name) => {
    const resource = json.Resources[fnId(name)];
    expect(resource?.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Timeout: 90,
      LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      Role: { 'Fn::GetAtt': [logicalId(factory.functions[name].role as never), 'Arn'] },
    });
  });

  it('gives each function a role of its own', () => {
    const roles = HANDLER_NAMES.map((name) => JSON.stringify(json.Resources[fnId(name)]?.Properties?.Role));
    expect(new Set(roles).size).toBe(HANDLER_NAMES.length);
  });

  const group = factory.scheduleGroup.scheduleGroupName;
  const values = {
    ALLOWED_SOURCES: 'legacy-prod,arn:aws:rds:us-east-1:444455556666:cluster:shared-orders',
    DEFAULT_TTL: '8h',
    MAX_TTL: '7d',
    CLONE_NAME_PREFIX: 'dbaf-',
    DEFAULT_ALLOWED_CIDRS: '10.20.0.0/16',
    QUOTA_HEADROOM: '0',
    MAX_CLONES_PER_OWNER: '0',
    EXPIRY_WARNING: '1h',
    MAX_LIFETIME: '30d',
    PROTECTED_CLONES: '',
    SECRET_PREFIX: 'dbaf/',
    SCHEDULE_GROUP_NAME: group,
    EVENT_BUS_NAME: 'default',
    SWEEPER_GRACE: '15m',
    SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(factory.schedulerRole), 'Arn'] },
    TEARDOWN_STATE_MACHINE_ARN: { Ref: logicalId(factory.teardownStateMachine) },
    CLONE_STATE_MACHINE_ARN: { Ref: logicalId(factory.cloneStateMachine) },
    REFRESH_STATE_MACHINE_ARN: { Ref: logicalId(factory.refreshStateMachine) },
    EVENT_BUS_ARN: {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':events:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':event-bus/default',
        ],
      ],
    },
  };
  type Variable = keyof typeof values;
  // What each handler reads (through loadConfig and required()), and the TTLs and the lifetime
  // together, which loadConfig compares; every function also gets its log level and source maps.
  const reads: Record<(typeof HANDLER_NAMES)[number], Variable[]> = {
    'inspect-source': [
      'ALLOWED_SOURCES',
      'DEFAULT_TTL',
      'MAX_TTL',
      'CLONE_NAME_PREFIX',
      'DEFAULT_ALLOWED_CIDRS',
      'QUOTA_HEADROOM',
      'MAX_CLONES_PER_OWNER',
      'MAX_LIFETIME',
      'SECRET_PREFIX',
      'SCHEDULE_GROUP_NAME',
    ],
    'schedule-ttl-deletion': [
      'EXPIRY_WARNING',
      'SCHEDULER_ROLE_ARN',
      'TEARDOWN_STATE_MACHINE_ARN',
      'EVENT_BUS_ARN',
    ],
    'restore-clone-cluster': [],
    'create-instance': [],
    'reset-password': [],
    'publish-endpoint': ['EVENT_BUS_NAME'],
    'check-clone-status': [],
    teardown: [
      'ALLOWED_SOURCES',
      'CLONE_NAME_PREFIX',
      'SECRET_PREFIX',
      'SCHEDULE_GROUP_NAME',
      'EVENT_BUS_NAME',
    ],
    sweeper: [
      'ALLOWED_SOURCES',
      'DEFAULT_TTL',
      'MAX_TTL',
      'CLONE_NAME_PREFIX',
      'MAX_LIFETIME',
      'PROTECTED_CLONES',
      'SECRET_PREFIX',
      'SCHEDULE_GROUP_NAME',
      'TEARDOWN_STATE_MACHINE_ARN',
      'CLONE_STATE_MACHINE_ARN',
      'EVENT_BUS_NAME',
      'SWEEPER_GRACE',
    ],
    refresh: [
      'ALLOWED_SOURCES',
      'DEFAULT_TTL',
      'MAX_TTL',
      'CLONE_NAME_PREFIX',
      'DEFAULT_ALLOWED_CIDRS',
      'QUOTA_HEADROOM',
      'EXPIRY_WARNING',
      'MAX_LIFETIME',
      'PROTECTED_CLONES',
      'SECRET_PREFIX',
      'SCHEDULE_GROUP_NAME',
      'CLONE_STATE_MACHINE_ARN',
      'EVENT_BUS_NAME',
      'EVENT_BUS_ARN',
    ],
    operations: [
      'ALLOWED_SOURCES',
      'DEFAULT_TTL',
      'MAX_TTL',
      'CLONE_NAME_PREFIX',
      'EXPIRY_WARNING',
      'MAX_LIFETIME',
      'PROTECTED_CLONES',
      'SECRET_PREFIX',
      'SCHEDULE_GROUP_NAME',
      'SCHEDULER_ROLE_ARN',
      'REFRESH_STATE_MACHINE_ARN',
      'EVENT_BUS_ARN',
    ],
  };

  it.each(HANDLER_NAMES)('%s: has exactly the configuration its handler reads', (name) => {
    const read = Object.fromEntries(reads[name].map((variable) => [variable, values[variable]]));
    expect(json.Resources[fnId(name)]?.Properties?.Environment).toEqual({
      Variables: { ...read, POWERTOOLS_LOG_LEVEL: 'INFO', NODE_OPTIONS: '--enable-source-maps' },
    });
  });
});

describe('the state machines', () => {
  const machines = [
    ['clone', factory.cloneStateMachine],
    ['teardown', factory.teardownStateMachine],
    ['sweeper', factory.sweeperStateMachine],
    ['refresh', factory.refreshStateMachine],
    ['operations', factory.operationsStateMachine],
  ] as const;

  it.each(machines)('%s: the definition is state-machines/%s.asl.json, unchanged', (name, machine) => {
    const properties = json.Resources[logicalId(machine)]?.Properties;
    const file = readFileSync(join(ROOT, 'state-machines', `${name}.asl.json`), 'utf8');
    expect(properties?.DefinitionString).toBe(file);
    expect(properties?.DefinitionS3Location).toBeUndefined();
    expect(Object.keys(properties?.DefinitionSubstitutions ?? {}).sort()).toEqual(placeholders(file).sort());
  });

  it.each(machines)('%s: each ${…FunctionArn} resolves to the function of that step', (_name, machine) => {
    const substitutions = json.Resources[logicalId(machine)]?.Properties?.DefinitionSubstitutions ?? {};
    for (const [key, value] of Object.entries(substitutions)) {
      if (Object.values(WORKFLOWS).some((workflow) => workflow.placeholder === key)) continue;
      const handler = HANDLER_NAMES.find((name) => HANDLERS[name].placeholder === key);
      expect(handler, key).toBeDefined();
      expect(value).toEqual({ 'Fn::GetAtt': [fnId(handler as never), 'Arn'] });
    }
  });

  it("the clone machine's rollback starts the teardown machine", () => {
    const substitutions =
      json.Resources[logicalId(factory.cloneStateMachine)]?.Properties?.DefinitionSubstitutions;
    expect(substitutions?.TeardownStateMachineArn).toEqual({ Ref: logicalId(factory.teardownStateMachine) });
  });

  it.each(
    machines,
  )('%s: standard type, traced, every event logged without execution data', (_name, machine) => {
    expect(json.Resources[logicalId(machine)]?.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });
});

describe('the TTL schedules', () => {
  it('run as a role that only the schedule group of this account can assume', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(factory.scheduleGroup), 'Arn'] } },
            },
          },
        ],
      },
    });
  });

  it('can start the teardown, refresh and sweeper state machines, put the expiry warnings on the default bus, and nothing else', () => {
    const statements = allStatements(json).filter(({ role }) => role === logicalId(factory.schedulerRole));
    const machine = (id: string) => `arn:aws:states:us-east-1:111122223333:stateMachine:${id}`;
    expect(statements.map(({ statement }) => [statement.Action, statement.Resource])).toEqual([
      ['states:StartExecution', machine(logicalId(factory.teardownStateMachine))],
      ['states:StartExecution', machine(logicalId(factory.refreshStateMachine))],
      ['states:StartExecution', machine(logicalId(factory.sweeperStateMachine))],
      ['events:PutEvents', 'arn:aws:events:us-east-1:111122223333:event-bus/default'],
    ]);
  });

  it('may not put events with the warnings off', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const off = new CloneFactoryStack(app, 'NoWarnings', {
      factory: { allowedSources: ['legacy-prod'], expiryWarning: 'off' },
    });
    const policies = JSON.stringify(Template.fromStack(off).findResources('AWS::IAM::Policy'));
    expect(policies).not.toContain('PutExpiryWarnings');
    const env = Template.fromStack(off).findResources('AWS::Lambda::Function');
    expect(JSON.stringify(env)).toContain('"EXPIRY_WARNING":"off"');
    expect(JSON.stringify(env)).not.toContain('EVENT_BUS_ARN');
  });
});

describe('the sweeper schedule', () => {
  it('starts the sweeper with {} every hour, in the TTL group, as the schedules role', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'dbaf.sweeper',
      GroupName: json.Resources[logicalId(factory.scheduleGroup)]?.Properties?.Name,
      ScheduleExpression: 'rate(1 hour)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { Ref: logicalId(factory.sweeperStateMachine) },
        RoleArn: { 'Fn::GetAtt': [logicalId(factory.schedulerRole), 'Arn'] },
        Input: '{}',
        RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 3 },
      },
    });
  });

  it('is created after its group', () => {
    const [, schedule] = resourcesOfType(json, 'AWS::Scheduler::Schedule')[0] ?? [];
    expect((schedule as { DependsOn?: string[] } | undefined)?.DependsOn).toContain(
      logicalId(factory.scheduleGroup),
    );
  });

  it('is a name no clone can have, so the sweeper never takes it for a TTL schedule', () => {
    expect(RDS_IDENTIFIER.test(String(factory.sweeperSchedule?.name))).toBe(false);
  });
});

describe('the failure alarm', () => {
  it('counts failed and timed-out executions of every state machine, and notifies nobody by default', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: Match.absent(),
      Metrics: Match.arrayWith([
        Match.objectLike({
          Expression:
            'cloneFailed + cloneTimedOut + teardownFailed + teardownTimedOut + sweeperFailed + sweeperTimedOut + refreshFailed + refreshTimedOut',
        }),
      ]),
    });
    const metrics = JSON.stringify(
      resourcesOfType(json, 'AWS::CloudWatch::Alarm')[0]?.[1].Properties?.Metrics,
    );
    for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut']) expect(metrics).toContain(name);
    for (const machine of [
      factory.cloneStateMachine,
      factory.teardownStateMachine,
      factory.sweeperStateMachine,
      factory.refreshStateMachine,
    ]) {
      expect(metrics).toContain(logicalId(machine));
    }
  });
});

describe('the IAM policies', () => {
  const allows = allStatements(json).filter(({ statement }) => statement.Effect === 'Allow');

  it('grant no service-wide wildcard action such as rds:*', () => {
    const wildcards = allows.flatMap(({ statement }) =>
      asList(statement.Action).filter((a) => a.includes('*')),
    );
    expect(wildcards).toEqual([]);
  });

  it('put no mutating action on Resource "*" (only reads, and telemetry AWS offers only on "*")', () => {
    const offending = allows
      .filter(({ statement }) => asList(statement.Resource).includes('*'))
      .flatMap(({ role, statement }) =>
        asList(statement.Action)
          .filter((action) => !READ_ONLY.test(action) && !TELEMETRY_ON_STAR.has(action))
          .map((action) => `${role}: ${action}`),
      );
    expect(offending).toEqual([]);
  });

  it('tie every change to RDS, EC2 or Secrets Manager to the managed-by tag (or say why not)', () => {
    const untagged = allows
      .filter(({ statement }) =>
        asList(statement.Action).some(
          (action) => /^(rds|ec2|secretsmanager):/.test(action) && !READ_ONLY.test(action),
        ),
      )
      .filter(({ statement }) => !JSON.stringify(statement.Condition ?? {}).includes('dbaf:managed-by'))
      .map(({ statement }) => statement.Sid);
    // The final snapshot is named after the clone (cluster-snapshot:dbaf-*); the VPC is only where the group goes.
    expect(untagged.sort()).toEqual(['CreateSecurityGroupInVpc', 'TakeFinalSnapshotOfClone']);
  });
});
