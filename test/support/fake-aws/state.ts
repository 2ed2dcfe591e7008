import { RDS_QUOTAS } from '../../../functions/shared/aws/rds-requests.js';
import {
  CLUSTER_LIFECYCLES,
  INSTANCE_LIFECYCLES,
  statusAfter,
} from '../../../functions/shared/aws/rds-statuses.js';
import { DEFAULT_SCHEDULE_GROUP } from '../../../functions/shared/aws/scheduler.js';
import { type AwsTag, withTags } from '../../../functions/shared/aws/tags.js';
import type {
  ClusterRecord,
  InstanceRecord,
  ScheduleRecord,
  SecretRecord,
  SecurityGroupRecord,
  SubnetGroupRecord,
} from '../../../local/core/state.js';

/**
 * The in-memory state of the fake AWS account the workflow tests run against.
 *
 * Resources move through AWS's lifecycle states (`functions/shared/aws/rds-statuses.ts`:
 * creating → available, deleting → gone, ...) one step per RDS call, so a state machine's poll
 * loops see the same sequence they see in AWS, only faster. The records are the stand-in's
 * (`local/core/state.ts`), cut to the fields the fake models, so a test reads the same field
 * names against either; `test/local/fakes-agree.test.ts` checks the two answer alike.
 */

/** A tag as AWS lists it. */
export type FakeTag = AwsTag;

/** A DB cluster: the stand-in's record, plus what only the fake keeps. */
export interface FakeCluster
  extends Pick<
    ClusterRecord,
    | 'id'
    | 'arn'
    | 'engine'
    | 'engineVersion'
    | 'status'
    | 'port'
    | 'masterUsername'
    | 'databaseName'
    | 'subnetGroup'
    | 'clusterParameterGroup'
    | 'securityGroupIds'
    | 'tags'
    | 'pendingPassword'
    | 'renamingTo'
    | 'pendingIdentifier'
  > {
  /** The master password, where a test can compare it with the secret's (the stand-in gives it to PostgreSQL only). */
  password: string;
  /** Describe calls left before the next lifecycle transition. */
  ticks: number;
}

/** A DB instance: the stand-in's record, plus the fake's clock. */
export interface FakeInstance
  extends Pick<InstanceRecord, 'id' | 'clusterId' | 'instanceClass' | 'status' | 'parameterGroup' | 'tags'> {
  ticks: number;
}

/** A DB subnet group, as the stand-in keeps it (without a description). */
export type FakeSubnetGroup = Pick<SubnetGroupRecord, 'name' | 'arn' | 'vpcId' | 'subnetIds' | 'tags'>;

/** A security group, its ingress rules kept as the request gave them. */
export interface FakeSecurityGroup extends Pick<SecurityGroupRecord, 'id' | 'name' | 'vpcId' | 'tags'> {
  ingress: unknown[];
}

/** A secret with its current string value. */
export type FakeSecret = Pick<SecretRecord, 'arn' | 'name' | 'tags'> & { secretString: string };

/** An EventBridge Scheduler schedule, with the target fields the handlers set. */
export type FakeSchedule = Pick<ScheduleRecord, 'name' | 'groupName' | 'arn' | 'expression'> & {
  target: Partial<Pick<ScheduleRecord['target'], 'Arn' | 'RoleArn' | 'Input'>>;
  actionAfterCompletion?: ScheduleRecord['actionAfterCompletion'];
};

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
  /** Describe calls a cluster or instance spends in `deleting`. */
  deleteTicks: number;
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
export const mergeTags = withTags;

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
  /** Schedule groups: Scheduler's `default` and the deployment's (`dbaf`, as the workflow tests deploy it). */
  readonly scheduleGroups = new Set<string>([DEFAULT_SCHEDULE_GROUP, 'dbaf']);
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
    deleteTicks: 1,
    renameEnds: new Map(),
  };
  /** The region's `DBClusters` quota (DescribeAccountAttributes), enforced by the restores. */
  clusterQuota: number = RDS_QUOTAS.DBClusters;
  /** The region's `DBInstances` quota, enforced by CreateDBInstance. */
  instanceQuota: number = RDS_QUOTAS.DBInstances;
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
      clusterParameterGroup: 'legacy-prod-cluster-params',
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

  /**
   * A rename's end: the cluster, its ARN and its endpoint take the new identifier (its instances
   * keep their names and follow it), in the status {@link FakeBehaviour.renameEnds} says.
   */
  private finishRename(cluster: FakeCluster, to: string): void {
    const end = this.behaviour.renameEnds.get(cluster.id) ?? CLUSTER_LIFECYCLES.rename[1];
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

  /** One step of every lifecycle ({@link CLUSTER_LIFECYCLES}, {@link INSTANCE_LIFECYCLES}); called on each RDS call. */
  tick(): void {
    const { behaviour } = this;
    for (const cluster of [...this.clusters.values()]) {
      if (cluster.ticks > 0) cluster.ticks -= 1;
      if (cluster.ticks > 0) continue;
      if (cluster.status === CLUSTER_LIFECYCLES.restore[0] && !behaviour.stuck.has('cluster'))
        cluster.status = behaviour.clusterEndStatus;
      else if (cluster.status === CLUSTER_LIFECYCLES.masterPassword[0] && !behaviour.stuck.has('password')) {
        cluster.status = statusAfter(CLUSTER_LIFECYCLES.masterPassword, cluster.status) ?? cluster.status;
        cluster.pendingPassword = false;
      } else if (cluster.status === CLUSTER_LIFECYCLES.rename[0] && cluster.renamingTo !== undefined)
        this.finishRename(cluster, cluster.renamingTo);
      else if (cluster.status === CLUSTER_LIFECYCLES.delete[0] && !behaviour.stuck.has('deletion'))
        this.clusters.delete(cluster.id);
    }
    for (const instance of [...this.instances.values()]) {
      if (instance.ticks > 0) instance.ticks -= 1;
      if (instance.ticks > 0 || behaviour.stuck.has('instances')) continue;
      const [creating, backingUp] = INSTANCE_LIFECYCLES.create;
      if (instance.status === creating) {
        instance.status =
          behaviour.instanceEndStatus === 'available' ? backingUp : behaviour.instanceEndStatus;
        instance.ticks = 1;
      } else if (instance.status === backingUp)
        instance.status = statusAfter(INSTANCE_LIFECYCLES.create, backingUp) ?? backingUp;
      else if (instance.status === INSTANCE_LIFECYCLES.delete[0]) this.instances.delete(instance.id);
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
