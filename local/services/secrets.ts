import * as sdk from '@aws-sdk/client-secrets-manager';
import { bindOperations, type ServiceContext, type ServiceDefinition } from '../core/service.js';
import { lifecycleOperations } from './secrets-lifecycle.js';
import { listOperations } from './secrets-list.js';
import { valueOperations } from './secrets-values.js';

/**
 * AWS Secrets Manager (awsJson1.1): secrets with versions (AWSCURRENT/AWSPREVIOUS), tags,
 * scheduled deletion with a recovery window (in the clock's AWS time) and restore. Values
 * are never logged.
 *
 * The actions live by concern: `secrets-lifecycle.ts` (create, describe, delete, restore),
 * `secrets-values.ts` (get, put, update), `secrets-list.ts` (list and tags); the lookups and
 * checks they share are in `secrets-store.ts`.
 */
export function secretsService(context: ServiceContext): ServiceDefinition {
  return {
    id: 'secretsmanager',
    protocol: 'json1.1',
    sdk,
    targetPrefix: 'secretsmanager',
    operations: bindOperations(context, {
      ...lifecycleOperations,
      ...valueOperations,
      ...listOperations,
    }),
  };
}
