import { MIN_TTL_MS } from '../duration.js';
import { type EntryValue, setting, wiring } from './entries.js';
import { CLONE_NAME_PREFIX, cidrProblem, clusterSourceProblem, sweeperScheduleProblem } from './items.js';
import { count, duration, durationOrOff, list, schedule, text } from './kinds.js';

/** How to set the allowed sources, for error messages. */
export const ALLOWED_SOURCES_HINT =
  'name the clusters that may be cloned, e.g. `npx cdk deploy -c allowedSources=legacy-prod,orders-prod`, ' +
  '"allowedSources": ["legacy-prod"] in the "context" of cdk.json, or ' +
  "`new CloneFactory(this, 'Clones', { allowedSources: ['legacy-prod'] })`";

/** How often the sweeper runs when the deployment does not say otherwise. */
export const DEFAULT_SWEEPER_SCHEDULE = 'rate(1 hour)';

/**
 * Every deployment setting, once: its rule and default, its environment variable (its key in
 * upper snake case) and the handlers that read it, its stack output, its summary.
 *
 * Each is also a `CloneFactory` prop and a CDK context key of the same name (with this TSDoc),
 * a stand-in flag `--kebab-case` and a `dbaf local up` option, and a row of the README's settings
 * table. `handlers` are those that read the variable; a handler gets those variables, and the
 * others that `loadConfig` compares them with (`LAMBDA_RULES`: `MAX_TTL` with `MAX_LIFETIME`), no other.
 */
