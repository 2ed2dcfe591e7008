import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stsService } from '../../../local/services/sts.js';
import { type Harness, hasCli, startHarness } from './support.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness((context) => [stsService(context)]);
});
afterAll(() => h.close());

describe('STS', () => {
  it('answers GetCallerIdentity in awsQuery XML', async () => {
    // No STS client is installed: post the form a client sends.
    const response = await fetch(h.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toMatch(
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/,
    );
    expect(body).toContain('<Account>000000000000</Account>');
    expect(body).toContain('<Arn>arn:aws:iam::000000000000:user/local</Arn>');
    expect(body).toMatch(/<UserId>AIDA[0-9A-F]{17}<\/UserId>/);
  });

  it('answers an action it does not know with InvalidAction', async () => {
    const response = await fetch(h.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetSessionToken&Version=2011-06-15',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidAction</Code>');
  });
});

describe.skipIf(!hasCli)('the AWS CLI', () => {
  it('gets the caller identity', async () => {
    await expect(h.cli('sts', 'get-caller-identity')).resolves.toEqual({
      UserId: expect.stringMatching(/^AIDA/),
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:user/local',
    });
  });
});
