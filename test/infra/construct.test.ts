import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { CloneFactory, type CloneFactoryProps } from '../../infra/index.js';
import { cdkJsonContext, logicalId } from './support/synth.js';

/** A team's own app and stack, in a known account and region, with one CloneFactory added. */
function teamStack(props: CloneFactoryProps): { stack: Stack; factory: CloneFactory; template: Template } {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'TeamStack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const factory = new CloneFactory(stack, 'Clones', props);
  return { stack, factory, template: Template.fromStack(stack) };
}

describe('CloneFactory in a team’s own CDK app', () => {
  it('needs only the allowed sources, and scopes the restore to them in its account and region', () => {
    const { template } = teamStack({ allowedSources: ['legacy-prod'] });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 5);
    const restore = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as { Sid?: string; Resource: unknown }[],
      )
      .find((statement) => statement.Sid === 'RestoreFromAllowedSources');
    expect(JSON.stringify(restore?.Resource)).toMatch(/:rds:eu-west-1:111122223333:cluster:legacy-prod"/);
  });

  it('uses the clone name prefix it is given for clones, secrets and schedules', () => {
    const { template } = teamStack({ allowedSources: ['legacy-prod'], cloneNamePrefix: 'tmp-' });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':cluster:tmp-*');
    expect(policies).toContain(':secret:dbaf/tmp-*');
    expect(policies).toMatch(/schedule\/[^"]+\/tmp-\*/);
    expect(policies).not.toContain('dbaf-*');
  });

  it('runs the sweeper on the schedule it is given, or on none', () => {
    const { template } = teamStack({ allowedSources: ['legacy-prod'], sweeperSchedule: 'rate(30 minutes)' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });

    const { factory, template: off } = teamStack({ allowedSources: ['legacy-prod'], sweeperSchedule: false });
    off.resourceCountIs('AWS::Scheduler::Schedule', 0);
    off.resourceCountIs('AWS::StepFunctions::StateMachine', 5);
    expect(factory.sweeperSchedule).toBeUndefined();
    // The schedules' role is then allowed to start the teardown only.
    expect(JSON.stringify(off.findResources('AWS::IAM::Policy'))).not.toContain('StartSweeper');
  });

  it('keeps the clones of refreshSchedules fresh: one schedule each, in its time zone, starting the refresh', () => {
    const artifact = {
      version: 1 as const,
      source: { clusterIdentifier: 'legacy-prod' },
      target: { cloneName: 'reporting', instanceClass: 'db.r6g.large', allowedCidrs: ['10.0.0.0/16'] },
      lifecycle: { ttl: '3d' },
    };
    const { factory, template } = teamStack({
      allowedSources: ['legacy-prod'],
      refreshSchedules: [{ artifact, cron: '0 6 ? * MON-FRI *', timezone: 'Europe/Paris' }],
    });
    expect(factory.refreshSchedules).toHaveLength(1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'dbaf-reporting.refresh',
      ScheduleExpression: 'cron(0 6 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: {
        Arn: { Ref: logicalId(factory.refreshStateMachine) },
        RoleArn: { 'Fn::GetAtt': [logicalId(factory.schedulerRole), 'Arn'] },
        Input: JSON.stringify({
          artifact: { ...artifact, target: { ...artifact.target, cloneName: 'dbaf-reporting' } },
          reason: 'scheduled',
        }),
      },
    });
  });

  it('refuses refreshSchedules entries it could not run, naming each', () => {
    const artifact = (cloneName?: string, clusterIdentifier = 'legacy-prod') => ({
      version: 1 as const,
      source: { clusterIdentifier },
      target: { cloneName, instanceClass: 'db.r6g.large', allowedCidrs: ['10.0.0.0/16'] },
    });
    expect(() =>
      teamStack({
        allowedSources: ['legacy-prod'],
        refreshSchedules: [
          { artifact: artifact(undefined), cron: '0 6 * * ? *' },
          { artifact: artifact('a', 'billing-prod'), cron: 'every day', timezone: 'Mars/Olympus' },
          { artifact: artifact('b'), cron: '0 6 * * ? *' },
          { artifact: artifact('dbaf-b'), cron: '0 7 * * ? *' },
        ],
      }),
    ).toThrow(
      new RegExp(
        [
          'refreshSchedules\\[0\\]\\.artifact\\.target\\.cloneName: missing',
          'refreshSchedules\\[1\\]\\.artifact\\.source\\.clusterIdentifier: "billing-prod" is not one of allowedSources',
          'refreshSchedules\\[1\\]\\.cron: "every day" is not a cron expression',
          'refreshSchedules\\[1\\]\\.timezone: "Mars/Olympus" is not an IANA time zone',
          'refreshSchedules\\[3\\]: clone "dbaf-b" already has a refresh schedule',
        ].join('[\\s\\S]*'),
      ),
    );
  });

  it('sends the alarm to a new encrypted topic with an e-mail subscription', () => {
    const { factory, template } = teamStack({
      allowedSources: ['legacy-prod'],
      notificationEmail: 'dba@example.com',
    });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'dba@example.com',
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: logicalId(factory.notificationTopic as Topic) }],
    });
  });

  it('sends the alarm to an existing topic, creating none', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'TeamStack');
    const topic = Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111122223333:ops-alerts');
    new CloneFactory(stack, 'Clones', { allowedSources: ['legacy-prod'], notificationTopic: topic });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:111122223333:ops-alerts'],
    });
  });

  it('sends the expiry warnings to the new topic, which EventBridge may publish to and encrypt for', () => {
    const { factory, template } = teamStack({
      allowedSources: ['legacy-prod'],
      notificationEmail: 'dba@example.com',
    });
    const topic = { Ref: logicalId(factory.notificationTopic as Topic) };
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['db-artifact-factory'], 'detail-type': ['Clone Expiring'] },
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: topic,
          InputTransformer: {
            InputPathsMap: Match.objectLike({
              'detail-cloneId': '$.detail.cloneId',
              'detail-expiresAt': '$.detail.expiresAt',
              'detail-extendCommand': '$.detail.extendCommand',
            }),
            InputTemplate: Match.stringLikeRegexp(
              'Clone <detail-cloneId> .* expires at <detail-expiresAt> .* To keep it longer: <detail-extendCommand>',
            ),
          },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    // CloudWatch (the alarm) and EventBridge (the warnings) share one statement.
    expect(key?.Properties.KeyPolicy.Statement).toContainEqual({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
      Resource: '*',
    });
  });

  it('sends the expiry warnings to an existing topic too', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'TeamStack');
    const topic = Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111122223333:ops-alerts');
    new CloneFactory(stack, 'Clones', { allowedSources: ['legacy-prod'], notificationTopic: topic });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: 'arn:aws:sns:eu-west-1:111122223333:ops-alerts' })],
    });
  });

  it.each<[string, CloneFactoryProps]>([
    ['there is no notification topic', { allowedSources: ['legacy-prod'] }],
    [
      'the warnings are off',
      { allowedSources: ['legacy-prod'], notificationEmail: 'dba@example.com', expiryWarning: 'off' },
    ],
  ])('makes no expiry rule when %s', (_case, props) => {
    const { factory, template } = teamStack(props);
    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(factory.expiryNotifications).toBeUndefined();
  });

  it('refuses bad props before creating anything', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'TeamStack');
    expect(() => new CloneFactory(stack, 'Clones', { allowedSources: [] })).toThrow(
      /allowedSources is empty/,
    );
    expect(stack.node.tryFindChild('Clones')?.node.children).toEqual([]);
  });
});
