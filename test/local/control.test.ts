import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { controlApi } from '../../local/control.js';
import { Clock } from '../../local/core/clock.js';
import { AWS_RDS_RATE_LIMIT, Faults } from '../../local/core/faults.js';
import { AwsServer } from '../../local/core/server.js';
import { Account } from '../../local/core/state.js';

describe("the stand-in's control API", () => {
  const clock = new Clock(0.001);
  let account: Account;
  let faults: Faults;
  let server: AwsServer;
  let endpoint: string;
  const calls = new Map([['rds:DescribeDBClusters', 3]]);

  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${endpoint}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeEach(async () => {
    account = new Account('us-east-1', '000000000000');
    faults = new Faults(clock);
    server = new AwsServer({
      services: [],
      faults,
      log: () => undefined,
      control: controlApi({
        endpoint: () => endpoint,
        stateMachines: { clone: 'arn:aws:states:us-east-1:000000000000:stateMachine:clone' },
        clock,
        faults,
        account,
        calls: () => calls,
      }),
    });
    endpoint = `http://127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  });

  afterEach(async () => {
    await server.close();
  });

  it('says how the stand-in runs: its endpoint, state machines and time scale', async () => {
    expect(await send('GET', '/_dbaf/health')).toEqual({
      status: 200,
      body: {
        endpoint,
        stateMachines: { clone: 'arn:aws:states:us-east-1:000000000000:stateMachine:clone' },
        timeScale: 0.001,
      },
    });
  });

  it('injects faults and removes them', async () => {
    const rule = { service: 'rds', action: 'CreateDBInstance', error: 'InternalFailure' };
    expect(await send('POST', '/_dbaf/faults', rule)).toEqual({ status: 200, body: {} });
    await expect(faults.before('rds', 'CreateDBInstance')).rejects.toMatchObject({ code: 'InternalFailure' });
    await send('POST', '/_dbaf/faults', rule);
    expect(await send('DELETE', '/_dbaf/faults')).toEqual({ status: 200, body: {} });
    await expect(faults.before('rds', 'CreateDBInstance')).resolves.toBeUndefined();
  });

  it("turns the RDS rate limit on with AWS's numbers or the body's, and off", async () => {
    expect((await send('POST', '/_dbaf/rate-limit', {})).body).toEqual({ rateLimit: AWS_RDS_RATE_LIMIT });
    expect((await send('POST', '/_dbaf/rate-limit', { burst: 10, perSecond: 0.05 })).body).toEqual({
      rateLimit: { burst: 10, perSecond: 0.05 },
    });
    expect((await send('POST', '/_dbaf/rate-limit', { enabled: false })).body).toEqual({ rateLimit: null });
  });

  it('changes the quotas', async () => {
    expect((await send('POST', '/_dbaf/quotas', { DBClusters: 3 })).body).toEqual({
      quotas: { DBClusters: 3 },
    });
    expect(account.data.quotas.DBClusters).toBe(3);
  });

  it('lists the events put on the buses, each detail parsed', async () => {
    const event = {
      id: 'e-1',
      time: '2030-01-01T00:00:00Z',
      bus: 'default',
      source: 'dbaf',
      detailType: 'Clone expiring',
      detail: '{"cloneId":"dbaf-a"}',
      resources: [],
    };
    account.data.events.push(event);
    expect((await send('GET', '/_dbaf/events')).body).toEqual({
      events: [{ ...event, detail: { cloneId: 'dbaf-a' } }],
    });
  });

  it('counts the calls answered and those the rate limit refused', async () => {
    expect((await send('GET', '/_dbaf/stats')).body).toEqual({
      calls: { 'rds:DescribeDBClusters': 3 },
      throttled: 0,
    });
  });

  it('answers 400 with a message for a route it does not have', async () => {
    expect(await send('GET', '/_dbaf/nope')).toEqual({
      status: 400,
      body: { message: "The stand-in's control API has no GET /_dbaf/nope; see docs/local.md." },
    });
  });
});
