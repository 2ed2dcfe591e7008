import { describe, expect, it } from 'vitest';
import type { Clone } from '../../cli/clones.js';
import { extendedExpiry } from '../../cli/commands/extend.js';

const HOUR = 3_600_000;

function clone(createdAt: string, expiresAt: string): Clone {
  return { cloneId: 'dbaf-a', createdAt, expiresAt } as Clone;
}

describe('extendedExpiry', () => {
  it('pushes the current expiry by the duration', () => {
    const next = extendedExpiry(clone('2026-11-21T08:00:00Z', '2026-11-21T16:00:00Z'), 4 * HOUR, '7d');
    expect(new Date(next).toISOString()).toBe('2026-11-21T20:00:00.000Z');
  });

  it('allows exactly the maximum lifetime, counted from creation', () => {
    const next = extendedExpiry(clone('2026-11-21T08:00:00Z', '2026-11-21T16:00:00Z'), 16 * HOUR, '1d');
    expect(new Date(next).toISOString()).toBe('2026-11-22T08:00:00.000Z');
  });

  it('refuses beyond the maximum, saying the maximum and the most it can still be pushed', () => {
    expect(() =>
      extendedExpiry(clone('2026-11-21T08:00:00Z', '2026-11-21T16:00:00Z'), 17 * HOUR, '1d'),
    ).toThrow(
      expect.objectContaining({
        exitCode: 6,
        message: expect.stringMatching(
          /maximum TTL, 1d, from its creation.*extended by 16h at most \(to 2026-11-22T08:00:00Z\)/,
        ),
      }),
    );
  });

  it('says when a clone is already at its maximum', () => {
    expect(() => extendedExpiry(clone('2026-11-21T08:00:00Z', '2026-11-28T08:00:00Z'), HOUR, '7d')).toThrow(
      /already at the maximum; make a new clone instead/,
    );
  });

  it('refuses a clone whose expiry tag is unreadable', () => {
    expect(() => extendedExpiry(clone('2026-11-21T08:00:00Z', 'soon'), HOUR, '7d')).toThrow(
      /no readable dbaf:expires-at tag/,
    );
  });
});
