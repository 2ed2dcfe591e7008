import { formatDuration } from '../functions/shared/duration.js';

/** Writes one line (or nothing for `undefined`) to stdout. */
export function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Writes a value as indented JSON to stdout, for `--json`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `in 7h58m`, `2m ago`, or `-` when there is no time: how far `iso` is from `now`. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return '-';
  if (Math.abs(ms) < 60_000) return ms >= 0 ? 'in <1m' : 'just now';
  return ms > 0 ? `in ${formatDuration(ms)}` : `${formatDuration(-ms)} ago`;
}

/** How long something took: `4.8 s` under a minute and a half, `11m32s` beyond. */
export function elapsed(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${formatDuration(Math.floor(whole / 60) * 60_000)}${whole % 60 ? `${whole % 60}s` : ''}`;
}

/** Left-aligned columns separated by two spaces, with a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `label   value` lines with the labels padded to one width, skipping empty values. */
export function fields(pairs: readonly (readonly [string, string | number | null | undefined])[]): string {
  const present = pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
  const width = Math.max(...present.map(([label]) => label.length));
  return present.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}
