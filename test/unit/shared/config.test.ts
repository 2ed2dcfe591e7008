import { describe, expect, it } from 'vitest';
import { eventBusArnOf, loadConfig } from '../../../functions/shared/config.js';

const TEARDOWN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:dbaf-teardown';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('loadConfig: expiry settings', () => {
  it('warns an hour before expiry and caps lifetimes at 30 days by default, protecting nothing', () => {
    expect(loadConfig({ TEARDOWN_STATE_MACHINE_ARN: TEARDOWN })).toMatchObject({
      expiryWarningMs: HOUR,
      maxLifetimeMs: 30 * DAY,
      protectedClones: [],
      eventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default',
    });
  });

  it.each([
    ['30m', 30 * 60_000],
    ['1d', DAY],
    ['off', 0],
    ['0', 0],
  ])('reads EXPIRY_WARNING=%s as %i ms', (value, ms) => {
    expect(loadConfig({ EXPIRY_WARNING: value }).expiryWarningMs).toBe(ms);
  });

  it('reads the protected clones as a comma-separated list, in lower case', () => {
    expect(loadConfig({ PROTECTED_CLONES: ' dbaf-Demo, dbaf-training ,' }).protectedClones).toEqual([
      'dbaf-demo',
      'dbaf-training',
    ]);
  });

  it('takes EVENT_BUS_ARN as given, or derives the bus of EVENT_BUS_NAME', () => {
    const given = 'arn:aws:events:eu-west-1:123456789012:event-bus/platform';
    expect(loadConfig({ EVENT_BUS_ARN: given, TEARDOWN_STATE_MACHINE_ARN: TEARDOWN }).eventBusArn).toBe(
      given,
    );
    expect(loadConfig({ EVENT_BUS_NAME: 'ops', TEARDOWN_STATE_MACHINE_ARN: TEARDOWN }).eventBusArn).toBe(
      'arn:aws:events:eu-west-1:123456789012:event-bus/ops',
    );
    expect(loadConfig({}).eventBusArn).toBe('');
  });

  it.each([
    [{ EXPIRY_WARNING: 'soon' }, /EXPIRY_WARNING="soon" is not a duration/],
    [{ MAX_LIFETIME: 'forever' }, /MAX_LIFETIME="forever" is not a duration/],
    [{ MAX_LIFETIME: '3d' }, /MAX_LIFETIME \(3d\) is shorter than MAX_TTL \(7d\)/],
    [{ MAX_TTL: '10d', MAX_LIFETIME: '9d' }, /MAX_LIFETIME \(9d\) is shorter than MAX_TTL \(10d\)/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', message: expect.stringMatching(message) }),
    );
  });

  it('accepts a maximum lifetime equal to the maximum TTL', () => {
    expect(loadConfig({ MAX_TTL: '7d', MAX_LIFETIME: '7d' }).maxLifetimeMs).toBe(7 * DAY);
  });
});

describe('eventBusArnOf', () => {
  it('builds the ARN of a bus in the region and account of another ARN of the deployment', () => {
    expect(eventBusArnOf('default', 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:x')).toBe(
      'arn:aws-cn:events:cn-north-1:123456789012:event-bus/default',
    );
  });

  it('keeps a bus given by ARN, and gives up on something that is no ARN', () => {
    expect(eventBusArnOf('arn:aws:events:us-east-1:1:event-bus/x', TEARDOWN)).toBe(
      'arn:aws:events:us-east-1:1:event-bus/x',
    );
    expect(eventBusArnOf('default', 'dbaf-teardown')).toBe('');
  });
});
