import { describe, expect, it } from 'vitest';
import { refreshCron, refreshTimeZone } from '../../../functions/shared/refresh-schedule.js';

describe('a refresh schedule', () => {
  it.each([
    ['0 6 ? * MON-FRI *', 'cron(0 6 ? * MON-FRI *)'],
    ['cron(0 6 ? * MON-FRI *)', 'cron(0 6 ? * MON-FRI *)'],
    ['  cron( 0  6 ? *  MON-FRI * )  ', 'cron(0 6 ? * MON-FRI *)'],
    ['30 22 L * ? *', 'cron(30 22 L * ? *)'],
  ])('reads the cron %j as %s', (given, expected) => {
    expect(refreshCron(given)).toBe(expected);
  });

  it.each([
    ['every morning', /^"every morning" is not a cron expression of six fields \(minutes hours .*weekday\.$/],
    ['rate(1 day)', /^"rate\(1 day\)" is not a cron expression of six fields/],
    ['at(2030-01-01T06:00:00)', /is not a cron expression of six fields/],
    ['0 6 * * * *', /weekday: give either the day-of-month or the day-of-week, and \? in the other\.$/],
    ['60 6 ? * MON-FRI *', /weekday: '60' is not a value from 0 to 59\.$/],
    ['0 6 ? * 1/2 *', /weekday: '1\/2': the day-of-week field takes no increment \(\/\)\.$/],
  ])('refuses %j, saying what Scheduler expects', (given, message) => {
    expect(() => refreshCron(given)).toThrow(message);
  });

  it('takes the IANA time zones and refuses the rest', () => {
    expect(refreshTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(() => refreshTimeZone('Mars/Olympus')).toThrow(
      '"Mars/Olympus" is not an IANA time zone such as "Europe/Paris", "America/New_York" or "UTC".',
    );
  });
});
