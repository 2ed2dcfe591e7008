/**
 * The in-memory state of the fake AWS account the workflow tests run against.
 *
 * Resources move through AWS's lifecycle states (creating → available, deleting →
 * gone) one step per RDS call, so a state machine's poll loops see the
 * same sequence they see in AWS, only faster.
 */

export interface FakeTag {
  Key: string;
  Value: string;
}

export interface FakeCluster {
  id: string;
  arn: string;
  engine: string;
  engineVersion: string;
  status: string;
  port: number;
  masterUsername: string;
  databaseName: string;
  subnetGroup: string;
  parameterGroup: string;
  securityGroupIds: string[];
  tags: FakeTag[];
  password: string;
  pendingPassword: boolean;
  /** While `renaming`: the identifier the cluster is moving to (it keeps its old one until then). */
  renamingTo?: string;
  /** A rename requested without ApplyImmediately: it waits for a maintenance window, which never comes here. */
  pendingIdentifier?: string;
  /** Describe calls left before the next lifecycle transition. */
  ticks: number;
}

export interface FakeInstance {
  id: string;
  clusterId: string;
  instanceClass: string;
  status: string;
  parameterGroup: string;
  tags: FakeTag[];
  ticks: number;
}

export interface FakeSubnetGroup {
  name: string;
  arn: string;
  vpcId: string;
  subnetIds: string[];
  tags: FakeTag[];
}

export interface FakeSecurityGroup {
  id: string;
  name: string;
  vpcId: string;
  tags: FakeTag[];
  ingress: unknown[];
}

export interface FakeSecret {
  arn: string;
  name: string;
  value: string;
  tags: FakeTag[];
}

export interface FakeSchedule {
  name: string;
  groupName: string;
  arn: string;
  expression: string;
  target: { Arn?: string; RoleArn?: string; Input?: string };
  actionAfterCompletion?: string;
}

/** A Step Functions execution the handlers started or look up. */
export interface FakeExecution {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
}

/** How created resources behave; tests change these to inject trouble. */
export interface FakeBehaviour {
  /** Describe calls a new clone cluster spends in `creating`. */
  clusterTicks: number;
  /** Describe calls a new instance spends in `creating` (then one in `backing-up`). */
  instanceTicks: number;
  /** Where a new cluster ends up: `available`, or a terminal status such as `incompatible-restore`. */
  clusterEndStatus: string;
  /** Where a new instance ends up: `available` or `failed`, `incompatible-parameters`, ... */
  instanceEndStatus: string;
  /** Lifecycles that never advance: a stuck resource. */
  stuck: Set<'cluster' | 'instances' | 'password' | 'deletion'>;
  /** Describe calls a cluster spends in `renaming`. */
  renameTicks: number;
  /**
   * How the rename of a cluster ends, by the identifier it had before: `available` unless listed
   * here, a status RDS does not leave (`failed`, ...), or `never` (it stays `renaming`).
   */
  renameEnds: Map<string, string>;
}

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** The seeded "production" source cluster. */
export const SOURCE = {
  id: 'legacy-prod',
  writer: 'legacy-prod-writer',
  subnetGroup: 'legacy-prod-subnets',
  vpcId: 'vpc-0a1b2c3d',
  password: 'production-password-never-reused',
} as const;

/** Subnets of the fake region: three AZs in the source VPC, one in another VPC. */
export const SUBNETS = [
  { SubnetId: 'subnet-0a1b2c3d', VpcId: SOURCE.vpcId, AvailabilityZone: 'us-east-1a' },
  { SubnetId: 'subnet-1b2c3d4e', VpcId: SOURCE.vpcId, AvailabilityZone: 'us-east-1b' },
  { SubnetId: 'subnet-2c3d4e5f', VpcId: SOURCE.vpcId, AvailabilityZone: 'us-east-1c' },
  { SubnetId: 'subnet-9f8e7d6c', VpcId: 'vpc-99999999', AvailabilityZone: 'us-east-1a' },
  { SubnetId: 'subnet-3d4e5f6a', VpcId: SOURCE.vpcId, AvailabilityZone: 'us-east-1a' },
] as const;

/** A pre-existing security group of client machines, not ours. */
export const CLIENT_SECURITY_GROUP = 'sg-0c1e2a3b';

/** `tags` with `adding` written over it, key by key, as every AWS tagging call does. */
export function mergeTags(
  tags: FakeTag[],
  adding: { Key?: string; Value?: string }[] | undefined,
): FakeTag[] {
  const added = (adding ?? []).map(({ Key = '', Value = '' }) => ({ Key, Value }));
  return [...tags.filter((tag) => !added.some((a) => a.Key === tag.Key)), ...added];
}

export function rdsArn(kind: 'cluster' | 'db' | 'subgrp', name: string): string {
  return `arn:aws:rds:${REGION}:${ACCOUNT}:${kind}:${name}`;
}

/** Everything in the fake account, and what the tests may change. */
export class FakeState {
  readonly clusters = new Map<string, FakeCluster>();
  readonly instances = new Map<string, FakeInstance>();
  readonly subnetGroups = new Map<string, FakeSubnetGroup>();
  readonly securityGroups = new Map<string, FakeSecurityGroup>();
  readonly secrets = new Map<string, FakeSecret>();
  readonly schedules = new Map<string, FakeSchedule>();
  /** Executions the handlers started, and any a test adds (by ARN). They run only when a test says so. */
  readonly executions = new Map<string, FakeExecution>();
  readonly events: { Source?: string; DetailType?: string; Detail?: string }[] = [];
  readonly behaviour: FakeBehaviour = {
    clusterTicks: 2,
    instanceTicks: 2,
    clusterEndStatus: 'available',
    instanceEndStatus: 'available',
    stuck: new Set(),
    renameTicks: 2,
    renameEnds: new Map(),
  };
  clusterQuota = 40;
  private nextId = 1;

