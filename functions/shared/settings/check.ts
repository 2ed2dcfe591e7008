import type { EntryValue } from './entries.js';
import { flagOf, variableOf } from './entries.js';
import type { AnyKind } from './kinds.js';

/** One problem with one setting, or one item of a list setting. */
export interface Issue {
  readonly key: string;
  /** The item of a list. */
  readonly index?: number;
  /** The value refused: shown, shortened, when it is text or a number. */
  readonly value?: unknown;
  /** The rest of the sentence, after the setting and its value. */
  readonly message?: string;
  /** The whole sentence, for a problem that names several settings. */
  readonly say?: (subjects: Subjects) => string;
}

/** How one surface (props, environment variables, flags) names a setting in its messages. */
export interface Subjects {
  /** `allowedSources[1]`, `ALLOWED_SOURCES`, `--allowed-sources`. */
  name(key: string, index?: number): string;
  /** The start of a sentence about a refused value: `maxTtl: "2h"`, `MAX_TTL="2h"`, `--max-ttl "2h"`. */
  field(key: string, value: unknown, index?: number): string;
  /** A setting with its value, inside a sentence: `maxTtl "7d"`, `MAX_TTL (7d)`, `--max-ttl "7d"`. */
  pair(key: string, value: unknown): string;
  /** A value, shortened: untrusted text is never echoed whole. */
  quote(value: unknown): string;
}

/** A rule between settings, checked once each of `keys` has a value of the right form. */
export interface Rule<Values> {
  readonly keys: readonly (keyof Values & string)[];
  /** `loadConfig` checks it too: a handler that gets one of `keys` gets them all. @default false */
  readonly lambda?: boolean;
  check(values: Values, report: (issue: Issue) => void): void;
}

/** A table the checker reads: each entry's kind and default. */
export type CheckTable = Readonly<Record<string, { readonly kind: AnyKind; readonly default: unknown }>>;

/** The values of a table's entries. */
export type ValuesOf<T> = { -readonly [K in keyof T]: EntryValue<T[K]> };

/** What {@link checkEntries} checks. */
export interface CheckOptions<Values> {
  /** `form`: can each value be read (a Lambda's view); `schema`: each setting's rules too. */
  readonly level: 'form' | 'schema';
  /** @default - none */
  readonly rules?: readonly Rule<Values>[];
  /** Values that cannot be read yet (CDK tokens): refused, naming the setting. @default - none */
  readonly opaque?: (value: unknown) => boolean;
}

/** Checked values (valid only without issues), and every issue at once. */
export interface Checked<Values> {
  readonly values: Values;
  readonly issues: readonly Issue[];
}

const MAX_SHOWN = 40;

function quote(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  return `"${value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 3)}...` : value}"`;
}

/** A construct prop and its TypeScript path: `allowedSources[1]: "x"`. */
export const PROP_SUBJECTS: Subjects = {
  name: (key, index) => (index === undefined ? key : `${key}[${index}]`),
  field: (key, value, index) => `${index === undefined ? key : `${key}[${index}]`}: ${quote(value)}`,
  pair: (key, value) => `${key} ${quote(value)}`,
  quote,
};

/** A Lambda environment variable: `MAX_TTL="x"`, `MAX_TTL (7d)`. */
export const VARIABLE_SUBJECTS: Subjects = {
  name: (key) => variableOf(key),
  field: (key, value) => `${variableOf(key)}=${quote(String(value))}`,
  pair: (key, value) => `${variableOf(key)} (${quote(value).replace(/^"|"$/g, '')})`,
  quote,
};

/** A stand-in flag: `--max-ttl "x"`. */
export const FLAG_SUBJECTS: Subjects = {
  name: (key) => `--${flagOf(key)}`,
  field: (key, value) => `--${flagOf(key)} ${quote(value)}`,
  pair: (key, value) => `--${flagOf(key)} ${quote(value)}`,
  quote,
};

/** One sentence about an issue, naming the setting as `subjects` do. */
export function describeIssue(issue: Issue, subjects: Subjects): string {
  if (issue.say !== undefined) return issue.say(subjects);
  const { key, index, value } = issue;
  const shown = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  const subject = shown ? subjects.field(key, value, index) : subjects.name(key, index);
  return `${subject} ${issue.message ?? 'is not valid'}.`;
}

function opaqueIssues(key: string, value: unknown, opaque: (value: unknown) => boolean): Issue[] {
  const message =
    'is a CDK token, not a literal value; give the value itself, so that it can be checked (and the IAM policies scoped to it) when the app is synthesized';
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => (opaque(item) ? [{ key, index, message }] : []));
  }
  return opaque(value) ? [{ key, message }] : [];
}

/**
 * Checks the values given for a table's entries (a missing one takes its default), then the rules
 * between them, and normalizes the values. Every issue is reported, not only the first.
 */
export function checkEntries<T extends CheckTable>(
  table: T,
  input: { readonly [K in keyof T]?: unknown },
  options: CheckOptions<ValuesOf<T>>,
): Checked<ValuesOf<T>> {
  const issues: Issue[] = [];
  const formed: Record<string, unknown> = {};
  const checked: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(table)) {
    const raw = input[key] === undefined ? entry.default : input[key];
    const hidden = options.opaque === undefined ? [] : opaqueIssues(key, raw, options.opaque);
    if (hidden.length > 0) {
      issues.push(...hidden);
      continue;
    }
    const schema = options.level === 'form' ? entry.kind.form : entry.kind.schema;
    const result = schema.safeParse(raw);
    if (result.success) {
      formed[key] = result.data;
      checked[key] = entry.kind.normalize(result.data);
      continue;
    }
    for (const problem of result.error.issues) {
      const index = typeof problem.path[0] === 'number' ? problem.path[0] : undefined;
      const value = index === undefined ? raw : (raw as unknown[])[index];
      issues.push({ key, ...(index === undefined ? {} : { index }), value, message: problem.message });
    }
    const form = entry.kind.form.safeParse(raw);
    if (form.success) formed[key] = form.data;
  }
  for (const rule of options.rules ?? []) {
    if (rule.keys.every((key) => key in formed)) {
      rule.check(formed as ValuesOf<T>, (issue) => issues.push(issue));
    }
  }
  return { values: checked as ValuesOf<T>, issues };
}
