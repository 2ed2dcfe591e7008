import type { Account } from '../../local/core/state.js';
import type { DataPlanePort } from '../../local/services/rds/lifecycle.js';
import { CLIENT_SECURITY_GROUP, REGION, SOURCE, SUBNETS } from './fake-aws/index.js';

// The stand-in's account as the workflow tests' fake starts it, for running the stand-in's services
// beside the fake (test/support/fakes.ts) or under the workflow harness (bench/fakes.ts).

/** A data plane that does nothing but remember which servers "run". */
export function noDataPlane(): DataPlanePort {
  const running = new Set<string>();
  return {
    clone: async () => undefined,
    start: async (key) => {
      running.add(key);
    },
    stop: async (key) => {
      running.delete(key);
    },
    remove: async (key) => {
      running.delete(key);
    },
    setPassword: async () => undefined,
    isRunning: (key) => running.has(key),
  };
}

/** The stand-in's account with what the fake's account starts with (`fake-aws/state.ts`). */
export function seedLikeTheFake(account: Account): void {
  const { data } = account;
  const now = new Date().toISOString();
  for (const vpc of new Set(SUBNETS.map((s) => s.VpcId)))
    data.vpcs[vpc] = { id: vpc, cidr: '10.0.0.0/16', isDefault: false };
  SUBNETS.forEach((s, i) => {
    data.subnets[s.SubnetId] = {
      id: s.SubnetId,
      vpcId: s.VpcId,
      availabilityZone: s.AvailabilityZone,
      cidr: `10.0.${i}.0/24`,
    };
  });
  data.subnetGroups[SOURCE.subnetGroup] = {
    name: SOURCE.subnetGroup,
    arn: account.arn('rds', `subgrp:${SOURCE.subnetGroup}`),
    description: 'legacy',
    vpcId: SOURCE.vpcId,
    subnetIds: SUBNETS.filter((s) => s.VpcId === SOURCE.vpcId).map((s) => s.SubnetId),
    tags: [],
  };
  data.clusters[SOURCE.id] = {
    id: SOURCE.id,
    arn: account.arn('rds', `cluster:${SOURCE.id}`),
    resourceId: 'cluster-SOURCE',
    engine: 'aurora-postgresql',
    engineVersion: '15.4',
    status: 'available',
    port: 5432,
    masterUsername: 'legacy_admin',
    databaseName: 'legacy',
    subnetGroup: SOURCE.subnetGroup,
    clusterParameterGroup: 'legacy-prod-cluster-params',
    securityGroupIds: [],
    tags: [{ Key: 'team', Value: 'billing' }],
    createdAt: now,
    deletionProtection: false,
    pendingPassword: false,
  };
  data.instances[SOURCE.writer] = {
    id: SOURCE.writer,
    arn: account.arn('rds', `db:${SOURCE.writer}`),
    resourceId: 'db-SOURCE',
    clusterId: SOURCE.id,
    instanceClass: 'db.r6g.xlarge',
    status: 'available',
    parameterGroup: 'legacy-prod-instance-params',
    availabilityZone: `${REGION}a`,
    tags: [],
    createdAt: now,
  };
  data.securityGroups[CLIENT_SECURITY_GROUP] = {
    id: CLIENT_SECURITY_GROUP,
    name: 'developers',
    description: 'developers',
    vpcId: SOURCE.vpcId,
    tags: [],
    ingress: [],
  };
  data.scheduleGroups.dbaf = {
    name: 'dbaf',
    arn: account.arn('scheduler', 'schedule-group/dbaf'),
    tags: [],
    createdAt: now,
  };
}