  constructor() {
    this.clusters.set(SOURCE.id, {
      id: SOURCE.id,
      arn: rdsArn('cluster', SOURCE.id),
      engine: 'aurora-postgresql',
      engineVersion: '15.4',
      status: 'available',
      port: 5432,
      masterUsername: 'legacy_admin',
      databaseName: 'legacy',
      subnetGroup: SOURCE.subnetGroup,
      parameterGroup: 'legacy-prod-cluster-params',
      securityGroupIds: [],
      tags: [{ Key: 'team', Value: 'billing' }],
      password: SOURCE.password,
      pendingPassword: false,
      ticks: 0,
    });
    this.instances.set(SOURCE.writer, {
      id: SOURCE.writer,
      clusterId: SOURCE.id,
      instanceClass: 'db.r6g.xlarge',
      status: 'available',
      parameterGroup: 'legacy-prod-instance-params',
      tags: [],
      ticks: 0,
    });
    this.subnetGroups.set(SOURCE.subnetGroup, {
      name: SOURCE.subnetGroup,
      arn: rdsArn('subgrp', SOURCE.subnetGroup),
      vpcId: SOURCE.vpcId,
      subnetIds: SUBNETS.filter((s) => s.VpcId === SOURCE.vpcId).map((s) => s.SubnetId),
      tags: [],
    });
    this.securityGroups.set(CLIENT_SECURITY_GROUP, {
      id: CLIENT_SECURITY_GROUP,
      name: 'developers',
      vpcId: SOURCE.vpcId,
      tags: [],
      ingress: [],
    });
  }

  /** A fresh id with AWS's shape, such as `sg-00000001`. */
  id(prefix: string): string {
    return `${prefix}-${(this.nextId++).toString(16).padStart(8, '0')}`;
  }

  /** True when a cluster has this identifier, or is being renamed to it. */
  clusterIdTaken(id: string): boolean {
    return this.clusters.has(id) || [...this.clusters.values()].some((c) => c.renamingTo === id);
  }

  /**
   * A rename's end: the cluster, its ARN and its endpoint take the new identifier (its instances
   * keep their names and follow it), in the status {@link FakeBehaviour.renameEnds} says.
   */
  private finishRename(cluster: FakeCluster, to: string): void {
    const end = this.behaviour.renameEnds.get(cluster.id) ?? 'available';
    if (end === 'never') return;
    for (const instance of this.instances.values()) {
      if (instance.clusterId === cluster.id) instance.clusterId = to;
    }
    this.clusters.delete(cluster.id);
    cluster.id = to;
    cluster.arn = rdsArn('cluster', to);
    cluster.renamingTo = undefined;
    cluster.status = end;
    this.clusters.set(to, cluster);
  }

  /** One step of every lifecycle; called on each RDS call. */
  tick(): void {
    const { behaviour } = this;
    for (const cluster of [...this.clusters.values()]) {
      if (cluster.ticks > 0) cluster.ticks -= 1;
      if (cluster.ticks > 0) continue;
      if (cluster.status === 'creating' && !behaviour.stuck.has('cluster'))
        cluster.status = behaviour.clusterEndStatus;
      else if (cluster.status === 'resetting-master-credentials' && !behaviour.stuck.has('password')) {
        cluster.status = 'available';
        cluster.pendingPassword = false;
      } else if (cluster.status === 'renaming' && cluster.renamingTo !== undefined)
        this.finishRename(cluster, cluster.renamingTo);
      else if (cluster.status === 'deleting' && !behaviour.stuck.has('deletion'))
        this.clusters.delete(cluster.id);
    }
    for (const instance of [...this.instances.values()]) {
      if (instance.ticks > 0) instance.ticks -= 1;
      if (instance.ticks > 0 || behaviour.stuck.has('instances')) continue;
      if (instance.status === 'creating') {
        instance.status =
          behaviour.instanceEndStatus === 'available' ? 'backing-up' : behaviour.instanceEndStatus;
        instance.ticks = 1;
      } else if (instance.status === 'backing-up') instance.status = 'available';
      else if (instance.status === 'deleting') this.instances.delete(instance.id);
    }
  }

  /** Names of everything that is not part of the seeded account: what a clone left behind. */
  leftovers(): string[] {
    const seeded = new FakeState();
    const extra = <T>(mine: Map<string, T>, theirs: Map<string, T>, kind: string) =>
      [...mine.keys()].filter((key) => !theirs.has(key)).map((key) => `${kind} ${key}`);
    return [
      ...extra(this.clusters, seeded.clusters, 'cluster'),
      ...extra(this.instances, seeded.instances, 'instance'),
      ...extra(this.subnetGroups, seeded.subnetGroups, 'subnet group'),
      ...extra(this.securityGroups, seeded.securityGroups, 'security group'),
      ...[...this.secrets.keys()].map((name) => `secret ${name}`),
      ...[...this.schedules.keys()].map((name) => `schedule ${name}`),
    ];
  }
}
