import { AddTagsToResourceCommand } from '@aws-sdk/client-rds';
import { UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { cloneIdForName } from '../../functions/shared/artifact.js';
import { DURATION_FORM, formatDuration, parseDuration } from '../../functions/shared/duration.js';
import { atExpression } from '../../functions/shared/schedule.js';
import { TAG } from '../../functions/shared/tags.js';
import type { Aws } from '../aws.js';
import { type Clone, requireClone } from '../clones.js';
import { findDeployment } from '../deployment.js';
import { EXIT, UserError } from '../errors.js';
import { printJson, relativeTime, say } from '../output.js';
import { scheduleOf } from './list.js';

/** Options of `dbaf extend`. */
export interface ExtendOptions {
  readonly json?: boolean;
}

/** ISO 8601 UTC in whole seconds, as the `dbaf:expires-at` tag holds it. */
function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * The new expiry: the current one pushed by `byMs`, refused when the clone's whole life (from its
 * creation) would exceed the deployment's maximum TTL; the message says the most it can be pushed.
 */
export function extendedExpiry(clone: Clone, byMs: number, maxTtl: string): number {
  const current = new Date(clone.expiresAt ?? '').getTime();
  const created = new Date(clone.createdAt ?? '').getTime();
  if (Number.isNaN(current) || Number.isNaN(created)) {
    throw new UserError(
      `Clone ${clone.cloneId} has no readable ${TAG.expiresAt} tag or creation time, so it cannot be extended.`,
      EXIT.refused,
    );
  }
  const maxMs = parseDuration(maxTtl) ?? Number.POSITIVE_INFINITY;
  const next = current + byMs;
  if (next - created > maxMs) {
    const room = created + maxMs - current;
    throw new UserError(
      `Clone ${clone.cloneId} cannot live longer than this deployment's maximum TTL, ${maxTtl}, from its creation at ${clone.createdAt}. ` +
        (room >= 60_000
          ? `It can be extended by ${formatDuration(room)} at most (to ${isoSeconds(created + maxMs)}).`
          : 'It is already at the maximum; make a new clone instead.'),
      EXIT.refused,
    );
  }
  return next;
}

/** The tags saying the new expiry, on the cluster, its instances and its secret. */
async function retag(aws: Aws, clone: Clone, secretName: string, expiresAt: string): Promise<void> {
  const tag = [{ Key: TAG.expiresAt, Value: expiresAt }];
  const instanceArn = (id: string) => clone.arn.replace(/:cluster:[^:]+$/, `:db:${id}`);
  const arns = [clone.arn, ...clone.instances.map((instance) => instanceArn(instance.id))];
  for (const arn of arns) await aws.rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: tag }));
  await aws.secrets
    .send(new TagResourceCommand({ SecretId: secretName, Tags: tag }))
    .catch((error: Error) => {
      // A clone still being made may have no secret yet; reset-password tags it from the plan then.
      if (error.name !== 'ResourceNotFoundException') throw error;
    });
}

/**
 * `dbaf extend <clone> <duration>`: pushes the clone's expiry by the duration. The TTL schedule
 * (what deletes the clone) is moved first, then the `dbaf:expires-at` tags (what `dbaf list` shows).
 */
export async function extend(
  name: string,
  duration: string,
  options: ExtendOptions,
  aws: Aws,
): Promise<void> {
  const byMs = parseDuration(duration);
  if (byMs === undefined) throw new UserError(`"${duration}" is not ${DURATION_FORM}.`, EXIT.usage);
  const deployment = await findDeployment(aws);
  const cloneId = cloneIdForName(name, deployment.cloneNamePrefix);
  const clone = await requireClone(aws.rds, cloneId);
  const schedule = await scheduleOf(aws, deployment, cloneId);
  if (clone.clusterStatus === 'deleting' || schedule === undefined) {
    throw new UserError(
      `Clone ${cloneId} has no TTL schedule left (status ${clone.status}): it expired or is being deleted, and cannot be extended.`,
      EXIT.refused,
    );
  }
  const expiresAt = isoSeconds(extendedExpiry(clone, byMs, deployment.maxTtl));
  await aws.scheduler.send(
    new UpdateScheduleCommand({
      Name: schedule.Name,
      GroupName: schedule.GroupName,
      Description: schedule.Description,
      ScheduleExpression: atExpression(expiresAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: schedule.FlexibleTimeWindow,
      Target: schedule.Target,
      State: schedule.State,
      ActionAfterCompletion: schedule.ActionAfterCompletion,
      StartDate: schedule.StartDate,
      EndDate: schedule.EndDate,
      KmsKeyArn: schedule.KmsKeyArn,
    }),
  );
  try {
    await retag(aws, clone, `${deployment.secretPrefix}${cloneId}`, expiresAt);
  } catch (error) {
    throw new UserError(
      `The TTL schedule of ${cloneId} now deletes it at ${expiresAt}, but its ${TAG.expiresAt} tags could not be updated ` +
        `(${(error as Error).name}: ${(error as Error).message}); "dbaf list" shows the old time until they are.`,
      EXIT.failed,
      { cause: error },
    );
  }
  if (options.json) {
    printJson({ cloneId, expiresAt, previousExpiresAt: clone.expiresAt });
    return;
  }
  say(
    `Clone ${cloneId} now expires at ${expiresAt} (${relativeTime(expiresAt)}); it was ${clone.expiresAt}.`,
  );
}
