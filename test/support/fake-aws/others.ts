import * as ec2Sdk from '@aws-sdk/client-ec2';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import * as schedulerSdk from '@aws-sdk/client-scheduler';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerServiceException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import * as secretsSdk from '@aws-sdk/client-secrets-manager';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerServiceException,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { EC2_ERRORS } from '../../../functions/shared/aws/ec2.js';
import type { AwsRefusal } from '../../../functions/shared/aws/refusal.js';
import {
  DEFAULT_SCHEDULE_GROUP,
  SCHEDULER_ERRORS,
  scheduleNameRefusal,
} from '../../../functions/shared/aws/scheduler.js';
import { SECRETS_ERRORS, secretNameRefusal } from '../../../functions/shared/aws/secrets-manager.js';
import { toTags } from '../../../functions/shared/aws/tags.js';
import { binder, type Guard, type Stub, sdkError } from './bind.js';
import {
  ACCOUNT,
  type FakeSchedule,
  type FakeSecret,
  type FakeState,
  mergeTags,
  REGION,
  SUBNETS,
} from './state.js';

/** One of AWS's refusals (`functions/shared/aws/`), as each SDK client raises it. */
const ec2Error = (refusal: AwsRefusal) => sdkError(ec2Sdk, EC2ServiceException, refusal);
const secretsError = (refusal: AwsRefusal) => sdkError(secretsSdk, SecretsManagerServiceException, refusal);
const schedulerError = (refusal: AwsRefusal) => sdkError(schedulerSdk, SchedulerServiceException, refusal);

/** EC2: subnets of the fake region and security groups. */
export function fakeEc2(mock: Stub, state: FakeState, guard: Guard) {
  const on = binder(mock, guard);
  on(DescribeSubnetsCommand, (input) => {
    const ids = input.Filters?.find((f) => f.Name === 'subnet-id')?.Values ?? input.SubnetIds ?? [];
    return { Subnets: SUBNETS.filter((s) => ids.includes(s.SubnetId)).map((s) => ({ ...s })) };
  });
  on(DescribeSecurityGroupsCommand, (input) => {
    let groups = [...state.securityGroups.values()];
    for (const filter of input.Filters ?? []) {
      const values = filter.Values ?? [];
      groups = groups.filter((g) => {
        if (filter.Name === 'group-id') return values.includes(g.id);
        if (filter.Name === 'group-name') return values.includes(g.name);
        if (filter.Name === 'vpc-id') return values.includes(g.vpcId);
        if (filter.Name?.startsWith('tag:')) {
          const key = filter.Name.slice(4);
          return g.tags.some((t) => t.Key === key && values.includes(t.Value));
        }
        throw new Error(`fake EC2 does not support the filter ${filter.Name}`);
      });
    }
    if (input.GroupIds?.length) groups = groups.filter((g) => input.GroupIds?.includes(g.id));
    return {
      SecurityGroups: groups.map((g) => ({ GroupId: g.id, GroupName: g.name, VpcId: g.vpcId, Tags: g.tags })),
    };
  });
  on(CreateSecurityGroupCommand, (input) => {
    const duplicate = [...state.securityGroups.values()].find(
      (g) => g.name === input.GroupName && g.vpcId === input.VpcId,
    );
    if (duplicate) throw ec2Error(EC2_ERRORS.groupDuplicate(duplicate.name, duplicate.vpcId));
    const id = state.id('sg');
    const tags = (input.TagSpecifications ?? []).flatMap((spec) => spec.Tags ?? []);
    state.securityGroups.set(id, {
      id,
      name: input.GroupName ?? '',
      vpcId: input.VpcId ?? '',
      tags: toTags(tags),
      ingress: [],
    });
    return { GroupId: id };
  });
  on(AuthorizeSecurityGroupIngressCommand, (input) => {
    const group = state.securityGroups.get(input.GroupId ?? '');
    if (!group) throw ec2Error(EC2_ERRORS.groupNotFound(input.GroupId ?? ''));
    if (group.ingress.length > 0)
      throw ec2Error({ name: 'InvalidPermission.Duplicate', message: 'the specified rule already exists' });
    group.ingress.push(...(input.IpPermissions ?? []));
    return { Return: true };
  });
  on(CreateTagsCommand, (input) => {
    // Every id is checked before any is tagged, as EC2 does.
    const groups = (input.Resources ?? []).map((id) => {
      const group = state.securityGroups.get(id);
      if (!group) throw ec2Error(EC2_ERRORS.groupNotFound(id));
      return group;
    });
    for (const group of groups) group.tags = mergeTags(group.tags, input.Tags);
    return {};
  });
  on(DeleteSecurityGroupCommand, (input) => {
    const id = input.GroupId ?? '';
    if (!state.securityGroups.has(id)) throw ec2Error(EC2_ERRORS.groupNotFound(id));
    if ([...state.clusters.values()].some((c) => c.securityGroupIds.includes(id)))
      throw ec2Error(EC2_ERRORS.dependencyViolation(id));
    state.securityGroups.delete(id);
    return {};
  });
  return mock;
}

