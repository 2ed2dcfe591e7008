import { readFileSync } from 'node:fs';
import { GetScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandInProcess } from '../../cli/launcher.js';
import type { CloneReady } from '../../functions/publish-endpoint/handler.js';
import type { CloneExpiring } from '../../functions/shared/warning.js';
import { managedLeftovers } from './leftovers.js';
import {
  control,
  E2E_TIME_SCALE,
  eventually,
  finished,
  SFNClient,
  sdkConfig,
  startStandIn,
} from './support.js';

const artifact = JSON.parse(readFileSync('examples/artifact.json', 'utf8'));
const CLONE = 'dbaf-expiry-warned';

/** An event as the stand-in's `GET /_dbaf/events` returns it. */
interface RecordedEvent {
  readonly id: string;
  readonly time: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: { readonly cloneId?: string; readonly reason?: string } & Record<string, unknown>;
}

/**
 * The expiry warning in the stand-in: a clone with the shortest TTL (30 minutes, 9 s at the e2e
 * time scale) and a 10-minute warning gets its `Clone Expiring` event from its warning schedule,
 * then is deleted by its TTL schedule. No sweeper runs beside it.
 */
describe('the expiry warning, in the stand-in', () => {
  let standIn: StandInProcess;
  let sfn: SFNClient;
  let ready: CloneReady;
  let events: RecordedEvent[];

  const eventsOf = async (cloneId: string): Promise<RecordedEvent[]> =>
    ((await control(standIn.ready.endpoint, 'GET', 'events')) as { events: RecordedEvent[] }).events.filter(
      (event) => event.source === 'db-artifact-factory' && event.detail.cloneId === cloneId,
    );

  beforeAll(async () => {
    standIn = await startStandIn(E2E_TIME_SCALE, ['--expiry-warning', '10m', '--sweeper-schedule', 'off']);
    sfn = new SFNClient(sdkConfig(standIn.ready.endpoint));
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: standIn.ready.stateMachines.clone,
        name: CLONE,
        input: JSON.stringify({
          ...artifact,
          target: { ...artifact.target, cloneName: CLONE },
          lifecycle: { ...artifact.lifecycle, ttl: '30m' },
        }),
      }),
    );
    const made = await finished(sfn, executionArn);
    expect(made.status, made.cause).toBe('SUCCEEDED');
    ready = JSON.parse(made.output ?? '{}') as CloneReady;
    events = await eventually(
      'the clone to be deleted at its TTL',
      async () => {
        const found = await eventsOf(CLONE);
        return found.some((event) => event.detailType === 'Clone Deleted') ? found : undefined;
      },
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await standIn?.stop();
  });

  it('sends Clone Expiring once, before Clone Deleted, from the warning schedule', () => {
    // Clone Ready comes first unless the clone took longer than 20 AWS minutes (6 s) to make.
    const types = events.map((event) => event.detailType);
    expect(types.filter((type) => type !== 'Clone Ready')).toEqual(['Clone Expiring', 'Clone Deleted']);
    expect(types.filter((type) => type === 'Clone Ready')).toHaveLength(1);
    const expiring = events.find((event) => event.detailType === 'Clone Expiring');
    const deleted = events.find((event) => event.detailType === 'Clone Deleted');
    expect(Date.parse(expiring?.time ?? '')).toBeLessThan(Date.parse(deleted?.time ?? ''));
    expect(deleted?.detail.reason).toBe('ttl-expired');
  });

  it('names the clone, its expiry, owner, source and secret, and how to extend it', () => {
    const detail = events.find((event) => event.detailType === 'Clone Expiring')
      ?.detail as unknown as CloneExpiring;
    expect(detail).toEqual({
      cloneId: CLONE,
      expiresAt: ready.expiresAt,
      owner: 'alice@example.com',
      source: 'legacy-prod',
      secretName: `dbaf/${CLONE}`,
      extendCommand: `dbaf extend ${CLONE} 4h`,
    });
  });

  it('arrives before the TTL schedule starts the teardown', async () => {
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: standIn.ready.stateMachines.teardown }),
    );
    expect(executions).toHaveLength(1);
    const teardown = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executions[0]?.executionArn }),
    );
    expect(JSON.parse(teardown.input ?? '{}')).toMatchObject({ cloneId: CLONE, reason: 'ttl-expired' });
    const expiring = events.find((event) => event.detailType === 'Clone Expiring');
    expect(Date.parse(expiring?.time ?? '')).toBeLessThan(teardown.startDate?.getTime() ?? 0);
  });

  it('leaves nothing behind: both schedules deleted themselves after firing', async () => {
    const scheduler = new SchedulerClient(sdkConfig(standIn.ready.endpoint));
    for (const name of [CLONE, `${CLONE}.warning`]) {
      await expect(
        scheduler.send(new GetScheduleCommand({ GroupName: 'dbaf', Name: name })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException);
    }
    await eventually(
      'the teardown to finish',
      async () => ((await managedLeftovers(standIn.ready.endpoint, CLONE)).length === 0 ? true : undefined),
      30_000,
    );
  });
});
