import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  type ListSchedulesCommandInput,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  SchedulerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleRecord } from '../../../local/core/state.js';
import { type SchedulerService, schedulerService } from '../../../local/services/scheduler.js';
import { eventually, type Harness, hasCli, startHarness } from './support.js';

// One AWS minute is 60 real ms at this scale.
const SCALE = 0.001;
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:dbaf-teardown';
const ROLE = 'arn:aws:iam::000000000000:role/dbaf-scheduler';

let h: Harness;
let service: SchedulerService;
let scheduler: SchedulerClient;
let counter = 0;

beforeAll(async () => {
  h = await startHarness(
    (context) => {
      service = schedulerService(context);
      return [service];
    },
    { scale: SCALE },
  );
  scheduler = new SchedulerClient(h.config);
  await scheduler.send(
    new CreateScheduleGroupCommand({ Name: 'dbaf', Tags: [{ Key: 'team', Value: 'data' }] }),
  );
});
afterAll(() => h.close());
beforeEach(() => {
  h.context.started.length = 0;
});

/** `at()` of the UTC time `awsSeconds` of AWS time from now. */
function atIn(awsSeconds: number): string {
  return `at(${new Date(Date.now() + awsSeconds * 1000).toISOString().slice(0, 19)})`;
}

/** A schedule as the schedule-ttl-deletion handler writes it, with a fresh name. */
function schedule(overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  counter += 1;
  return {
    Name: `clone-${counter}`,
    GroupName: 'dbaf',
    ScheduleExpression: atIn(120),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Description: 'delete a clone at its TTL',
    Target: { Arn: MACHINE, RoleArn: ROLE, Input: JSON.stringify({ cloneId: `clone-${counter}` }) },
    ...overrides,
  };
}

