import { z } from 'zod';
import { DURATION_FORM, formatDuration, parseDuration } from '../duration.js';

/** What {@link Kind.fromContext} returns for a CDK context value of the wrong type. */
export const WRONG_TYPE: unique symbol = Symbol('wrong context type');

/**
 * How one kind of setting value is checked, written and read, whatever the surface: a construct
 * prop, a CDK context value, a stand-in flag, a Lambda environment variable or a stack output.
 *
 * `form` is what a value must look like to be read at all (a duration, a whole number); `schema`
 * adds the setting's own rules (at least 30 minutes). The Lambda checks the form of its variables;
 * the construct and the stand-in check the whole schema, before anything runs.
 */
export interface Kind<Value, ConfigValue = Value, Suffix extends string = ''> {
  /** The value's form in a flag's usage text, such as `<duration>`. */
  readonly placeholder: string;
  /** What a value must look like to be read. */
  readonly form: z.ZodType<Value>;
  /** The form and the setting's own rules. */
  readonly schema: z.ZodType<Value>;
  /** The value as text: an environment variable, a flag, a stack output ('' for an empty list). */
  encode(value: Value): string;
  /** Text (as `encode` writes it, or a person types it) to the value the form checks; undefined for "not set". */
  decode(text: string): unknown;
  /** What a CDK context value must be, for `Context "<key>" must be <contextForm>.` */
  readonly contextForm: string;
  /** A CDK context value (JSON from cdk.json, text from `-c`); undefined when not set, {@link WRONG_TYPE} when of the wrong type. */
  fromContext(value: unknown): unknown;
  /** The value as a deployment keeps it, once checked: lists without repeats. */
  normalize(value: Value): Value;
  /** The value as the handlers' `Config` holds it (milliseconds for a duration). */
  toConfig(value: Value): ConfigValue;
  /** Appended to the setting's key to name its `Config` field (`Ms`: `maxTtl` is `maxTtlMs`). */
  readonly configSuffix: Suffix;
}

/** Any kind, whatever its value. */
// biome-ignore lint/suspicious/noExplicitAny: a table holds kinds of every value type
export type AnyKind = Kind<any, any, string>;

/** The value type of a kind. */
export type KindValue<K> = K extends Kind<infer Value, infer _C, infer _S> ? Value : never;

const TEXT_FORM = 'a string';

function contextText(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value.trim() : WRONG_TYPE;
}

const same = <T>(value: T): T => value;

/** Text such as `8h`: at least `min` milliseconds when given. */
export function duration(options: { readonly min?: number } = {}): Kind<string, number, 'Ms'> {
  const error = `is not ${DURATION_FORM}`;
  const form = z
    .string({ error })
    .refine((text) => parseDuration(text) !== undefined, { error, abort: true });
  const { min } = options;
  return {
    placeholder: '<duration>',
    form,
    schema:
      min === undefined
        ? form
        : form.refine((text) => (parseDuration(text) ?? 0) >= min, {
            error: `is shorter than ${formatDuration(min)}`,
          }),
    encode: same,
    decode: (text) => text.trim() || undefined,
    contextForm: TEXT_FORM,
    fromContext: contextText,
    normalize: same,
    toConfig: (text) => parseDuration(text) ?? 0,
    configSuffix: 'Ms',
  };
}

/** A duration, or `off` (also `0` as text, or `false` in cdk.json) for a feature turned off; 0 ms in `Config`. */
export function durationOrOff(options: { readonly off: string }): Kind<string, number, 'Ms'> {
  const form = z
    .string({ error: `is not ${DURATION_FORM}, or 'off' for ${options.off}` })
    .refine((text) => text === 'off' || parseDuration(text) !== undefined, {
      error: `is not ${DURATION_FORM}, or 'off' for ${options.off}`,
    });
  return {
    placeholder: '<duration|off>',
    form,
    schema: form,
    encode: same,
    decode: (text) => {
      const trimmed = text.trim();
      if (trimmed === '') return undefined;
      return trimmed === '0' ? 'off' : trimmed;
    },
    contextForm: `${TEXT_FORM}, or false`,
    fromContext: (value) => (value === false ? 'off' : contextText(value)),
    normalize: same,
    toConfig: (text) => (text === 'off' ? 0 : (parseDuration(text) ?? 0)),
    configSuffix: 'Ms',
  };
}

