import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { InvalidContext, settingsFromContext } from '../../infra/lib/context.js';
import { type CloneFactoryProps, InvalidCloneFactoryProps, resolveSettings } from '../../infra/lib/props.js';

const problemsOf = (props: CloneFactoryProps): readonly string[] => {
  try {
    resolveSettings(props);
  } catch (error) {
    if (error instanceof InvalidCloneFactoryProps) return error.problems;
    throw error;
  }
  return [];
};

describe('CloneFactory props', () => {
  it('applies the documented defaults', () => {
    expect(resolveSettings({ allowedSources: ['legacy-prod', 'legacy-prod'] })).toEqual({
      allowedSources: ['legacy-prod'],
      defaultTtl: '8h',
      maxTtl: '7d',
      cloneNamePrefix: 'dbaf-',
      defaultAllowedCidrs: [],
      notificationEmail: undefined,
      notificationTopic: undefined,
      quotaHeadroom: 0,
      refreshSchedules: [],
      maxClonesPerOwner: 0,
      sourceKmsKeyArns: [],
      sweeperSchedule: 'rate(1 hour)',
      sweeperGrace: '15m',
      expiryWarning: '1h',
      maxLifetime: '30d',
      protectedClones: [],
    });
  });

  it('keeps the expiry settings it is given, the protected clones in lower case without duplicates', () => {
    expect(
      resolveSettings({
        allowedSources: ['legacy-prod'],
        expiryWarning: 'off',
        maxLifetime: '7d',
        protectedClones: ['dbaf-demo', 'DBAF-Demo', 'dbaf-training'],
      }),
    ).toMatchObject({
      expiryWarning: 'off',
      maxLifetime: '7d',
      protectedClones: ['dbaf-demo', 'dbaf-training'],
    });
  });

  it.each<[string | false]>([
    ['rate(1 hour)'],
    ['rate(30 minutes)'],
    ['rate(5 minutes)'],
    ['rate(2 days)'],
    ['cron(0 6 * * ? *)'],
    [false],
  ])('accepts the sweeper schedule %s', (sweeperSchedule) => {
    expect(resolveSettings({ allowedSources: ['legacy-prod'], sweeperSchedule }).sweeperSchedule).toBe(
      sweeperSchedule,
    );
  });

  it('accepts identifiers and cluster ARNs shared through AWS RAM', () => {
    const arn = 'arn:aws:rds:us-east-1:444455556666:cluster:shared-orders';
    expect(resolveSettings({ allowedSources: ['legacy-prod', arn] }).allowedSources).toEqual([
      'legacy-prod',
      arn,
    ]);
  });

  it.each<[string, CloneFactoryProps, RegExp]>([
    ['no allowed source', { allowedSources: [] }, /allowedSources is empty: .*-c allowedSources=/],
    [
      'a malformed source',
      { allowedSources: ['legacy-prod', 'bad--name'] },
      /allowedSources\[1\]: "bad--name" is not/,
    ],
    ['a malformed ARN', { allowedSources: ['arn:aws:rds:us-east-1:1234:cluster:x'] }, /allowedSources\[0\]/],
    [
      'a source under the clone prefix',
      { allowedSources: ['legacy-prod', 'dbaf-prod'] },
      /allowedSources\[1\]: "dbaf-prod" starts with the clone name prefix "dbaf-"/,
    ],
    [
      'an ARN source under the clone prefix',
      { allowedSources: ['arn:aws:rds:us-east-1:444455556666:cluster:DBAF-x'] },
      /starts with the clone name prefix/,
    ],
    [
      'a bad prefix',
      { allowedSources: ['legacy-prod'], cloneNamePrefix: 'Clone_' },
      /cloneNamePrefix: "Clone_"/,
    ],
    [
      'a TTL that is not a duration',
      { allowedSources: ['legacy-prod'], defaultTtl: '8 hours' },
      /defaultTtl: "8 hours"/,
    ],
    [
      'a default TTL under 30 minutes',
      { allowedSources: ['legacy-prod'], defaultTtl: '10m' },
      /shorter than 30m/,
    ],
    [
      'a default longer than the maximum',
      { allowedSources: ['legacy-prod'], defaultTtl: '2d', maxTtl: '1d' },
      /longer than maxTtl/,
    ],
    [
      'a CIDR open to the world',
      { allowedSources: ['legacy-prod'], defaultAllowedCidrs: ['10.0.0.0/8', '0.0.0.0/0'] },
      /defaultAllowedCidrs\[1\]: "0.0.0.0\/0" admits every address/,
    ],
    [
      'a malformed CIDR',
      { allowedSources: ['legacy-prod'], defaultAllowedCidrs: ['10.0.0.0/33'] },
      /defaultAllowedCidrs\[0\]/,
    ],
    [
      'a malformed e-mail',
      { allowedSources: ['legacy-prod'], notificationEmail: 'dba' },
      /notificationEmail: "dba"/,
    ],
    [
      'a KMS alias instead of a key ARN',
      { allowedSources: ['legacy-prod'], sourceKmsKeyArns: ['alias/prod'] },
      /sourceKmsKeyArns\[0\]: "alias\/prod"/,
    ],
    ['a negative headroom', { allowedSources: ['legacy-prod'], quotaHeadroom: -1 }, /quotaHeadroom: -1/],
    [
      'a fractional per-owner limit',
      { allowedSources: ['legacy-prod'], maxClonesPerOwner: 2.5 },
      /maxClonesPerOwner: 2\.5 must be a whole number, 0 \(no limit\) or more/,
    ],
    [
      'a sweeper schedule that is no expression',
      { allowedSources: ['legacy-prod'], sweeperSchedule: 'hourly' },
      /sweeperSchedule: "hourly" is not a schedule expression; expected "rate\(1 hour\)"/,
    ],
    [
      'a rate Scheduler refuses',
      { allowedSources: ['legacy-prod'], sweeperSchedule: 'rate(1 hours)' },
      /sweeperSchedule: "rate\(1 hours\)" is not a rate Scheduler accepts/,
    ],
    [
      'a sweeper schedule that runs once',
      { allowedSources: ['legacy-prod'], sweeperSchedule: 'at(2030-01-01T00:00:00)' },
      /sweeperSchedule: "at\(2030-01-01T00:00:00\)" runs once; the sweeper needs a recurring schedule/,
    ],
    [
      'a cron Scheduler refuses',
      { allowedSources: ['legacy-prod'], sweeperSchedule: 'cron(61 * * * ? *)' },
      /sweeperSchedule: "cron\(61 \* \* \* \? \*\)" is not a schedule expression; .*'61' is not a value from 0 to 59/,
    ],
    [
      'a sweeper grace under 5 minutes',
      { allowedSources: ['legacy-prod'], sweeperGrace: '2m' },
      /sweeperGrace: "2m" is shorter than 5m/,
    ],
    [
      'a sweeper grace that is no duration',
      { allowedSources: ['legacy-prod'], sweeperGrace: 'a while' },
      /sweeperGrace: "a while" is not a duration/,
    ],
    [
      'a sweep every minute',
      { allowedSources: ['legacy-prod'], sweeperSchedule: 'rate(2 minutes)' },
      /more often than every 5 minutes/,
    ],
    [
      'an expiry warning that is no duration',
      { allowedSources: ['legacy-prod'], expiryWarning: 'soon' },
      /expiryWarning: "soon" is not a duration such as .*, or 'off' for no warning/,
    ],
    [
      'a maximum lifetime that is no duration',
      { allowedSources: ['legacy-prod'], maxLifetime: 'a month' },
      /maxLifetime: "a month" is not a duration/,
    ],
    [
      'a maximum lifetime shorter than the maximum TTL',
      { allowedSources: ['legacy-prod'], maxTtl: '7d', maxLifetime: '3d' },
      /maxLifetime "3d" is shorter than maxTtl "7d"/,
    ],
    [
      'a protected clone outside the clone prefix',
      { allowedSources: ['legacy-prod'], protectedClones: ['dbaf-demo', 'demo'] },
      /protectedClones\[1\]: "demo" does not start with the clone name prefix "dbaf-"/,
    ],
    [
      'a protected clone that is no clone id',
      { allowedSources: ['legacy-prod'], protectedClones: ['dbaf--demo'] },
      /protectedClones\[0\]: "dbaf--demo" is not a clone id/,
    ],
    [
      'a protected clone id longer than any clone id',
      { allowedSources: ['legacy-prod'], protectedClones: [`dbaf-${'a'.repeat(50)}`] },
      /protectedClones\[0\]: .* is longer than 50 characters/,
    ],
    [
      'the bare prefix as a protected clone',
      { allowedSources: ['legacy-prod'], protectedClones: ['dbaf-'] },
      /protectedClones\[0\]: "dbaf-" is not a clone id/,
    ],
  ])('refuses %s, naming the prop', (_case, props, message) => {
    expect(problemsOf(props).join('\n')).toMatch(message);
  });

  it('reports every problem at once, checking every element of each list', () => {
    const problems = problemsOf({
      allowedSources: ['ok-one', 'not valid', 'also not valid'],
      defaultTtl: 'soon',
      defaultAllowedCidrs: ['10.0.0.0/16', 'nope'],
    });
    expect(problems).toHaveLength(4);
    expect(() => resolveSettings({ allowedSources: [] })).toThrow(
      /CloneFactory props are invalid \(1 problem\)/,
    );
  });
});