const firings = (name: string) => h.context.started.filter((s) => s.input.includes(`"${name}"`)).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('schedules fire', () => {
  it('fires a one-time at() schedule at its time with the target Input, then deletes it (ActionAfterCompletion DELETE)', async () => {
    const input = schedule({ ScheduleExpression: atIn(300) });
    const created = Date.now();
    await scheduler.send(new CreateScheduleCommand(input));
    expect(h.context.started).toEqual([]);
    await eventually(() => h.context.started.length === 1);
    // 300 AWS seconds are 300 real ms; at() has one-second precision.
    expect(Date.now() - created).toBeGreaterThanOrEqual(180);
    expect(h.context.started[0]).toMatchObject({ stateMachineArn: MACHINE, input: input.Target?.Input });
    await eventually(() => !h.context.account.data.schedules[`dbaf/${input.Name}`]);
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: input.Name, GroupName: 'dbaf' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(h.context.lines).toContain(
      `scheduler: dbaf/${input.Name} completed and deleted (ActionAfterCompletion DELETE)`,
    );
    expect(h.context.lines.some((l) => l.startsWith(`scheduler: dbaf/${input.Name} fired: started`))).toBe(
      true,
    );
  });

  it('keeps a fired one-time schedule with ActionAfterCompletion NONE, and fires it only once', async () => {
    const input = schedule({ ScheduleExpression: atIn(30), ActionAfterCompletion: 'NONE' });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(() => firings(input.Name ?? '') === 1);
    await sleep(100);
    expect(firings(input.Name ?? '')).toBe(1);
    const kept = await scheduler.send(new GetScheduleCommand({ Name: input.Name, GroupName: 'dbaf' }));
    expect(kept.State).toBe('ENABLED');
  });

  it('fires an at() time already past at once', async () => {
    const input = schedule({ ScheduleExpression: atIn(-3600) });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(() => firings(input.Name ?? '') === 1, 500);
  });

  it('reads an at() time in the schedule time zone', async () => {
    // 90 AWS seconds from now, written as Tokyo wall-clock time.
    const tokyo = new Date(Date.now() + 90_000 + 9 * 3600_000).toISOString().slice(0, 19);
    const input = schedule({ ScheduleExpression: `at(${tokyo})`, ScheduleExpressionTimezone: 'Asia/Tokyo' });
    await scheduler.send(new CreateScheduleCommand(input));
    expect(firings(input.Name ?? '')).toBe(0);
    await eventually(() => firings(input.Name ?? '') === 1, 1000);
  });

  it('fires rate() at once and then repeatedly, until deleted', async () => {
    const input = schedule({ ScheduleExpression: 'rate(1 minute)', ActionAfterCompletion: 'NONE' });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(() => firings(input.Name ?? '') >= 3, 1000);
    await scheduler.send(new DeleteScheduleCommand({ Name: input.Name, GroupName: 'dbaf' }));
    const count = firings(input.Name ?? '');
    await sleep(150);
    expect(firings(input.Name ?? '')).toBe(count);
  });

  it('fires cron() on its occurrences', async () => {
    const input = schedule({ ScheduleExpression: 'cron(* * * * ? *)', ActionAfterCompletion: 'NONE' });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(() => firings(input.Name ?? '') >= 2, 1000);
    await scheduler.send(new DeleteScheduleCommand({ Name: input.Name, GroupName: 'dbaf' }));
  });

  it('stops a rate() schedule at its EndDate, then deletes it (DELETE)', async () => {
    const input = schedule({ ScheduleExpression: 'rate(1 minute)', EndDate: new Date(Date.now() + 150_000) });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(() => !h.context.account.data.schedules[`dbaf/${input.Name}`], 1000);
    // Occurrences at 0, 60 and 120 AWS seconds: the EndDate is at 150.
    expect(firings(input.Name ?? '')).toBe(3);
  });

  it('does not fire a DISABLED schedule, and fires it once enabled by UpdateSchedule', async () => {
    const input = schedule({ ScheduleExpression: atIn(30), State: 'DISABLED' });
    await scheduler.send(new CreateScheduleCommand(input));
    await sleep(120);
    expect(firings(input.Name ?? '')).toBe(0);
    await scheduler.send(new UpdateScheduleCommand({ ...input, State: 'ENABLED' }));
    await eventually(() => firings(input.Name ?? '') === 1, 500);
  });

  it('re-arms an updated schedule: only the new time fires', async () => {
    const input = schedule({ ScheduleExpression: atIn(100) });
    await scheduler.send(new CreateScheduleCommand(input));
    await scheduler.send(new UpdateScheduleCommand({ ...input, ScheduleExpression: atIn(3600) }));
    await sleep(250);
    expect(firings(input.Name ?? '')).toBe(0);
    await scheduler.send(new UpdateScheduleCommand({ ...input, ScheduleExpression: atIn(10) }));
    await eventually(() => firings(input.Name ?? '') === 1, 500);
  });

  it('retries a failed StartExecution, and logs every attempt', async () => {
    const retrying = await startHarness(
      (context) => {
        const s = schedulerService(context);
        return [s];
      },
      { scale: SCALE, failStarts: 2 },
    );
    const client = new SchedulerClient(retrying.config);
    const input = schedule({ GroupName: 'default', ScheduleExpression: atIn(-1) });
    await client.send(new CreateScheduleCommand(input));
    await eventually(() => retrying.context.started.length === 1, 1000);
    const attempts = retrying.context.lines.filter((l) =>
      l.includes('StartExecution failed (ThrottlingException'),
    );
    expect(attempts).toHaveLength(2);
    await retrying.close();
  });

  it('logs, and does not invoke, a target that is not a state machine', async () => {
    const input = schedule({
      ScheduleExpression: atIn(-1),
      Target: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', RoleArn: ROLE },
    });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(
      () => h.context.lines.some((l) => l.includes(`dbaf/${input.Name} fired, but its target`)),
      500,
    );
    expect(h.context.started).toEqual([]);
  });

  it('puts an event on the bus for an EventBridge target: its parameters and Input, as PutEvents would', async () => {
    const before = h.context.account.data.events.length;
    const detail = JSON.stringify({ cloneId: 'dbaf-x', expiresAt: '2026-11-21T18:00:00Z' });
    const input = schedule({
      ScheduleExpression: atIn(60),
      Target: {
        Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
        RoleArn: ROLE,
        EventBridgeParameters: { Source: 'db-artifact-factory', DetailType: 'Clone Expiring' },
        Input: detail,
      },
    });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(() => h.context.account.data.events.length > before);
    expect(h.context.account.data.events.slice(before)).toEqual([
      expect.objectContaining({
        bus: 'default',
        source: 'db-artifact-factory',
        detailType: 'Clone Expiring',
        detail,
      }),
    ]);
    expect(h.context.started).toEqual([]);
    await eventually(() => !h.context.account.data.schedules[`dbaf/${input.Name}`]);
  });

  it('logs an event the bus refuses (a bus that does not exist), and goes on', async () => {
    const input = schedule({
      ScheduleExpression: atIn(-1),
      Target: {
        Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/nope',
        RoleArn: ROLE,
        EventBridgeParameters: { Source: 'db-artifact-factory', DetailType: 'Clone Expiring' },
        Input: '{}',
      },
    });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(() =>
      h.context.lines.some((l) =>
        l.includes(`dbaf/${input.Name} fired, but PutEvents refused the event (ResourceNotFoundException`),
      ),
    );
  });

  it('refuses an EventBridge target without its EventBridgeParameters', async () => {
    const input = schedule({
      Target: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default', RoleArn: ROLE, Input: '{}' },
    });
    await expect(scheduler.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });

  it('rearms saved schedules: a due one-time schedule fires, a fired one does not', async () => {
    const { schedules } = h.context.account.data;
    const saved = (name: string, firedAt?: string): ScheduleRecord => ({
      name,
      groupName: 'dbaf',
      arn: `arn:aws:scheduler:us-east-1:000000000000:schedule/dbaf/${name}`,
      expression: atIn(-60),
      state: 'ENABLED',
      flexibleTimeWindow: { Mode: 'OFF' },
      target: { Arn: MACHINE, RoleArn: ROLE, Input: `{"cloneId":"${name}"}` },
      actionAfterCompletion: 'NONE',
      createdAt: new Date().toISOString(),
      modifiedAt: new Date().toISOString(),
      ...(firedAt ? { firedAt } : {}),
    });
    schedules['dbaf/saved-due'] = saved('saved-due');
    schedules['dbaf/saved-fired'] = saved('saved-fired', new Date().toISOString());
    service.rearm();
    await eventually(() => firings('saved-due') === 1, 500);
    await sleep(50);
    expect(firings('saved-fired')).toBe(0);
  });

  it('stops every timer on stop()', async () => {
    const input = schedule({ ScheduleExpression: 'rate(1 minute)', ActionAfterCompletion: 'NONE' });
    await scheduler.send(new CreateScheduleCommand(input));
    await eventually(() => firings(input.Name ?? '') >= 1, 500);
    service.stop();
    const count = firings(input.Name ?? '');
    await sleep(150);
    expect(firings(input.Name ?? '')).toBe(count);
    service.rearm();
    await scheduler.send(new DeleteScheduleCommand({ Name: input.Name, GroupName: 'dbaf' }));
  });
});

describe('the Scheduler API', () => {
  it('returns a schedule as it was written, with the default retry policy', async () => {
    const input = schedule({ ScheduleExpression: atIn(86_400) });
    const { ScheduleArn } = await scheduler.send(new CreateScheduleCommand(input));
    expect(ScheduleArn).toBe(`arn:aws:scheduler:us-east-1:000000000000:schedule/dbaf/${input.Name}`);
    const got = await scheduler.send(new GetScheduleCommand({ Name: input.Name, GroupName: 'dbaf' }));
    expect(got).toMatchObject({
      Arn: ScheduleArn,
      Name: input.Name,
      GroupName: 'dbaf',
      ScheduleExpression: input.ScheduleExpression,
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: 'delete a clone at its TTL',
      Target: {
        ...input.Target,
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
      },
    });
    expect(got.CreationDate).toBeInstanceOf(Date);
  });

  it('refuses a second schedule of the same name with ConflictException, as the handler expects', async () => {
    const input = schedule({ ScheduleExpression: atIn(86_400) });
    await scheduler.send(new CreateScheduleCommand(input));
    await expect(scheduler.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(ConflictException);
  });

  it('answers ResourceNotFoundException for a missing schedule or group', async () => {
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: 'nope', GroupName: 'dbaf' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      scheduler.send(new DeleteScheduleCommand({ Name: 'nope', GroupName: 'dbaf' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      scheduler.send(new UpdateScheduleCommand(schedule({ Name: 'nope' }))),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const missingGroup = await scheduler
      .send(new CreateScheduleCommand(schedule({ GroupName: 'nope' })))
      .catch((e) => e);
    expect(missingGroup).toBeInstanceOf(ResourceNotFoundException);
    expect(missingGroup.message).toBe('Schedule group nope does not exist.');
  });

  it.each<[string, Partial<CreateScheduleCommandInput>]>([
    ['a bad expression', { ScheduleExpression: 'rate(5 weeks)' }],
    ['cron with both days', { ScheduleExpression: 'cron(0 12 * * * *)' }],
    ['no FlexibleTimeWindow', { FlexibleTimeWindow: undefined }],
    ['FLEXIBLE without a window', { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }],
    ['no Target.RoleArn', { Target: { Arn: MACHINE, RoleArn: undefined } }],
    ['an unknown time zone', { ScheduleExpressionTimezone: 'Mars/Olympus' }],
    ['a bad State', { State: 'PAUSED' as never }],
    [
      'a StartDate an hour ago',
      { ScheduleExpression: 'rate(1 hour)', StartDate: new Date(Date.now() - 3600_000) },
    ],
    ['an EndDate past', { ScheduleExpression: 'rate(1 hour)', EndDate: new Date(Date.now() - 1000) }],
    ['a bad name', { Name: 'no spaces' }],
  ])('refuses %s with ValidationException', async (_, overrides) => {
    await expect(scheduler.send(new CreateScheduleCommand(schedule(overrides)))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });

  it.each([
    [
      'rate(5 weeks)',
      {},
      'Invalid Schedule Expression rate(5 weeks): the unit is minute(s), hour(s) or day(s)',
    ],
    [
      'cron(0 12 * * * *)',
      {},
      'Invalid Schedule Expression cron(0 12 * * * *): give either the day-of-month or the day-of-week, and ? in the other',
    ],
    [
      'rate(1 hour)',
      { ScheduleExpressionTimezone: 'Mars/Olympus' },
      'Invalid ScheduleExpressionTimezone: Mars/Olympus is not a time zone.',
    ],
  ])('answers %s with the ValidationException message Scheduler gives', async (expression, extra, message) => {
    const refused = await scheduler
      .send(new CreateScheduleCommand(schedule({ ScheduleExpression: expression, ...extra })))
      .catch((e) => e);
    expect(refused).toBeInstanceOf(ValidationException);
    expect(refused.message).toBe(message);
  });

  it('lists schedules by group, name prefix and state', async () => {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'listing' }));
    for (const [name, state] of [
      ['a-1', 'ENABLED'],
      ['a-2', 'DISABLED'],
      ['b-1', 'ENABLED'],
    ] as const) {
      await scheduler.send(
        new CreateScheduleCommand(
          schedule({ Name: name, GroupName: 'listing', State: state, ScheduleExpression: atIn(86_400) }),
        ),
      );
    }
    const names = async (input: ListSchedulesCommandInput) =>
      ((await scheduler.send(new ListSchedulesCommand(input))).Schedules ?? []).map((s) => s.Name);
    expect(await names({ GroupName: 'listing' })).toEqual(['a-1', 'a-2', 'b-1']);
    expect(await names({ GroupName: 'listing', NamePrefix: 'a-' })).toEqual(['a-1', 'a-2']);
    expect(await names({ GroupName: 'listing', State: 'DISABLED' })).toEqual(['a-2']);
    const page = await scheduler.send(new ListSchedulesCommand({ GroupName: 'listing', MaxResults: 2 }));
    expect(page.Schedules?.[0]).toMatchObject({ GroupName: 'listing', Target: { Arn: MACHINE } });
    const rest = await scheduler.send(
      new ListSchedulesCommand({ GroupName: 'listing', NextToken: page.NextToken }),
    );
    expect(rest.Schedules?.map((s) => s.Name)).toEqual(['b-1']);
  });

  it('manages groups: default always exists and stays, deleting a group deletes its schedules', async () => {
    await expect(scheduler.send(new GetScheduleGroupCommand({ Name: 'default' }))).resolves.toMatchObject({
      Name: 'default',
      State: 'ACTIVE',
    });
    await expect(scheduler.send(new CreateScheduleGroupCommand({ Name: 'dbaf' }))).rejects.toBeInstanceOf(
      ConflictException,
    );
    await expect(scheduler.send(new DeleteScheduleGroupCommand({ Name: 'default' }))).rejects.toBeInstanceOf(
      ValidationException,
    );
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'doomed' }));
    const input = schedule({ GroupName: 'doomed', ScheduleExpression: 'rate(1 minute)' });
    await scheduler.send(new CreateScheduleCommand(input));
    await scheduler.send(new DeleteScheduleGroupCommand({ Name: 'doomed' }));
    await expect(scheduler.send(new GetScheduleGroupCommand({ Name: 'doomed' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(h.context.account.data.schedules[`doomed/${input.Name}`]).toBeUndefined();
    const count = firings(input.Name ?? '');
    await sleep(150);
    expect(firings(input.Name ?? '')).toBe(count);
    const { ScheduleGroups = [] } = await scheduler.send(new ListScheduleGroupsCommand({}));
    expect(ScheduleGroups[0]?.Name).toBe('default');
  });

  it('tags schedule groups', async () => {
    const { Arn } = await scheduler.send(new GetScheduleGroupCommand({ Name: 'dbaf' }));
    await scheduler.send(
      new TagResourceCommand({ ResourceArn: Arn, Tags: [{ Key: 'env', Value: 'local' }] }),
    );
    await scheduler.send(new UntagResourceCommand({ ResourceArn: Arn, TagKeys: ['team'] }));
    const { Tags } = await scheduler.send(new ListTagsForResourceCommand({ ResourceArn: Arn }));
    expect(Tags).toEqual([{ Key: 'env', Value: 'local' }]);
  });
});

describe.skipIf(!hasCli)('the AWS CLI', () => {
  it('creates a schedule that fires, and reads it back', async () => {
    h.context.started.length = 0;
    await h.cli(
      'scheduler',
      'create-schedule',
      '--name',
      'cli-schedule',
      '--group-name',
      'dbaf',
      '--schedule-expression',
      atIn(86_400),
      '--flexible-time-window',
      'Mode=OFF',
      '--target',
      JSON.stringify({ Arn: MACHINE, RoleArn: ROLE, Input: '{"cloneId":"cli"}' }),
    );
    const got = (await h.cli(
      'scheduler',
      'get-schedule',
      '--name',
      'cli-schedule',
      '--group-name',
      'dbaf',
    )) as {
      Target: { Arn: string };
      State: string;
    };
    expect(got).toMatchObject({ State: 'ENABLED', Target: { Arn: MACHINE } });
    await h.cli('scheduler', 'delete-schedule', '--name', 'cli-schedule', '--group-name', 'dbaf');
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: 'cli-schedule', GroupName: 'dbaf' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