/** A whole number, 0 or more; `zero` says what 0 means, if anything special. */
export function count(options: { readonly zero?: string } = {}): Kind<number> {
  const whole = (error: string) => z.number({ error }).int({ error }).min(0, { error });
  const generic = 'must be a whole number, 0 or more';
  return {
    placeholder: '<n>',
    form: whole(generic),
    schema: whole(
      options.zero === undefined ? generic : `must be a whole number, 0 (${options.zero}) or more`,
    ),
    encode: String,
    // Anything else stays text, so the form refuses it showing what was given.
    decode: (text) => {
      const trimmed = text.trim();
      if (trimmed === '') return undefined;
      return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
    },
    contextForm: 'a number',
    fromContext: (value) => {
      if (value === undefined || value === null || value === '') return undefined;
      const number = typeof value === 'string' ? Number(value.trim()) : value;
      return typeof number === 'number' && !Number.isNaN(number) ? number : WRONG_TYPE;
    },
    normalize: same,
    toConfig: same,
    configSuffix: '',
  };
}

/** What {@link list} checks: each item, and what to say when there is none. */
export interface ListOptions {
  /** Why one item is refused (a sentence tail such as `is not a CIDR block ...`), or undefined. */
  readonly item?: (item: string) => string | undefined;
  /** Refuse an empty list, saying this. @default - an empty list is fine */
  readonly empty?: string;
  /** Keep the items in lower case. @default false */
  readonly lowerCase?: boolean;
  /** @default '<a,b,...>' */
  readonly placeholder?: string;
}

/** A list of strings: comma-separated as text, a JSON list in cdk.json; every item checked. */
export function list(options: ListOptions = {}): Kind<readonly string[]> {
  const form = z.array(z.string({ error: 'is not a string' }), { error: 'is not a list of strings' });
  return {
    placeholder: options.placeholder ?? '<a,b,...>',
    form,
    schema: form.superRefine((items, context) => {
      if (options.empty !== undefined && items.length === 0) {
        context.addIssue({ code: 'custom', message: options.empty });
      }
      items.forEach((item, index) => {
        const problem = options.item?.(item);
        if (problem !== undefined) context.addIssue({ code: 'custom', path: [index], message: problem });
      });
    }),
    encode: (items) => items.join(','),
    decode: (text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    contextForm: 'a comma-separated string or a list of strings',
    fromContext: (value) => {
      if (value === undefined || value === null) return undefined;
      const items = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) return WRONG_TYPE;
      return items.map((item) => item.trim()).filter((item) => item !== '');
    },
    normalize: (items) => [...new Set(options.lowerCase ? items.map((item) => item.toLowerCase()) : items)],
    toConfig: same,
    configSuffix: '',
  };
}

/** Text; with a pattern, `error` says what it must look like. '' is "not set" when `optional`. */
export function text(
  options: {
    readonly pattern?: RegExp;
    readonly error?: string;
    readonly optional?: boolean;
    readonly placeholder?: string;
  } = {},
): Kind<string> {
  const form = z.string({ error: 'is not a string' });
  const { pattern } = options;
  return {
    placeholder: options.placeholder ?? '<text>',
    form,
    schema:
      pattern === undefined
        ? form
        : form.refine((value) => (options.optional && value === '') || pattern.test(value), {
            error: options.error ?? `does not match ${pattern}`,
          }),
    encode: same,
    decode: same,
    contextForm: TEXT_FORM,
    fromContext: contextText,
    normalize: same,
    toConfig: same,
    configSuffix: '',
  };
}

/**
 * An EventBridge Scheduler expression, or `false` for none (`off` as text), checked by `problem`
 * (the same rule for the construct's prop and the stand-in's flag).
 */
export function schedule(problem: (expression: string) => string | undefined): Kind<string | false> {
  const error = 'is not a schedule expression, nor false';
  const form = z.union([z.literal(false), z.string().min(1, { error })], { error });
  const schema = form.superRefine((value, context) => {
    const message = value === false ? undefined : problem(value);
    if (message !== undefined) context.addIssue({ code: 'custom', message });
  });
  return {
    placeholder: '<expression|off>',
    form,
    schema,
    encode: (value) => (value === false ? 'off' : value),
    decode: (text) => {
      const trimmed = text.trim();
      if (trimmed === '') return undefined;
      return trimmed === 'off' ? false : trimmed;
    },
    contextForm: `${TEXT_FORM}, or false`,
    fromContext: (value) => (value === false || value === 'off' ? false : contextText(value)),
    normalize: same,
    toConfig: same,
    configSuffix: '',
  };
}
