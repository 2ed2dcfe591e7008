import type { Node } from 'constructs';
import { ALLOWED_SOURCES_HINT, type CloneFactoryProps } from './props.js';

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
      ...(expiryWarning === undefined ? {} : { expiryWarning }),
      ...(maxLifetime === undefined ? {} : { maxLifetime }),
      ...(protectedClones === undefined ? {} : { protectedClones }),
    },
    notificationTopicArn: text(node, 'notificationTopicArn'),
    stackName: text(node, 'stackName'),
  };
}
