import { PutEventsCommand, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { eventBridge } from './clients/eventbridge.js';
import { type Config, EVENT_SOURCE } from './config.js';

/**
 * Sends one of the project's events on the deployment's bus (docs/events.md). Never give it a
 * password or a secret value: events are readable by anything subscribed to the bus.
 *
 * @returns the refused entry (with its `ErrorCode` and `ErrorMessage`) when EventBridge did not
 * accept the event, `undefined` when it did: the caller decides whether that matters
 */
export async function sendEvent(
  config: Config,
  detailType: string,
  detail: object,
): Promise<PutEventsResultEntry | undefined> {
  const { FailedEntryCount = 0, Entries = [] } = await eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: EVENT_SOURCE,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
          EventBusName: config.eventBusName,
        },
      ],
    }),
  );
  if (FailedEntryCount === 0) return undefined;
  return Entries.find((entry) => entry.ErrorCode !== undefined) ?? {};
}
