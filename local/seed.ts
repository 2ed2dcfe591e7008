import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SWEEPER_SCHEDULE_NAME } from '../functions/shared/schedule.js';
import type { Account, ClusterRecord, InstanceRecord, SecretRecord } from './core/state.js';
import { type Deployment, schedulerRoleArn, stateMachineArn } from './deployment.js';
import type { DataPlane } from './postgres/data-plane.js';
import { seedLegacyDataset } from './postgres/seed.js';
import { type SeededNetwork, seedNetwork } from './services/ec2-network.js';
import type { RdsLifecycle } from './services/rds/lifecycle.js';
import { defaultParameterGroup, resourceId } from './services/rds/lookups.js';

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

/** The deployment's schedule group, where the TTL, warning, refresh and sweeper schedules go. */
function seedScheduleGroup(account: Account, deployment: Deployment, now: string): void {
  const name = deployment.scheduleGroupName;
  if (account.data.scheduleGroups[name]) return;
  account.data.scheduleGroups[name] = {
    name,
    arn: account.arn('scheduler', `schedule-group/${name}`),
    tags: [],
    createdAt: now,
  };
}

/** The source's subnet group, over the subnets of its VPC. */
function seedSubnetGroup(account: Account, network: SeededNetwork): void {
  if (account.data.subnetGroups[SOURCE.subnetGroup]) return;
  account.data.subnetGroups[SOURCE.subnetGroup] = {
    name: SOURCE.subnetGroup,
    arn: account.arn('rds', `subgrp:${SOURCE.subnetGroup}`),
    description: 'legacy production database subnets',
    vpcId: network.sourceVpcId,
    subnetIds: [...network.sourceSubnetIds],
    tags: [],
  };
}

/** The source cluster's record, `available` on its own port. */
async function sourceCluster(account: Account, lifecycle: RdsLifecycle, now: string): Promise<ClusterRecord> {
  return {
    id: SOURCE.id,
    arn: account.arn('rds', `cluster:${SOURCE.id}`),
    resourceId: resourceId('cluster'),
    engine: 'aurora-postgresql',
    engineVersion: SOURCE.engineVersion,
    status: 'available',
    port: await lifecycle.portFor(SOURCE.id),
    masterUsername: SOURCE.masterUsername,
    databaseName: SOURCE.databaseName,
    subnetGroup: SOURCE.subnetGroup,
    clusterParameterGroup: defaultParameterGroup(SOURCE.engineVersion),
    securityGroupIds: [],
    tags: [
      { Key: 'team', Value: 'billing' },
      { Key: 'environment', Value: 'production' },
    ],
    createdAt: now,
    deletionProtection: true,
    pendingPassword: false,
  };
}

/** Creates the source's PostgreSQL server and fills it with the dirty legacy dataset. */
async function createSourceDatabase(
  dataPlane: DataPlane,
  source: ClusterRecord,
  password: string,
  log: (line: string) => void,
): Promise<void> {
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
}

/** The source's writer instance. */
function sourceInstance(account: Account, now: string): InstanceRecord {
  return {
    id: SOURCE.instanceId,
    arn: account.arn('rds', `db:${SOURCE.instanceId}`),
    resourceId: resourceId('db'),
    clusterId: SOURCE.id,
    instanceClass: 'db.r6g.xlarge',
    status: 'available',
    parameterGroup: defaultParameterGroup(SOURCE.engineVersion),
    availabilityZone: `${account.region}a`,
    tags: [],
    createdAt: now,
  };
}

/** The source's master credentials, as a team keeps them in Secrets Manager. */
function sourceSecret(account: Account, source: ClusterRecord, password: string, now: string): SecretRecord {
  const name = SOURCE.secretName;
  return {
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
  seedScheduleGroup(account, deployment, now);
  seedSweeperSchedule(account, deployment, now);
  seedSubnetGroup(account, network);
  if (data.clusters[SOURCE.id]) return;
  const source = await sourceCluster(account, lifecycle, now);
  const password = randomBytes(18).toString('base64url');
  await createSourceDatabase(dataPlane, source, password, log);
  data.clusters[SOURCE.id] = source;
  data.instances[SOURCE.instanceId] = sourceInstance(account, now);
  data.secrets[SOURCE.secretName] = sourceSecret(account, source, password, now);
}