/** Secrets Manager: name → value, with tags. */
export function fakeSecrets(mock: Stub, state: FakeState, guard: Guard) {
  const on = binder(mock, guard);
  const find = (id: string | undefined) => {
    const secret = [...state.secrets.values()].find((s) => s.name === id || s.arn === id);
    if (!secret) throw secretsError(SECRETS_ERRORS.notFound());
    return secret;
  };
  on(CreateSecretCommand, (input) => {
    const name = input.Name ?? '';
    const refusal = secretNameRefusal(name);
    if (refusal) throw secretsError(refusal);
    if (state.secrets.has(name)) throw secretsError(SECRETS_ERRORS.alreadyExists(name));
    // The ARN ends in a hyphen and six random characters, as Secrets Manager's do.
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
    state.secrets.set(name, { arn, name, secretString: input.SecretString ?? '', tags: toTags(input.Tags) });
    return { ARN: arn, Name: name };
  });
  on(PutSecretValueCommand, (input) => {
    const secret = find(input.SecretId);
    secret.secretString = input.SecretString ?? '';
    return { ARN: secret.arn, Name: secret.name };
  });
  on(GetSecretValueCommand, (input) => {
    const secret = find(input.SecretId);
    return {
      ARN: secret.arn,
      Name: secret.name,
      SecretString: secret.secretString,
      VersionStages: ['AWSCURRENT'],
    };
  });
  on(TagResourceCommand, (input) => {
    const secret = find(input.SecretId);
    secret.tags = mergeTags(secret.tags, input.Tags);
    return {};
  });
  on(DescribeSecretCommand, (input) => {
    const secret = find(input.SecretId);
    return { ARN: secret.arn, Name: secret.name, Tags: secret.tags };
  });
  on(DeleteSecretCommand, (input) => {
    const secret = find(input.SecretId);
    state.secrets.delete(secret.name);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date() };
  });
  on(ListSecretsCommand, (input) => {
    // Filters as AWS reads them: keys ANDed, values ORed, each a prefix match.
    const matches = (secret: FakeSecret, key: string | undefined, value: string) => {
      if (key === 'name') return secret.name.startsWith(value);
      if (key === 'tag-key') return secret.tags.some((t) => t.Key.startsWith(value));
      if (key === 'tag-value') return secret.tags.some((t) => t.Value.startsWith(value));
      throw new Error(`fake Secrets Manager does not support the filter ${key}`);
    };
    const list = [...state.secrets.values()].filter((secret) =>
      (input.Filters ?? []).every((f) => (f.Values ?? []).some((v) => matches(secret, f.Key, v))),
    );
    return { SecretList: list.map((s) => ({ ARN: s.arn, Name: s.name, Tags: s.tags })) };
  });
  return mock;
}

/** EventBridge Scheduler: schedules by group and name (they fire only when a test says so). */
export function fakeScheduler(mock: Stub, state: FakeState, guard: Guard) {
  const on = binder(mock, guard);
  const key = (group: string | undefined, name: string | undefined) =>
    `${group ?? DEFAULT_SCHEDULE_GROUP}/${name}`;
  const notFound = (name: string | undefined) => schedulerError(SCHEDULER_ERRORS.notFound(String(name)));
  // Every schedule request names a group the account has (the default one when it names none).
  const groupOf = (name: string | undefined) => {
    const group = name ?? DEFAULT_SCHEDULE_GROUP;
    if (!state.scheduleGroups.has(group)) throw schedulerError(SCHEDULER_ERRORS.groupNotFound(group));
    return group;
  };
  const write = (input: {
    Name?: string;
    GroupName?: string;
    ScheduleExpression?: string;
    Target?: FakeSchedule['target'];
    ActionAfterCompletion?: FakeSchedule['actionAfterCompletion'];
  }) => {
    const refusal = scheduleNameRefusal(input.Name ?? '');
    if (refusal) throw schedulerError(refusal);
    const group = groupOf(input.GroupName);
    const schedule: FakeSchedule = {
      name: input.Name ?? '',
      groupName: group,
      arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${input.Name}`,
      expression: input.ScheduleExpression ?? '',
      target: { ...input.Target },
      actionAfterCompletion: input.ActionAfterCompletion,
    };
    state.schedules.set(key(input.GroupName, input.Name), schedule);
    return { ScheduleArn: schedule.arn };
  };
  on(CreateScheduleCommand, (input) => {
    groupOf(input.GroupName);
    if (state.schedules.has(key(input.GroupName, input.Name)))
      throw schedulerError(SCHEDULER_ERRORS.alreadyExists(String(input.Name)));
    return write(input);
  });
  on(UpdateScheduleCommand, (input) => {
    groupOf(input.GroupName);
    if (!state.schedules.has(key(input.GroupName, input.Name))) throw notFound(input.Name);
    return write(input);
  });
  on(GetScheduleCommand, (input) => {
    groupOf(input.GroupName);
    const schedule = state.schedules.get(key(input.GroupName, input.Name));
    if (!schedule) throw notFound(input.Name);
    return {
      Name: schedule.name,
      GroupName: schedule.groupName,
      Arn: schedule.arn,
      ScheduleExpression: schedule.expression,
      Target: schedule.target,
      ActionAfterCompletion: schedule.actionAfterCompletion,
    };
  });
  on(ListSchedulesCommand, (input) => {
    if (input.GroupName !== undefined) groupOf(input.GroupName);
    return {
      Schedules: [...state.schedules.values()]
        .filter((s) => input.GroupName === undefined || s.groupName === input.GroupName)
        .filter((s) => s.name.startsWith(input.NamePrefix ?? ''))
        .map((s) => ({ Name: s.name, GroupName: s.groupName, Arn: s.arn, Target: { Arn: s.target.Arn } })),
    };
  });
  on(DeleteScheduleCommand, (input) => {
    groupOf(input.GroupName);
    if (!state.schedules.delete(key(input.GroupName, input.Name))) throw notFound(input.Name);
    return {};
  });
  return mock;
}

/** EventBridge PutEvents: events are recorded. */
export function fakeEvents(mock: Stub, state: FakeState, guard: Guard) {
  const on = binder(mock, guard);
  on(PutEventsCommand, (input) => {
    state.events.push(...(input.Entries ?? []));
    return { FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `event-${i}` })) };
  });
  return mock;
}
