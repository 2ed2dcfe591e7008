import { describe, expect, it } from 'vitest';
import { elapsed, relativeTime, table } from '../../cli/output.js';

const NOW = Date.parse('2026-11-21T08:00:00Z');

describe('relativeTime', () => {
  it.each([
    ['2026-11-21T16:00:00Z', 'in 8h'],
    ['2026-11-23T09:30:00Z', 'in 2d1h30m'],
    ['2026-11-21T08:00:30Z', 'in <1m'],
    ['2026-11-21T07:00:00Z', '1h ago'],
    [null, '-'],
    ['never', '-'],
  ])('%s is %s', (iso, text) => {
    expect(relativeTime(iso, NOW)).toBe(text);
  });
});

describe('elapsed', () => {
  it.each([
    [4.83, '4.8 s'],
    [692, '11m32s'],
    [3600, '1h'],
  ])('%d seconds read %s', (seconds, text) => {
    expect(elapsed(seconds)).toBe(text);
  });
});

describe('table', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      table(
        ['NAME', 'OWNER'],
        [
          ['dbaf-a', 'alice'],
          ['dbaf-long-name', 'bob'],
        ],
      ),
    ).toBe(['NAME            OWNER', 'dbaf-a          alice', 'dbaf-long-name  bob'].join('\n'));
  });
});
