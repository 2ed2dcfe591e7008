import { randomUUID } from 'node:crypto';
import * as sdk from '@aws-sdk/client-eventbridge';
import {
  type CreateEventBusRequest,
  type DeleteEventBusRequest,
  type DescribeEventBusRequest,
  type EventBus,
  type ListEventBusesRequest,
  type PutEventsRequest,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { AwsError } from '../core/errors.js';
import { bindOperations, type ServiceContext, type ServiceDefinition } from '../core/service.js';
import type { Account, EventRecord } from '../core/state.js';

const meta = { $metadata: {} };

/** How many events the account keeps (the oldest are dropped). */
export const MAX_EVENTS = 10_000;
/** PutEvents takes at most 10 entries. */
const MAX_ENTRIES = 10;
const DEFAULT_BUS = 'default';

/** A bus name from a name or an event-bus ARN. */
function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return DEFAULT_BUS;
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split(':event-bus/')[1] ?? nameOrArn) : nameOrArn;
}

function busView(account: Account, name: string): EventBus {
  const bus = account.data.eventBuses[name];
  return {
    Name: name,
    Arn: account.arn('events', `event-bus/${name}`),
    Description: bus?.description,
    CreationTime: bus ? new Date(bus.createdAt) : undefined,
    LastModifiedTime: bus ? new Date(bus.createdAt) : undefined,
  };
}

/** PutEvents' answer for one entry: an event id, or the error AWS reports in its place. */
function checkEntry(account: Account, entry: PutEventsRequestEntry): PutEventsResultEntry | undefined {
  const invalid = (name: string) => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
  });
  if (!entry.Source) return invalid('Source');
  if (!entry.DetailType) return invalid('DetailType');
  if (!entry.Detail) return invalid('Detail');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  const bus = busName(entry.EventBusName);
  if (bus !== DEFAULT_BUS && !account.data.eventBuses[bus]) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
  }
  return undefined;
}

/**
 * Records one event as PutEvents does, and answers for it: its event id, or the error AWS reports
 * in its place. EventBridge Scheduler's PutEvents targets deliver through here too.
 */
export function putEvent(context: ServiceContext, entry: PutEventsRequestEntry): PutEventsResultEntry {
  const { account } = context;
  const error = checkEntry(account, entry);
  if (error) return error;
  const event: EventRecord = {
    id: randomUUID(),
    time: (entry.Time ?? new Date()).toISOString(),
    bus: busName(entry.EventBusName),
    source: entry.Source ?? '',
    detailType: entry.DetailType ?? '',
    detail: entry.Detail ?? '{}',
    resources: entry.Resources ?? [],
  };
  const { events } = account.data;
  events.push(event);
  if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
  context.log(`events: ${event.source} "${event.detailType}" on ${event.bus} (${event.id})`);
  return { EventId: event.id };
}

/** PutEvents: up to 10 entries, each recorded or refused on its own. */
export function putEvents(context: ServiceContext, input: PutEventsRequest) {
  const entries = input.Entries ?? [];
  if (entries.length === 0 || entries.length > MAX_ENTRIES) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
    );
  }
  const results = entries.map((entry) => putEvent(context, entry));
  return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
}

/** DescribeEventBus: `default` or a bus created. */
export function describeEventBus(context: ServiceContext, input: DescribeEventBusRequest) {
  const { account } = context;
  const name = busName(input.Name);
  if (name !== DEFAULT_BUS && !account.data.eventBuses[name]) {
    throw new ResourceNotFoundException({ message: `Event bus ${name} does not exist.`, ...meta });
  }
  return busView(account, name);
}

/** ListEventBuses: `default` first, then by name, paged by Limit. */
export function listEventBuses(context: ServiceContext, input: ListEventBusesRequest) {
  const { account } = context;
  const names = [DEFAULT_BUS, ...Object.keys(account.data.eventBuses).sort()].filter((n) =>
    n.startsWith(input.NamePrefix ?? ''),
  );
  const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
  const end = input.Limit ? start + input.Limit : names.length;
  return {
    EventBuses: names.slice(start, end).map((n) => busView(account, n)),
    NextToken: end < names.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}

/** CreateEventBus: a custom bus of a new name. */
export function createEventBus(context: ServiceContext, input: CreateEventBusRequest) {
  const { account } = context;
  const name = input.Name ?? '';
  if (!/^[/.\-_A-Za-z0-9]{1,256}$/.test(name)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+`,
    );
  }
  if (name === DEFAULT_BUS || account.data.eventBuses[name]) {
    throw new ResourceAlreadyExistsException({ message: `Event bus ${name} already exists.`, ...meta });
  }
  account.data.eventBuses[name] = {
    name,
    arn: account.arn('events', `event-bus/${name}`),
    description: input.Description,
    createdAt: new Date().toISOString(),
  };
  return { EventBusArn: account.arn('events', `event-bus/${name}`), Description: input.Description };
}

/** DeleteEventBus: any bus but `default`; one that does not exist is no error. */
export function deleteEventBus(context: ServiceContext, input: DeleteEventBusRequest) {
  const name = busName(input.Name);
  if (name === DEFAULT_BUS) throw new AwsError('ValidationException', 'Cannot delete event bus default.');
  delete context.account.data.eventBuses[name];
  return {};
}

/**
 * Amazon EventBridge (awsJson1.1): PutEvents records events in the account (the last
 * {@link MAX_EVENTS}); the `default` bus always exists and custom buses can be created.
 * Rules and targets are not modelled: nothing is delivered anywhere.
 */
export function eventsService(context: ServiceContext): ServiceDefinition {
  return {
    id: 'events',
    protocol: 'json1.1',
    sdk,
    targetPrefix: 'AWSEvents',
    operations: bindOperations(context, {
      PutEvents: putEvents,
      DescribeEventBus: describeEventBus,
      ListEventBuses: listEventBuses,
      CreateEventBus: createEventBus,
      DeleteEventBus: deleteEventBus,
    }),
  };
}
