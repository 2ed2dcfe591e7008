import { readFileSync } from 'node:fs';
import type { Node } from 'constructs';
import { ALLOWED_SOURCES_HINT, type CloneFactoryProps, type RefreshScheduleProps } from './props.js';

/** Thrown when the app's context is missing a setting or has one of the wrong type. */
export class InvalidContext extends Error {
  override readonly name = 'InvalidContext';
}

/** A list from the command line (`a,b`) or from cdk.json (`["a", "b"]`). */
function list(node: Node, key: string): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  const items = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) {
    throw new InvalidContext(`Context "${key}" must be a comma-separated string or a list of strings.`);
  }
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function count(node: Node, key: string): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || Number.isNaN(number)) {
    throw new InvalidContext(`Context "${key}" must be a number.`);
  }
  return number;
}

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidContext(`Context "${key}" must be a string.`);
  return value.trim();
}

/** A schedule expression, or `false` for none: `off` on the command line, `false` in cdk.json. */
function schedule(node: Node, key: string): string | false | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === false || value === 'off') return false;
  return text(node, key);
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
 * Reads the deployment's settings from CDK context.
 *
 * @throws InvalidContext when `allowedSources` is missing, saying how to set it.
 */
export function settingsFromContext(node: Node): ContextSettings {
  const allowedSources = list(node, 'allowedSources');
  if (allowedSources === undefined || allowedSources.length === 0) {
    throw new InvalidContext(`allowedSources is not set: ${ALLOWED_SOURCES_HINT}.`);
  }
  const quotaHeadroom = count(node, 'quotaHeadroom');
  const maxClonesPerOwner = count(node, 'maxClonesPerOwner');
  const defaultTtl = text(node, 'defaultTtl');
  const maxTtl = text(node, 'maxTtl');
  const cloneNamePrefix = text(node, 'cloneNamePrefix');
  const defaultAllowedCidrs = list(node, 'defaultAllowedCidrs');
  const notificationEmail = text(node, 'notificationEmail');
  const sourceKmsKeyArns = list(node, 'sourceKmsKeyArns');
  const sweeperSchedule = schedule(node, 'sweeperSchedule');
  const refreshes = refreshSchedules(node, 'refreshSchedules');
  const expiryWarning = node.tryGetContext('expiryWarning') === false ? 'off' : text(node, 'expiryWarning');
  const maxLifetime = text(node, 'maxLifetime');
  const protectedClones = list(node, 'protectedClones');
  return {
    factory: {
      allowedSources,
      ...(defaultTtl === undefined ? {} : { defaultTtl }),
      ...(maxTtl === undefined ? {} : { maxTtl }),
      ...(cloneNamePrefix === undefined ? {} : { cloneNamePrefix }),
      ...(defaultAllowedCidrs === undefined ? {} : { defaultAllowedCidrs }),
      ...(notificationEmail === undefined ? {} : { notificationEmail }),
      ...(quotaHeadroom === undefined ? {} : { quotaHeadroom }),
      ...(maxClonesPerOwner === undefined ? {} : { maxClonesPerOwner }),
      ...(sourceKmsKeyArns === undefined ? {} : { sourceKmsKeyArns }),
      ...(sweeperSchedule === undefined ? {} : { sweeperSchedule }),
      ...(refreshes === undefined ? {} : { refreshSchedules: refreshes }),
      ...(expiryWarning === undefined ? {} : { expiryWarning }),
      ...(maxLifetime === undefined ? {} : { maxLifetime }),
      ...(protectedClones === undefined ? {} : { protectedClones }),
    },
    notificationTopicArn: text(node, 'notificationTopicArn'),
    stackName: text(node, 'stackName'),
  };
}
