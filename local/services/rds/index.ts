import * as sdk from '@aws-sdk/client-rds';
import { bindOperations, type ServiceContext, type ServiceDefinition } from '../../core/service.js';
import { clusterOperations } from './clusters.js';
import { describeOperations } from './describe.js';
import { instanceOperations } from './instances.js';
import { type DataPlanePort, RdsLifecycle } from './lifecycle.js';
import type { Rds } from './lookups.js';
import { subnetGroupOperations } from './subnet-groups.js';

/**
 * Amazon RDS (awsQuery), for Aurora PostgreSQL: what the handlers and the CLI call, with
 * RDS's lifecycle states and error codes, over real PostgreSQL servers.
 *
 * Each action is a function of its resource's file (`clusters.ts`, `instances.ts`,
 * `subnet-groups.ts`, `describe.ts`); the lookups and checks they share are in `lookups.ts`.
 */
export function rdsService(
  context: ServiceContext,
  dataPlane: DataPlanePort,
): ServiceDefinition & { lifecycle: RdsLifecycle } {
  const { account, faults } = context;
  const lifecycle = new RdsLifecycle(context, dataPlane);
  const rds: Rds = { account, data: account.data, faults, lifecycle };
  return {
    id: 'rds',
    protocol: 'query',
    sdk: sdk as unknown as Record<string, unknown>,
    xmlNamespace: 'http://rds.amazonaws.com/doc/2014-10-31/',
    version: '2014-10-31',
    operations: bindOperations(rds, {
      ...describeOperations,
      ...subnetGroupOperations,
      ...clusterOperations,
      ...instanceOperations,
    }),
    lifecycle,
  };
}
