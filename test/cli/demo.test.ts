import { describe, expect, it } from 'vitest';
import { keepEnding, realFiringTime } from '../../cli/demo/expiry.js';

describe("the demo's clone expiry", () => {
  it('fires at the scaled wait from when its schedule was set', () => {
    const setAt = new Date('2026-12-02T15:00:00Z');
    // 30 AWS minutes at 0.02: 36 real seconds after the schedule was set.
    expect(realFiringTime('2026-12-02T15:30:00Z', setAt, 0.02)).toEqual(new Date('2026-12-02T15:00:36Z'));
    expect(realFiringTime('2026-12-02T14:00:00Z', setAt, 0.02)).toEqual(setAt);
  });

  it.each([
    [
      { state: 'deleted', reason: 'ttl-expired' } as const,
      /was deleted at its TTL, before you pressed Ctrl-C/,
    ],
    [{ state: 'deleted', reason: 'user' } as const, /was deleted \(user\), before you pressed Ctrl-C/],
    [{ state: 'deleting', reason: 'ttl-expired' } as const, /was being deleted when you pressed Ctrl-C/],
    [{ state: 'not-cleanly-deleted' } as const, /did not delete it cleanly/],
    [
      { state: 'up', status: 'available', firesAt: new Date(Date.now() + 15_000) } as const,
      /was still there when you pressed Ctrl-C \(available; its TTL would have deleted it in about 1[45] s\); it is gone with the stand-in/,
    ],
  ])('with --keep, says truthfully what became of it: %j', (ending, said) => {
    expect(keepEnding(ending, 'dbaf-demo')).toMatch(said);
  });
});
