import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT } from '../../local/deployment.js';
import { flagTerm, STAND_IN_FLAG_KEYS, STAND_IN_FLAGS } from '../../local/flag-table.js';
import { parseStandInFlags, USAGE, UsageError } from '../../local/flags.js';

const settingsOf = (...argv: string[]) => parseStandInFlags(argv).options.deployment;

describe('the stand-in flags', () => {
  it('play the default deployment without any', () => {
    const { options, help, quiet } = parseStandInFlags([]);
    expect({ help, quiet }).toEqual({ help: false, quiet: false });
    expect(options.deployment).toMatchObject({
      allowedSources: ['legacy-prod'],
      maxTtl: '7d',
      sweeperSchedule: 'rate(1 hour)',
      protectedClones: [],
    });
    expect(options.rateLimit).toBe(false);
  });

  it('read each setting as the CDK context would: off, lists, numbers', () => {
    expect(
      settingsOf(
        '--sweeper-schedule',
        'off',
        '--expiry-warning',
        '0',
        '--protected-clones',
        'dbaf-Demo, dbaf-training,dbaf-demo',
        '--max-clones-per-owner',
        '2',
        '--allowed-sources',
        'legacy-prod,orders-prod',
      ),
    ).toMatchObject({
      sweeperSchedule: false,
      expiryWarning: 'off',
      protectedClones: ['dbaf-demo', 'dbaf-training'],
      maxClonesPerOwner: 2,
      allowedSources: ['legacy-prod', 'orders-prod'],
    });
  });

  it.each([
    [
      ['--max-clones-per-owner', '2.5'],
      /^--max-clones-per-owner "2\.5" must be a whole number, 0 \(no limit\) or more\.$/,
    ],
    [['--default-ttl', '10m'], /^--default-ttl "10m" is shorter than 30m\.$/],
    [
      ['--max-lifetime', '3d'],
      /--max-lifetime "3d" is shorter than --max-ttl "7d": a clone could not even live/,
    ],
    [['--max-ttl', '2d', '--max-lifetime', '1d'], /--max-lifetime "1d" is shorter than --max-ttl "2d"/],
    [['--expiry-warning', 'soon'], /--expiry-warning "soon" is not a duration .*, or 'off' for no warning\./],
    [
      ['--protected-clones', 'demo'],
      /--protected-clones "demo" does not start with the clone name prefix "dbaf-"/,
    ],
    [['--allowed-sources', 'dbaf-prod'], /rename the prefix \(--clone-name-prefix\)/],
    [['--default-allowed-cidrs', '0.0.0.0/0'], /admits every address/],
    [
      ['--sweeper-schedule', 'at(2030-01-01T00:00:00)'],
      /^--sweeper-schedule "at\(2030-01-01T00:00:00\)" runs once; the sweeper needs a recurring schedule; expected "rate\(1 hour\)", "rate\(30 minutes\)", "cron\(0 \* \* \* \? \*\)", or off/,
    ],
    [['--sweeper-schedule', 'hourly'], /^--sweeper-schedule "hourly" is not a schedule expression; expected/],
    [
      ['--sweeper-schedule', 'rate(1 minute)'],
      /^--sweeper-schedule "rate\(1 minute\)" sweeps more often than every 5 minutes/,
    ],
    [['--sweeper-grace', '1m'], /^--sweeper-grace "1m" is shorter than 5m\.$/],
    [['--time-scale', '0'], /--time-scale must be more than 0/],
    [['--port', 'http'], /--port must be a number ≥ 0; got "http"/],
    [['--no-such-flag'], /Unknown option '--no-such-flag'/],
  ])('refuse %j, saying what is wrong', (argv, message) => {
    expect(() => parseStandInFlags(argv)).toThrow(UsageError);
    expect(() => parseStandInFlags(argv)).toThrow(message);
  });

  it('report every bad setting at once, each shortened', () => {
    const long = 'x'.repeat(300);
    expect(() => parseStandInFlags(['--default-ttl', long, '--quota-headroom=-1'])).toThrow(
      /^--default-ttl "x{37}\.\.\." is not a duration.*\n--quota-headroom "-1" must be a whole number/,
    );
  });

  it('give the stand-in what it starts with', () => {
    const { options } = parseStandInFlags(['--port', '0', '--time-scale', '0.5', '--rate-limit', '--quiet']);
    expect(options).toMatchObject({ port: 0, timeScale: 0.5, rateLimit: true });
    expect(options.deployment).toEqual({ ...pick(DEFAULT_DEPLOYMENT, options.deployment ?? {}) });
  });
});

function pick<T extends object>(from: T, like: object): Partial<T> {
  return Object.fromEntries(Object.keys(like).map((key) => [key, from[key as keyof T]])) as Partial<T>;
}

describe('the stand-in usage text', () => {
  it.each(STAND_IN_FLAG_KEYS)('lists its own flag %s, from the one table', (key) => {
    expect(USAGE).toContain(`  ${flagTerm(key)}`);
    expect(USAGE).toContain(STAND_IN_FLAGS[key].summary);
  });
});