export const SETTINGS = {
  /**
   * The only clusters that can be cloned: DB cluster identifiers in the stack's account and region
   * (`legacy-prod`), or DB cluster ARNs for clusters shared through AWS RAM.
   *
   * The restore permission names exactly these clusters, and every clone's teardown refuses them.
   */
  allowedSources: setting({
    kind: list({
      item: clusterSourceProblem,
      empty: `is empty: ${ALLOWED_SOURCES_HINT}`,
      placeholder: '<ids>',
    }),
    default: [],
    required: true,
    summary: 'comma-separated clusters that may be cloned (identifiers or ARNs)',
    handlers: ['inspect-source', 'teardown', 'sweeper', 'refresh', 'operations'],
  }),

  /**
   * TTL of a clone whose artifact gives none (`30m`, `8h`, `3d`, `1d12h`; at least 30 minutes).
   * @default '8h'
   */
  defaultTtl: setting({
    kind: duration({ min: MIN_TTL_MS }),
    default: '8h',
    summary: 'TTL of a clone whose artifact gives none (at least 30m)',
    handlers: ['inspect-source', 'refresh'],
    output: { key: 'DefaultTtl', description: 'TTL of a clone whose artifact sets none' },
  }),

  /**
   * Longest TTL an artifact may ask for.
   * @default '7d'
   */
  maxTtl: setting({
    kind: duration({ min: MIN_TTL_MS }),
    default: '7d',
    summary: 'longest TTL an artifact may ask for, and dbaf extend may give from now',
    handlers: ['inspect-source', 'refresh', 'operations'],
    output: {
      key: 'MaxTtl',
      description: 'Longest TTL a clone may have, on creation or extension (counted from now)',
    },
  }),

  /**
   * Every clone's cluster identifier starts with this; the IAM policies are scoped to it.
   *
   * Lowercase letters, digits and single hyphens, starting with a letter, at most 20 characters.
   * No allowed source may start with it.
   * @default 'dbaf-'
   */
  cloneNamePrefix: setting({
    kind: text({
      pattern: CLONE_NAME_PREFIX,
      error:
        'is not valid; expected 1 to 20 lowercase letters, digits or single hyphens, starting with a letter (such as "dbaf-")',
      placeholder: '<prefix>',
    }),
    default: 'dbaf-',
    summary: "every clone's name starts with it",
    handlers: ['inspect-source', 'teardown', 'sweeper', 'refresh', 'operations'],
    output: { key: 'CloneNamePrefix', description: 'Prefix of every clone cluster identifier' },
  }),

  /**
   * Client networks admitted on the clone's port when an artifact names neither `allowedCidrs`
   * nor `securityGroupIds`. Never `/0`.
   * @default - none: every artifact must name its clients
   */
  defaultAllowedCidrs: setting({
    kind: list({ item: cidrProblem, placeholder: '<cidrs>' }),
    default: [],
    summary: 'comma-separated client networks admitted when an artifact names none',
    handlers: ['inspect-source', 'refresh'],
  }),

  /**
   * DB clusters to keep free under the region's DB-cluster quota: a clone that would leave fewer
   * free is refused before anything is created.
   * @default 0
   */
  quotaHeadroom: setting({
    kind: count(),
    default: 0,
    summary: "DB clusters to keep free under the region's quota",
    handlers: ['inspect-source', 'refresh'],
  }),

  /**
   * Most clones one owner (the artifact's `lifecycle.owner`) may have at once: one more is refused
   * before anything is created, naming the owner's clones. 0 means no limit.
   * @default 0
   */
  maxClonesPerOwner: setting({
    kind: count({ zero: 'no limit' }),
    default: 0,
    summary: 'most clones one owner may have at once (0: no limit)',
    handlers: ['inspect-source'],
  }),

  /**
   * How long before its expiry a clone's `Clone Expiring` event goes out (`30m`, `1h`, `1d`), so its
   * owner can extend it; `'off'` sends none. With a notification topic (`notificationEmail` or
   * `notificationTopic`), the event is also sent there. A clone whose TTL is shorter gets none.
   * @default '1h'
   */
  expiryWarning: setting({
    kind: durationOrOff({ off: 'no warning' }),
    default: '1h',
    summary: "how long before its expiry a clone's Clone Expiring event goes out, or off",
    handlers: ['schedule-ttl-deletion', 'refresh', 'operations'],
    output: {
      key: 'ExpiryWarning',
      description: 'How long before its expiry a clone gets a Clone Expiring event (off: none)',
    },
  }),

  /**
   * The longest a clone may live from its creation, however often it is extended (`dbaf extend`);
   * the sweeper deletes a clone past it. At least `maxTtl`.
   * @default '30d'
   */
  maxLifetime: setting({
    kind: duration(),
    default: '30d',
    summary: 'longest a clone lives from its creation, however often extended (at least the maximum TTL)',
    handlers: ['sweeper', 'refresh', 'operations'],
    output: {
      key: 'MaxLifetime',
      description: 'Longest a clone may live from its creation, however often it is extended',
    },
  }),

  /**
   * Clone ids (with the clone name prefix, such as `dbaf-demo`) the maximum lifetime does not apply
   * to: they can be extended for as long as someone keeps extending them, each time by at most
   * `maxTtl` from now.
   * @default - none
   */
  protectedClones: setting({
    kind: list({ lowerCase: true, placeholder: '<ids>' }),
    default: [],
    summary: 'comma-separated clone ids the maximum lifetime does not apply to',
    handlers: ['sweeper', 'refresh', 'operations'],
    output: {
      key: 'ProtectedClones',
      description: 'Clones the maximum lifetime does not apply to (none: no clone)',
    },
  }),

  /**
   * How often the sweeper runs: an EventBridge Scheduler `rate(...)` of at least 5 minutes, or a
   * `cron(...)` (UTC). `false` (`off` in context) creates no schedule: the sweeper state machine is
   * still deployed, and runs when someone starts it.
   *
   * The sweeper deletes (through the teardown) expired clones whose TTL schedule was lost, and what
   * failed clones left behind; turning it off leaves those to you.
   * @default 'rate(1 hour)'
   */
  sweeperSchedule: setting({
    kind: schedule(sweeperScheduleProblem),
    default: DEFAULT_SWEEPER_SCHEDULE,
    summary: 'how often the sweeper runs: rate(...), cron(...), or off',
    handlers: [],
  }),

  /**
   * How long past its expiry a clone whose TTL schedule still exists is left to that schedule
   * before the sweeper deletes it (`15m`, `1h`; at least 5 minutes), so the sweeper never races a
   * schedule that fires late or a teardown that is still running.
   * @default '15m'
   */
  sweeperGrace: setting({
    kind: duration({ min: 5 * 60_000 }),
    default: '15m',
    summary: 'how long past its expiry the sweeper leaves a clone to its TTL schedule (at least 5m)',
    handlers: ['sweeper'],
  }),
} as const;

