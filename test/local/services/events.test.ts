import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  PutEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsService, MAX_EVENTS } from '../../../local/services/events.js';
import { type Harness, hasCli, startHarness } from './support.js';

let h: Harness;
let events: EventBridgeClient;

beforeAll(async () => {
  h = await startHarness((context) => [eventsService(context)]);
  events = new EventBridgeClient(h.config);
});
afterAll(() => h.close());

const entry = { Source: 'db-artifact-factory', DetailType: 'Clone Ready', Detail: '{"cloneId":"c1"}' };

describe('EventBridge', () => {
  it('records the events PutEvents sends, as the handlers send them', async () => {
    const before = h.context.account.data.events.length;
    const result = await events.send(
      new PutEventsCommand({ Entries: [{ ...entry, EventBusName: 'default', Resources: ['arn:x'] }] }),
    );
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.context.account.data.events.slice(before)).toEqual([
      expect.objectContaining({
        id: result.Entries?.[0]?.EventId,
        bus: 'default',
        source: 'db-artifact-factory',
        detailType: 'Clone Ready',
        detail: '{"cloneId":"c1"}',
        resources: ['arn:x'],
      }),
    ]);
  });

  it.each([
    [{ ...entry, Detail: 'not json' }, 'MalformedDetail', 'Detail is malformed.'],
    [{ ...entry, Detail: '[1, 2]' }, 'MalformedDetail', 'Detail is malformed.'],
    [
      { ...entry, Source: undefined },
      'InvalidArgument',
      'Parameter Source is not valid. Reason: Source is a required argument.',
    ],
    [{ ...entry, EventBusName: 'nope' }, 'ResourceNotFoundException', 'Event bus nope does not exist.'],
  ])('reports the bad entry %j in Entries as %s, and accepts the good one', async (bad, code, message) => {
    const result = await events.send(new PutEventsCommand({ Entries: [entry, bad] }));
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.EventId).toBeDefined();
    expect(result.Entries?.[1]).toEqual({ ErrorCode: code, ErrorMessage: message });
  });

  it('refuses more than ten entries', async () => {
    const error = await events
      .send(new PutEventsCommand({ Entries: Array(11).fill(entry) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it(`keeps only the last ${MAX_EVENTS} events`, async () => {
    const { data } = h.context.account;
    data.events.push(
      ...(Array.from({ length: MAX_EVENTS }, (_, i) => ({ ...data.events[0], id: `old-${i}` })) as never[]),
    );
    await events.send(new PutEventsCommand({ Entries: [entry] }));
    expect(data.events).toHaveLength(MAX_EVENTS);
    expect(data.events.at(-1)?.detailType).toBe('Clone Ready');
  });

  it('describes and lists the default bus, and custom buses', async () => {
    await expect(events.send(new DescribeEventBusCommand({}))).resolves.toMatchObject({
      Name: 'default',
      Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
    });
    await events.send(new CreateEventBusCommand({ Name: 'dbaf' }));
    await expect(events.send(new CreateEventBusCommand({ Name: 'dbaf' }))).rejects.toBeInstanceOf(
      ResourceAlreadyExistsException,
    );
    const { EventBuses = [] } = await events.send(new ListEventBusesCommand({}));
    expect(EventBuses.map((b) => b.Name)).toEqual(['default', 'dbaf']);
    await expect(events.send(new DescribeEventBusCommand({ Name: 'other' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const result = await events.send(new PutEventsCommand({ Entries: [{ ...entry, EventBusName: 'dbaf' }] }));
    expect(result.FailedEntryCount).toBe(0);
  });
});

describe.skipIf(!hasCli)('the AWS CLI', () => {
  it('puts an event', async () => {
    const result = (await h.cli(
      'events',
      'put-events',
      '--entries',
      JSON.stringify([{ Source: 'cli', DetailType: 'Test', Detail: '{"a":1}' }]),
    )) as { FailedEntryCount: number };
    expect(result.FailedEntryCount).toBe(0);
    expect(h.context.account.data.events.at(-1)).toMatchObject({ source: 'cli', detail: '{"a":1}' });
  });
});