describe('the app context', () => {
  const read = (context: Record<string, unknown>) => settingsFromContext(new App({ context }).node);

  it('reads comma-separated lists from -c and lists from cdk.json', () => {
    expect(
      read({ allowedSources: 'legacy-prod, orders-prod', defaultAllowedCidrs: '10.0.0.0/16' }).factory,
    ).toEqual({
      allowedSources: ['legacy-prod', 'orders-prod'],
      defaultAllowedCidrs: ['10.0.0.0/16'],
    });
    expect(
      read({ allowedSources: ['legacy-prod'], quotaHeadroom: 2, maxClonesPerOwner: '3', maxTtl: '3d' })
        .factory,
    ).toEqual({
      allowedSources: ['legacy-prod'],
      quotaHeadroom: 2,
      maxClonesPerOwner: 3,
      maxTtl: '3d',
    });
  });

  it.each<[unknown, string | false]>([
    ['off', false],
    [false, false],
    ['rate(2 hours)', 'rate(2 hours)'],
  ])('reads the sweeper schedule %j', (sweeperSchedule, expected) => {
    expect(read({ allowedSources: 'legacy-prod', sweeperSchedule }).factory.sweeperSchedule).toBe(expected);
  });

  it('reads the expiry settings: a duration or off, a duration, a list', () => {
    expect(
      read({
        allowedSources: 'legacy-prod',
        expiryWarning: 'off',
        maxLifetime: '14d',
        protectedClones: 'dbaf-demo, dbaf-training',
      }).factory,
    ).toMatchObject({
      expiryWarning: 'off',
      maxLifetime: '14d',
      protectedClones: ['dbaf-demo', 'dbaf-training'],
    });
    expect(read({ allowedSources: 'legacy-prod', expiryWarning: false }).factory.expiryWarning).toBe('off');
    expect(read({ allowedSources: 'legacy-prod', expiryWarning: '30m' }).factory.expiryWarning).toBe('30m');
  });

  it('reads the alarm topic and the stack name', () => {
    const settings = read({
      allowedSources: 'legacy-prod',
      notificationTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops',
      stackName: 'Clones-Staging',
    });
    expect(settings.notificationTopicArn).toBe('arn:aws:sns:us-east-1:111122223333:ops');
    expect(settings.stackName).toBe('Clones-Staging');
  });

  it('says how to set allowedSources when it is missing', () => {
    expect(() => read({})).toThrow(InvalidContext);
    expect(() => read({})).toThrow(
      /allowedSources is not set: .*npx cdk deploy -c allowedSources=.*cdk\.json/,
    );
  });

  it('refuses a context value of the wrong type', () => {
    expect(() => read({ allowedSources: 'legacy-prod', quotaHeadroom: 'many' })).toThrow(
      /"quotaHeadroom" must be a number/,
    );
    expect(() => read({ allowedSources: [1, 2] })).toThrow(
      /"allowedSources" must be a comma-separated string/,
    );
  });
});