/**
 * The environment variables that are no user setting, by `Config` name: what the deployment makes
 * (names, ARNs) and what the project fixes. Their names follow the same rule as the settings'.
 */
export const WIRING = {
  /** Secrets Manager name prefix of clone secrets; the secret is `<prefix><cloneId>`. */
  secretPrefix: wiring({
    kind: text(),
    default: 'dbaf/',
    handlers: ['inspect-source', 'teardown', 'sweeper', 'refresh', 'operations'],
  }),
  /** EventBridge Scheduler group of the TTL, warning and refresh schedules. */
  scheduleGroupName: wiring({
    kind: text(),
    default: 'dbaf',
    supplied: true,
    handlers: ['inspect-source', 'teardown', 'sweeper', 'refresh', 'operations'],
  }),
  /** The role schedules run as. */
  schedulerRoleArn: wiring({
    kind: text(),
    default: '',
    supplied: true,
    handlers: ['schedule-ttl-deletion', 'operations'],
  }),
  /** The teardown state machine: the TTL schedules' target, what the sweeper starts. */
  teardownStateMachineArn: wiring({
    kind: text(),
    default: '',
    supplied: true,
    handlers: ['schedule-ttl-deletion', 'sweeper'],
  }),
  /** The clone state machine, whose executions the sweeper and the refresh check. */
  cloneStateMachineArn: wiring({
    kind: text(),
    default: '',
    supplied: true,
    handlers: ['sweeper', 'refresh'],
  }),
  /** The refresh state machine, which the refresh schedules that the operations make start. */
  refreshStateMachineArn: wiring({
    kind: text(),
    default: '',
    supplied: true,
    handlers: ['operations'],
  }),
  /** Bus of the project's events. */
  eventBusName: wiring({
    kind: text(),
    default: 'default',
    handlers: ['publish-endpoint', 'teardown', 'sweeper', 'refresh'],
  }),
  /**
   * ARN of that bus, the target of the expiry warning schedules: only with warnings on. A handler
   * without it derives it from `TEARDOWN_STATE_MACHINE_ARN` (see `loadConfig`).
   */
  eventBusArn: wiring({
    kind: text(),
    default: '',
    supplied: true,
    handlers: ['schedule-ttl-deletion', 'refresh', 'operations'],
    when: (settings: SettingValues) => settings.expiryWarning !== 'off',
  }),
  /** The Powertools logger's level (read by the logger, not by `loadConfig`). */
  powertoolsLogLevel: wiring({
    kind: text(),
    default: 'INFO',
    config: false,
    // Every handler (a literal list: the catalog's runtime table would pull every handler into each bundle).
    handlers: [
      'inspect-source',
      'schedule-ttl-deletion',
      'restore-clone-cluster',
      'create-instance',
      'reset-password',
      'publish-endpoint',
      'check-clone-status',
      'teardown',
      'sweeper',
      'refresh',
      'operations',
    ],
  }),
} as const;

/** The settings table's type. */
export type Settings = typeof SETTINGS;
/** A setting's name: its prop, context key and `Config` stem. */
export type SettingKey = keyof Settings;
/** The wiring table's type. */
export type Wiring = typeof WIRING;
/** A wiring variable's name in camel case. */
export type WiringKey = keyof Wiring;

/** The value of every setting, checked and with its default applied (what `resolveSettings` returns). */
export type SettingValues = { readonly [K in keyof Settings]: EntryValue<Settings[K]> };

/**
 * The settings as `CloneFactory` props, with the table's TSDoc: the required ones (`allowedSources`),
 * then every other, optional.
 */
export type SettingProps = {
  readonly [K in keyof Settings as Settings[K] extends { readonly required: true } ? K : never]: EntryValue<
    Settings[K]
  >;
} & {
  readonly [K in keyof Settings as Settings[K] extends { readonly required: true } ? never : K]?: EntryValue<
    Settings[K]
  >;
};

/** Every setting key, in table order. */
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];
/** Every wiring key, in table order. */
export const WIRING_KEYS = Object.keys(WIRING) as WiringKey[];

/** The default of every setting. */
export const SETTING_DEFAULTS = Object.fromEntries(
  SETTING_KEYS.map((key) => [key, SETTINGS[key].default]),
) as unknown as SettingValues;
