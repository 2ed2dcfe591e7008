import { readFileSync } from 'node:fs';
import type { Node } from 'constructs';
import {
  type AnyKind,
  SETTINGS,
  text as textKind,
  WRONG_TYPE,
} from '../../functions/shared/settings/index.js';
import {
  ALLOWED_SOURCES_HINT,
  type CloneFactoryProps,
  CONSTRUCT_SETTINGS,
  type RefreshScheduleProps,
} from './props.js';

/** Thrown when the app's context is missing a setting or has one of the wrong type. */
export class InvalidContext extends Error {
  override readonly name = 'InvalidContext';
}

/**
 * A setting from context, read as its kind says: `-c key=value` text, or the JSON of cdk.json
 * (lists as JSON arrays, `false` for "off").
 */
function fromContext(node: Node, key: string, kind: AnyKind): unknown {
  const value = kind.fromContext(node.tryGetContext(key));
  if (value === WRONG_TYPE) throw new InvalidContext(`Context "${key}" must be ${kind.contextForm}.`);
  return value;
}

function text(node: Node, key: string): string | undefined {
  return fromContext(node, key, textKind()) as string | undefined;
}

/**
 * Refresh schedules from context: a list (cdk.json) or its JSON text (`-c refreshSchedules=...`)
 * of `{ "artifact": ..., "cron": ..., "timezone": ... }`, where `artifact` may be the path of an
 * artifact file, read relative to the directory `cdk` runs in.
 */
function refreshSchedules(node: Node, key: string): RefreshScheduleProps[] | undefined {
  let value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const form = `Context "${key}" must be a list of {"artifact": <artifact or its file>, "cron": "0 6 ? * MON-FRI *", "timezone": "Europe/Paris"}`;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new InvalidContext(`${form}, as JSON.`);
    }
  }
  if (!Array.isArray(value)) throw new InvalidContext(`${form}.`);
  return value.map((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object')
      throw new InvalidContext(`${form}; entry ${index} is not.`);
    const { artifact, cron, timezone } = entry as Record<string, unknown>;
    if (typeof cron !== 'string' || (timezone !== undefined && typeof timezone !== 'string')) {
      throw new InvalidContext(
        `${form}; entry ${index} has no "cron" text (or a "timezone" that is not text).`,
      );
    }
    let document = artifact;
    if (typeof artifact === 'string') {
      try {
        document = JSON.parse(readFileSync(artifact, 'utf8'));
      } catch (error) {
        throw new InvalidContext(
          `${key}[${index}].artifact: cannot read "${artifact}" as JSON (${(error as Error).message}).`,
        );
      }
    }
    return {
      artifact: document as RefreshScheduleProps['artifact'],
      cron,
      ...(timezone === undefined ? {} : { timezone }),
    };
  });
}

/** The settings in context, without the topic (the app turns `notificationTopicArn` into one). */
export interface ContextSettings {
  readonly factory: Omit<CloneFactoryProps, 'notificationTopic'>;
  readonly notificationTopicArn: string | undefined;
  readonly stackName: string | undefined;
}

/**
 * Reads the deployment's settings from CDK context: every setting of the table and the
 * construct's own plain props under their own names, the refresh schedules, the topic and the
 * stack name.
 *
 * @throws InvalidContext when `allowedSources` is missing, saying how to set it, or when a value
 * has the wrong type.
 */
export function settingsFromContext(node: Node): ContextSettings {
  const factory: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries({ ...SETTINGS, ...CONSTRUCT_SETTINGS })) {
    const value = fromContext(node, key, entry.kind);
    if (value !== undefined) factory[key] = value;
  }
  const allowedSources = factory.allowedSources as readonly string[] | undefined;
  if (allowedSources === undefined || allowedSources.length === 0) {
    throw new InvalidContext(`allowedSources is not set: ${ALLOWED_SOURCES_HINT}.`);
  }
  const refreshes = refreshSchedules(node, 'refreshSchedules');
  if (refreshes !== undefined) factory.refreshSchedules = refreshes;
  return {
    factory: factory as unknown as ContextSettings['factory'],
    notificationTopicArn: text(node, 'notificationTopicArn'),
    stackName: text(node, 'stackName'),
  };
}
