// The lead repoints this to the workflow catalog; type-only, so no Lambda bundles infra/.
import type { HandlerName } from '../../../state-machines/catalog.js';
import type { AnyKind, KindValue } from './kinds.js';

/** A stack output that carries a setting to the `dbaf` CLI. */
export interface OutputEntry {
  /** The output's key, such as `MaxTtl`. */
  readonly key: string;
  /** The output's description, in the stack and in the stand-in's DescribeStacks. */
  readonly description: string;
}

/**
 * One deployment setting: a construct prop, a CDK context key and a stand-in flag of the same
 * name, and an environment variable of the handlers that read it.
 */
export interface SettingEntry<K extends AnyKind = AnyKind> {
  /** How its value is checked, written and read. */
  readonly kind: K;
  /** Its value when none is given (to a Lambda that lacks the variable too). */
  readonly default: KindValue<K>;
  /** The construct cannot do without it: a required prop, with no default in the docs. @default false */
  readonly required?: boolean;
  /** One line for the stand-in's usage text and `dbaf local up --help`. */
  readonly summary: string;
  /** The handlers that read its variable; none: it is no environment variable. */
  readonly handlers: readonly HandlerName[];
  /** The stack output that carries it to the CLI. @default - none */
  readonly output?: OutputEntry;
}

/**
 * An environment variable that is no user setting: a name or ARN the deployment makes, or a
 * value fixed by the project. The stack and the stand-in give it to the same handlers.
 */
export interface WiringEntry<K extends AnyKind = AnyKind> {
  readonly kind: K;
  /** What a handler assumes without the variable, and the value when the deployment supplies none. */
  readonly default: KindValue<K>;
  /** The handlers that read it. */
  readonly handlers: readonly HandlerName[];
  /** The deployment must supply its value (a name or ARN it creates). @default false */
  readonly supplied?: boolean;
  /** Whether a deployment with these setting values gets it at all. @default - always */
  // biome-ignore lint/suspicious/noExplicitAny: the setting values are typed where the table is
  readonly when?: (settings: any) => boolean;
  /** False: read by a library (the logger), not by `loadConfig`. @default true */
  readonly config?: boolean;
}

/** Declares a setting, keeping its literal types (handlers, output key) for the derived types. */
export function setting<const E extends SettingEntry>(entry: E & SettingEntry<E['kind']>): E {
  return entry;
}

/** Declares a wiring variable, keeping its literal types. */
export function wiring<const E extends WiringEntry>(entry: E & WiringEntry<E['kind']>): E {
  return entry;
}

/** `maxTtl` → `MAX_TTL`: the environment variable of a setting or wiring key. */
export function variableOf(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

/** `maxTtl` → `max-ttl`: the stand-in's flag (and `dbaf local up`'s option) of a setting, without `--`. */
export function flagOf(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The value type of an entry. */
export type EntryValue<E> = E extends { readonly kind: infer K } ? KindValue<K> : never;

/** The `Config` field of an entry: its key with the kind's suffix. */
export type ConfigField<Key extends string, E> = E extends {
  readonly kind: { readonly configSuffix: infer S };
}
  ? `${Key}${S & string}`
  : never;

/** The `Config` value of an entry. */
export type ConfigValue<E> = E extends { readonly kind: { toConfig(value: never): infer C } } ? C : never;
