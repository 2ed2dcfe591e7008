import { randomBytes } from 'node:crypto';
import * as sdk from '@aws-sdk/client-rds';
import { RDS_ERRORS } from '../../../functions/shared/aws/rds-errors.js';
import { identifierRefusal, storedIdentifier } from '../../../functions/shared/aws/rds-identifiers.js';
import { RDS_QUOTAS, type RdsQuotaName } from '../../../functions/shared/aws/rds-requests.js';
import type { AwsRefusal } from '../../../functions/shared/aws/refusal.js';
import { missingParameter, refusalError } from '../../core/errors.js';
import type { Faults } from '../../core/faults.js';
import type {
  Account,
  AccountData,
  ClusterRecord,
  InstanceRecord,
  SubnetGroupRecord,
} from '../../core/state.js';
import type { RdsLifecycle } from './lifecycle.js';

/** What every RDS operation works on: the account, its lifecycle timers and the injected faults. */
export interface Rds {
  readonly account: Account;
  readonly data: AccountData;
  readonly faults: Faults;
  readonly lifecycle: RdsLifecycle;
}

/** The `$metadata` the SDK's exception constructors want. */
export const meta = { $metadata: {} };

/** The value of a required parameter, or RDS's MissingParameter. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

/** One of RDS's refusals (`functions/shared/aws/rds-errors.ts`), as the stand-in throws it. */
export function rdsError(refusal: AwsRefusal): Error {
  return refusalError(sdk, refusal);
}

/** An identifier RDS takes (`functions/shared/aws/rds-identifiers.ts`), as RDS stores it: in lower case. */
export function identifier(value: string | undefined, name: string): string {
  const given = required(value, name);
  const refusal = identifierRefusal(given, name);
  if (refusal) throw rdsError(refusal);
  return storedIdentifier(given);
}

/** The account's limit on DB clusters or instances: set through the control API, or RDS's default. */
export function quota(rds: Rds, name: RdsQuotaName): number {
  return rds.data.quotas[name] ?? RDS_QUOTAS[name];
}

/** A new immutable resource id, as RDS makes them (`cluster-ABC...`, `db-ABC...`). */
export function resourceId(prefix: 'cluster' | 'db'): string {
  return `${prefix}-${randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`;
}

/** The default (cluster) parameter group of an Aurora PostgreSQL engine version. */
export function defaultParameterGroup(engineVersion: string): string {
  return `default.aurora-postgresql${engineVersion.split('.')[0]}`;
}

/** DBClusterNotFoundFault, worded as RDS words it. */
export function clusterNotFound(id: string | undefined): Error {
  return rdsError(RDS_ERRORS.clusterNotFound(id));
}

/** DBInstanceNotFoundFault, worded as RDS words it. */
export function instanceNotFound(id: string | undefined): Error {
  return rdsError(RDS_ERRORS.instanceNotFound(id));
}

/** DBSubnetGroupNotFoundFault naming the group as given (RDS quotes it in some answers, not in others). */
export function subnetGroupNotFound(name: string | undefined): Error {
  return rdsError(RDS_ERRORS.subnetGroupNotFound(name));
}

/** The cluster an identifier or ARN names. */
export function clusterOf(rds: Rds, id: string | undefined): ClusterRecord {
  const found = rds.data.clusters[(id ?? '').split(':').pop()?.toLowerCase() ?? ''];
  if (!found) throw clusterNotFound(id);
  return found;
}

/** The DB instance an identifier names. */
export function instanceOf(rds: Rds, id: string | undefined): InstanceRecord {
  const found = rds.data.instances[(id ?? '').toLowerCase()];
  if (!found) throw instanceNotFound(id);
  return found;
}

/** The cluster, instance or subnet group a tagging call's ResourceName (an ARN) names. */
export function taggable(
  rds: Rds,
  arn: string | undefined,
): ClusterRecord | InstanceRecord | SubnetGroupRecord {
  const name = required(arn, 'ResourceName');
  const [, , , , , kind, id = ''] = name.split(':');
  const { data } = rds;
  const found =
    kind === 'cluster'
      ? data.clusters[id]
      : kind === 'db'
        ? data.instances[id]
        : kind === 'subgrp'
          ? data.subnetGroups[id]
          : undefined;
  if (found) return found;
  if (kind === 'db') throw instanceNotFound(id);
  if (kind === 'subgrp') throw subnetGroupNotFound(id);
  throw clusterNotFound(id);
}
