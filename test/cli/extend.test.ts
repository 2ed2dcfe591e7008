import { describe, expect, it } from 'vitest';
import type { Clone } from '../../cli/clones.js';
import { extendedExpiry, type Limits } from '../../cli/commands/extend.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-21T12:00:00Z');
const LIMITS: Limits = { maxTtl: '7d', maxLifetime: '30d', protectedClones: [] };

function clone(createdAt: string, expiresAt: string, cloneId = 'dbaf-a'): Clone {
  return { cloneId, createdAt, expiresAt } as Clone;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('extendedExpiry', () => {
  it('pushes the current expiry by the duration', () => {
    const next = extendedExpiry(clone('2026-11-21T08:00:00Z', '2026-11-21T16:00:00Z'), 4 * HOUR, LIMITS, NOW);
    expect(iso(next)).toBe('2026-11-21T20:00:00.000Z');
  });

  it('allows up to the maximum TTL counted from now, however old the clone is within its lifetime', () => {
    const next = extendedExpiry(clone('2026-11-10T12:00:00Z', '2026-11-22T12:00:00Z'), 6 * DAY, LIMITS, NOW);
    expect(iso(next)).toBe('2026-11-28T12:00:00.000Z');
  });

  it('refuses beyond the maximum TTL from now, naming it and the most it can still be extended', () => {
    expect(() =>
      extendedExpiry(clone('2026-11-21T08:00:00Z', '2026-11-21T16:00:00Z'), 7 * DAY, LIMITS, NOW),
    ).toThrow(
      expect.objectContaining({
        exitCode: 6,
        message:
          "Clone dbaf-a cannot be extended by 7d: it may expire at most this deployment's maximum TTL, 7d, from now. " +
          'It can be extended by 6d20h at most (to 2026-11-28T12:00:00Z).',
      }),
    );
  });

  it('refuses beyond the maximum lifetime from creation, pointing at protectedClones', () => {
    expect(() =>
      extendedExpiry(clone('2026-10-25T12:00:00Z', '2026-11-22T12:00:00Z'), 3 * DAY, LIMITS, NOW),
    ).toThrow(
      expect.objectContaining({
        exitCode: 6,
        message:
          "Clone dbaf-a cannot be extended by 3d: it may live at most this deployment's maximum lifetime, 30d, from its creation at 2026-10-25T12:00:00Z. " +
          'It can be extended by 2d at most (to 2026-11-24T12:00:00Z); to keep it longer, ask the operators to list it in protectedClones.',
      }),
    );
  });

  it('lets a protected clone live beyond the maximum lifetime, within the maximum TTL from now', () => {
    const protectedLimits = { ...LIMITS, protectedClones: ['DBAF-A'] };
    const next = extendedExpiry(
      clone('2026-10-01T12:00:00Z', '2026-11-22T12:00:00Z'),
      3 * DAY,
      protectedLimits,
      NOW,
    );
    expect(iso(next)).toBe('2026-11-25T12:00:00.000Z');
    expect(() =>
      extendedExpiry(clone('2026-10-01T12:00:00Z', '2026-11-22T12:00:00Z'), 7 * DAY, protectedLimits, NOW),
    ).toThrow(/maximum TTL, 7d, from now/);
  });

  it.each([
    ['the maximum TTL', clone('2026-11-21T12:00:00Z', '2026-11-28T12:00:00Z'), /make a new clone instead\.$/],
    [
      'the maximum lifetime',
      clone('2026-10-22T12:00:00Z', '2026-11-21T12:00:00Z'),
      /make a new clone instead or ask the operators to list it in protectedClones\.$/,
    ],
  ])('says when a clone is already at %s', (_limit, at, message) => {
    expect(() => extendedExpiry(at, HOUR, LIMITS, NOW)).toThrow(message);
  });

  it('refuses a clone whose expiry tag is unreadable', () => {
    expect(() => extendedExpiry(clone('2026-11-21T08:00:00Z', 'soon'), HOUR, LIMITS, NOW)).toThrow(
      /no readable dbaf:expires-at tag/,
    );
  });
});
