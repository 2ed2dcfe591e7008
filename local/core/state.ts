import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AwsTag } from '../../functions/shared/aws/tags.js';

export { toTags } from '../../functions/shared/aws/tags.js';

/**
 * Everything in the stand-in's AWS account, as plain JSON-able records.
 *
 * Services keep their resources here; `--state-dir` saves it on shutdown and loads
 * it on start. Passwords are not here: the data plane applies them to PostgreSQL and
 * only Secrets Manager values (which AWS also stores) are kept.
 */
/** A tag as AWS lists it (`functions/shared/aws/tags.ts`). */
export type Tag = AwsTag;

export interface ClusterRecord {
  id: string;
  arn: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  status: string;
  /** The loopback port of the cluster's PostgreSQL server: its endpoint. */
  port: number;
  masterUsername: string;
  databaseName: string;
  subnetGroup: string;
  clusterParameterGroup: string;
  securityGroupIds: string[];
  tags: Tag[];
  createdAt: string;
  /** The cluster it was cloned from, if any. */
  cloneOf?: string;
  deletionProtection: boolean;
  /** True while a new master password waits to be applied (`resetting-master-credentials`). */
  pendingPassword: boolean;
  /** While `renaming`: the identifier the cluster is moving to (it keeps its own until then). */
  renamingTo?: string;
  /**
   * A rename requested without `ApplyImmediately`: RDS applies it in the next maintenance window,
   * which the stand-in does not model, so it stays pending (`PendingModifiedValues`).
   */
  pendingIdentifier?: string;
}

export interface InstanceRecord {
  id: string;
  arn: string;
  resourceId: string;
  clusterId: string;
  instanceClass: string;
  status: string;
  parameterGroup: string;
  availabilityZone: string;
  tags: Tag[];
  createdAt: string;
}

export interface SubnetGroupRecord {
  name: string;
  arn: string;
  description: string;
  vpcId: string;
  subnetIds: string[];
  tags: Tag[];
}

export interface VpcRecord {
  id: string;
  cidr: string;
  isDefault: boolean;
  tags?: Tag[];
}

export interface SubnetRecord {
  id: string;
  vpcId: string;
  availabilityZone: string;
  cidr: string;
  tags?: Tag[];
}

export interface IpRange {
  cidr: string;
  description?: string;
}

export interface IngressRule {
  protocol: string;
  fromPort?: number;
  toPort?: number;
  ipRanges: IpRange[];
  groupIds: string[];
  ipv6Ranges?: IpRange[];
  /** Descriptions of the `groupIds` peers, by group id. */
  groupDescriptions?: Record<string, string>;
}

export interface SecurityGroupRecord {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  tags: Tag[];
  ingress: IngressRule[];
}

export interface SecretRecord {
  arn: string;
  name: string;
  description?: string;
  secretString?: string;
  versionId: string;
  tags: Tag[];
  createdAt: string;
  /** Set by DeleteSecret without ForceDeleteWithoutRecovery: the secret is scheduled for deletion. */
  deletedAt?: string;
  /** The end of the recovery window of a secret scheduled for deletion (DeleteSecret's DeletionDate). */
  deletionDate?: string;
  /** A binary value, base64-encoded (instead of `secretString`). */
  secretBinary?: string;
  /** When the AWSCURRENT version was created. @default createdAt */
  versionCreatedAt?: string;
  /** The version labelled AWSPREVIOUS, if a value was ever replaced. */
  previous?: { versionId: string; secretString?: string; secretBinary?: string; createdAt: string };
  /** When the secret last changed (LastChangedDate). @default createdAt */
  changedAt?: string;
}

export interface ScheduleRecord {
  name: string;
  groupName: string;
  arn: string;
  expression: string;
  timezone?: string;
  state: 'ENABLED' | 'DISABLED';
  flexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: unknown;
    /** Scheduler's templated EventBridge PutEvents target: the event's Source and DetailType. */
    EventBridgeParameters?: { Source?: string; DetailType?: string };
  };
  actionAfterCompletion: 'NONE' | 'DELETE';
  description?: string;
  startDate?: string;
  endDate?: string;
  createdAt: string;
  modifiedAt: string;
  /** When the schedule last invoked its target; a one-time schedule that has fired never fires again (until updated). */
  firedAt?: string;
}

export interface ScheduleGroupRecord {
  name: string;
  arn: string;
  tags: Tag[];
  createdAt: string;
}

export interface EventBusRecord {
  name: string;
  arn: string;
  description?: string;
  createdAt: string;
}

export interface EventRecord {
  id: string;
  time: string;
  bus: string;
  source: string;
  detailType: string;
  detail: string;
  resources: string[];
}

/** The account's content; every map is keyed by the resource's name or id. */
export interface AccountData {
  clusters: Record<string, ClusterRecord>;
  instances: Record<string, InstanceRecord>;
  subnetGroups: Record<string, SubnetGroupRecord>;
  vpcs: Record<string, VpcRecord>;
  subnets: Record<string, SubnetRecord>;
  securityGroups: Record<string, SecurityGroupRecord>;
  secrets: Record<string, SecretRecord>;
  /** Keyed by `group/name`. */
  schedules: Record<string, ScheduleRecord>;
  scheduleGroups: Record<string, ScheduleGroupRecord>;
  events: EventRecord[];
  /** Custom event buses (the `default` bus always exists and is not stored). */
  eventBuses: Record<string, EventBusRecord>;
  /** The loopback port of each cluster identifier: its endpoint, kept stable across re-creation and renames. */
  ports: Record<string, number>;
  /** Region quotas (DescribeAccountAttributes), changeable through the control API. */
  quotas: Record<string, number>;
}

/** The account every service of one stand-in shares. */
export class Account {
  data: AccountData = {
    clusters: {},
    instances: {},
    subnetGroups: {},
    vpcs: {},
    subnets: {},
    securityGroups: {},
    secrets: {},
    schedules: {},
    scheduleGroups: {},
    events: [],
    eventBuses: {},
    ports: {},
    quotas: {},
  };

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  /** An ARN in this account and region. */
  arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`;
  }

  /** A fresh AWS-shaped id (`sg-0a1b2c3d4e5f60718`, `vpc-...`). */
  id(prefix: string, hexLength = 17): string {
    return `${prefix}-${randomBytes(Math.ceil(hexLength / 2))
      .toString('hex')
      .slice(0, hexLength)}`;
  }

  /** Writes the account to `path` (mode 0600: it holds secret values). */
  save(path: string): void {
    writeFileSync(`${path}.tmp`, JSON.stringify(this.data, null, 1), { mode: 0o600 });
    chmodSync(`${path}.tmp`, 0o600);
    renameSync(`${path}.tmp`, path);
  }

  /** Loads a saved account; false when there is none. */
  load(path: string): boolean {
    if (!existsSync(path)) return false;
    this.data = { ...this.data, ...(JSON.parse(readFileSync(path, 'utf8')) as Partial<AccountData>) };
    return true;
  }
}
