import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SWEEPER_SCHEDULE_NAME } from '../functions/shared/schedule.js';
import type { Account } from './core/state.js';
import { type Deployment, schedulerRoleArn, stateMachineArn } from './deployment.js';
import type { DataPlane } from './postgres/data-plane.js';
import { seedLegacyDataset } from './postgres/seed.js';
import { seedNetwork } from './services/ec2-network.js';
import type { RdsLifecycle } from './services/rds/lifecycle.js';

/** The seeded "production" cluster: what the demo clones. */
export const SOURCE = {
  id: 'legacy-prod',
  instanceId: 'legacy-prod-writer',
  subnetGroup: 'legacy-prod-subnets',
  masterUsername: 'legacy_admin',
  databaseName: 'legacy',
  engineVersion: '15.4',
  /** Where its master credentials are kept, as production teams keep them (not a managed secret). */
  secretName: 'legacy-prod/master',
} as const;

/**
 * The sweeper's recurring schedule, as the CDK construct creates it: in the deployment's schedule
 * group, starting the sweeper state machine with `{}`. Left alone when it exists (a saved account
 * keeps its own), and not made when the deployment turns the sweeper's schedule off.
 */
function seedSweeperSchedule(account: Account, deployment: Deployment, now: string): void {
  const group = deployment.scheduleGroupName;
  const key = `${group}/${SWEEPER_SCHEDULE_NAME}`;
  if (deployment.sweeperSchedule === false || account.data.schedules[key]) return;
  account.data.schedules[key] = {
    name: SWEEPER_SCHEDULE_NAME,
    groupName: group,
    arn: account.arn('scheduler', `schedule/${key}`),
    expression: deployment.sweeperSchedule,
    timezone: 'UTC',
    state: 'ENABLED',
    flexibleTimeWindow: { Mode: 'OFF' },
    target: {
      Arn: stateMachineArn(deployment, 'sweeper'),
      RoleArn: schedulerRoleArn(deployment),
      Input: '{}',
      RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 3 },
    },
    actionAfterCompletion: 'NONE',
    description:
      'db-artifact-factory: sweep expired clones whose TTL schedule is lost, and orphaned resources',
    createdAt: now,
    modifiedAt: now,
  };
}

/**
 * Creates the account's seeded content unless it is there: the network, the schedule group
 * of the deployment with the sweeper's schedule, and the `legacy-prod` cluster with its dirty legacy dataset, its writer
 * instance and its master credentials in Secrets Manager. Starts the source's server.
 */
export async function seedAccount(
  account: Account,
  deployment: Deployment,
  dataPlane: DataPlane,
  lifecycle: RdsLifecycle,
  log: (line: string) => void,
): Promise<void> {
  const { data } = account;
  const network = seedNetwork(account);
  const now = new Date().toISOString();
  if (!data.scheduleGroups[deployment.scheduleGroupName]) {
    data.scheduleGroups[deployment.scheduleGroupName] = {
      name: deployment.scheduleGroupName,
      arn: account.arn('scheduler', `schedule-group/${deployment.scheduleGroupName}`),
      tags: [],
      createdAt: now,
    };
  }
  seedSweeperSchedule(account, deployment, now);
  if (!data.subnetGroups[SOURCE.subnetGroup]) {
    data.subnetGroups[SOURCE.subnetGroup] = {
      name: SOURCE.subnetGroup,
      arn: account.arn('rds', `subgrp:${SOURCE.subnetGroup}`),
      description: 'legacy production database subnets',
      vpcId: network.sourceVpcId,
      subnetIds: [...network.sourceSubnetIds],
      tags: [],
    };
  }
  let source = data.clusters[SOURCE.id];
  if (!source) {
    source = {
      id: SOURCE.id,
      arn: account.arn('rds', `cluster:${SOURCE.id}`),
      resourceId: `cluster-${randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`,
      engine: 'aurora-postgresql',
      engineVersion: SOURCE.engineVersion,
      status: 'available',
      port: await lifecycle.portFor(SOURCE.id),
      masterUsername: SOURCE.masterUsername,
      databaseName: SOURCE.databaseName,
      subnetGroup: SOURCE.subnetGroup,
      clusterParameterGroup: 'default.aurora-postgresql15',
      securityGroupIds: [],
      tags: [
        { Key: 'team', Value: 'billing' },
        { Key: 'environment', Value: 'production' },
      ],
      createdAt: now,
      deletionProtection: true,
      pendingPassword: false,
    };
    const password = randomBytes(18).toString('base64url');
    const started = Date.now();
    await dataPlane.create(
      source.resourceId,
      { username: SOURCE.masterUsername, password, databaseName: SOURCE.databaseName },
      source.port,
    );
    const client = new pg.Client({
      host: '127.0.0.1',
      port: source.port,
      user: SOURCE.masterUsername,
      password,
      database: SOURCE.databaseName,
    });
    await client.connect();
    try {
      const seeded = await seedLegacyDataset(client);
      log(`seed: ${SOURCE.id} created with ${seeded.totalRows} rows in ${Date.now() - started} ms`);
    } finally {
      await client.end();
    }
    data.clusters[SOURCE.id] = source;
    data.instances[SOURCE.instanceId] = {
      id: SOURCE.instanceId,
      arn: account.arn('rds', `db:${SOURCE.instanceId}`),
      resourceId: `db-${randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`,
      clusterId: SOURCE.id,
      instanceClass: 'db.r6g.xlarge',
      status: 'available',
      parameterGroup: 'default.aurora-postgresql15',
      availabilityZone: `${account.region}a`,
      tags: [],
      createdAt: now,
    };
    const name = SOURCE.secretName;
    data.secrets[name] = {
      arn: account.arn('secretsmanager', `secret:${name}-${randomBytes(3).toString('hex')}`),
      name,
      description: 'Master credentials of the legacy production database',
      secretString: JSON.stringify({
        engine: 'postgres',
        host: '127.0.0.1',
        port: source.port,
        username: SOURCE.masterUsername,
        password,
        dbname: SOURCE.databaseName,
        dbClusterIdentifier: SOURCE.id,
      }),
      versionId: randomBytes(16).toString('hex'),
      tags: [],
      createdAt: now,
    };
  }
}
