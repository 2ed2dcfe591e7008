import { Arn, ArnFormat, type Stack } from 'aws-cdk-lib';
import { sourceClusterId } from '../props.js';

/** The RDS resource types whose ARNs the policies name. */
export type RdsResourceType = 'cluster' | 'db' | 'subgrp' | 'cluster-pg' | 'pg' | 'og' | 'cluster-snapshot';

/**
 * Builds the ARNs the policies are scoped to, all in the stack's partition, region and account.
 *
 * Names are lowercased: RDS stores identifiers in lowercase, and ARN matching in IAM is
 * case-sensitive, so `Legacy-Prod` must be matched as `legacy-prod`.
 */
export class ResourceArns {
  constructor(
    private readonly stack: Stack,
    /** The clone name prefix, such as `dbaf-`. */
    readonly prefix: string,
    /** The Secrets Manager name prefix of clone secrets, such as `dbaf/`. */
    readonly secretPrefix: string,
    /** The schedule group of TTL schedules (may be a token). */
    readonly scheduleGroupName: string,
    /** The allowed sources, as the props give them. */
    readonly allowedSources: readonly string[],
  ) {}

  /** The RDS endpoint name KMS sees as `kms:ViaService` when RDS uses a key on our behalf. */
  rdsService(): string {
    return `rds.${this.stack.region}.amazonaws.com`;
  }

  /** An RDS ARN of this account and region. */
  rds(type: RdsResourceType, name: string): string {
    return this.stack.formatArn({
      service: 'rds',
      resource: type,
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** An RDS resource of the given type named with the clone prefix: the only ones the project changes. */
  clone(type: RdsResourceType): string {
    return this.rds(type, `${this.prefix}*`);
  }

  /** Every security group of this account and region (EC2 ARNs carry ids, never names: tags scope them). */
  securityGroups(): string {
    return this.stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: '*' });
  }

  /** Every VPC of this account and region: a new security group must name one. */
  vpcs(): string {
    return this.stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: '*' });
  }

  /** The clone secrets: `<secretPrefix><clonePrefix>*` (the ARN adds a random suffix, covered by `*`). */
  secrets(): string {
    return this.stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.secretPrefix}${this.prefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The TTL schedules: named after the clone, in the project's group. */
  schedules(): string {
    return this.stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroupName}/${this.prefix}*`,
    });
  }

  /** Every execution of one state machine (executions are named `<machine name>:<execution name>`). */
  executions(stateMachineName: string): string {
    return this.stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The default event bus, where the project's `Clone Ready` and `Clone Deleted` events go. */
  defaultEventBus(): string {
    return this.stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
  }

  /** The allowed source clusters' ARNs: identifiers in this account and region, ARNs as given. */
  sourceClusters(): string[] {
    return this.allowedSources.map((source) => {
      const id = (sourceClusterId(source) ?? source).toLowerCase();
      return source.startsWith('arn:')
        ? source.replace(/:cluster:[^:]+$/, `:cluster:${id}`)
        : this.rds('cluster', id);
    });
  }

  /**
   * The cluster snapshots a clone may be restored from: those named after an allowed source.
   *
   * Automated snapshots are `rds:<source>-<date>`; manual ones must be named `<source>-...`.
   */
  sourceSnapshots(): string[] {
    return this.allowedSources.flatMap((source) => {
      const id = (sourceClusterId(source) ?? source).toLowerCase();
      const names = [`${id}-*`, `rds:${id}-*`];
      if (!source.startsWith('arn:')) return names.map((name) => this.rds('cluster-snapshot', name));
      const { partition, region, account } = Arn.split(source, ArnFormat.COLON_RESOURCE_NAME);
      return names.map((name) => `arn:${partition}:rds:${region}:${account}:cluster-snapshot:${name}`);
    });
  }
}
