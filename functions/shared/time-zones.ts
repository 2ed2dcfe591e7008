// Wall-clock times in IANA time zones, through Intl: what schedule expressions are read in.

/** A wall-clock time in some time zone. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const MINUTE_MS = 60_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The number of days of a month (1 to 12) of a year. */
export function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `zone` is an IANA time zone Intl knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    formatIn(zone);
    return true;
  } catch {
    return false;
  }
}

function formatIn(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  return format;
}

/** The wall-clock time of an instant in a time zone. */
export function localTime(instant: number, zone: string): LocalTime {
  const parts = Object.fromEntries(
    formatIn(zone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, Number(p.value)]),
  );
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function asUtc(t: LocalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(instant: number, zone: string): number {
  return asUtc(localTime(instant, zone)) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in a zone: the earlier one when daylight saving time repeats
 * it, undefined when it skips it.
 */
export function instantOf(local: LocalTime, zone: string): number | undefined {
  const guess = asUtc(local);
  const day = 24 * 60 * MINUTE_MS;
  const candidates = [guess - offsetAt(guess - day, zone), guess - offsetAt(guess + day, zone)].sort(
    (a, b) => a - b,
  );
  return candidates.find((instant) => asUtc(localTime(instant, zone)) === guess);
}

/**
 * The instant of a one-time schedule's local time: as {@link instantOf}, and a time that daylight
 * saving time skips is read with the offset in force before the change (02:30 becomes 03:30).
 */
export function atInstant(local: LocalTime, zone: string): number {
  const guess = asUtc(local);
  return instantOf(local, zone) ?? guess - offsetAt(guess - 24 * 60 * MINUTE_MS, zone);
}
