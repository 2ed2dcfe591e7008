/**
 * Durations as people write them in artifacts and on the command line: `30m`, `8h`, `3d`, `1d12h`.
 */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/**
 * Shortest TTL accepted: a clone takes about ten minutes to make, and a teardown that starts
 * while the clone is still being made would race it.
 */
export const MIN_TTL_MS = 30 * 60_000;

/** The form {@link parseDuration} accepts, for error messages. */
export const DURATION_FORM = 'a duration such as "30m", "8h", "3d" or "1d12h"';

/** Milliseconds in `text`, or `undefined` when it is not a duration (or is zero). */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, days = '0', hours = '0', minutes = '0'] = match;
  const ms = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000;
  return ms > 0 ? ms : undefined;
}

/** `90 * 60_000` → `1h30m`: the shortest duration text for a whole number of minutes. */
export function formatDuration(ms: number): string {
  let minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const text = `${days ? `${days}d` : ''}${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}`;
  return text || '0m';
}
