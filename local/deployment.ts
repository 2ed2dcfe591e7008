import { DEFAULT_SWEEPER_SCHEDULE } from '../functions/shared/schedule.js';
import { DEFAULT_STACK_NAME } from '../infra/lib/outputs.js';
import {
  type DeploymentArns,
  fixedArns,
  type HandlerName,
  type WorkflowName,
} from '../state-machines/catalog.js';

/**
 * The deployment the stand-in plays: the names and settings the CDK construct gives the
 * real one, so the handlers get the environment they get in AWS.
 */
export interface Deployment {
  readonly region: string;
  readonly accountId: string;
  /** The CloudFormation stack the deployment is, as DescribeStacks names it. @default 'DbArtifactFactory' */
  readonly stackName: string;
  /** Clusters that may be cloned. @default ['legacy-prod'] */
  readonly allowedSources: readonly string[];
  /** @default '8h' */
  readonly defaultTtl: string;
  /** @default '7d' */
  readonly maxTtl: string;
  /** @default 'dbaf-' */
  readonly cloneNamePrefix: string;
  /** @default 'dbaf/' */
  readonly secretPrefix: string;
  /** @default 'dbaf' */
  readonly scheduleGroupName: string;
  /** Most clones per owner; 0 means no limit. @default 0 */
  readonly maxClonesPerOwner: number;
  /** How often the sweeper runs, or `false` for no schedule (the construct's `sweeperSchedule`). @default 'rate(1 hour)' */
  readonly sweeperSchedule: string | false;
  /** How long before its expiry a clone gets its `Clone Expiring` event, or `off` (the construct's `expiryWarning`). @default '1h' */
  readonly expiryWarning: string;
  /** Longest a clone lives from its creation (the construct's `maxLifetime`). @default '30d' */
  readonly maxLifetime: string;
  /** Clone ids the maximum lifetime does not apply to (the construct's `protectedClones`). @default [] */
  readonly protectedClones: readonly string[];
}

/** The stand-in's default deployment. */
export const DEFAULT_DEPLOYMENT: Deployment = {
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: DEFAULT_STACK_NAME,
  allowedSources: ['legacy-prod'],
  defaultTtl: '8h',
  maxTtl: '7d',
  cloneNamePrefix: 'dbaf-',
  secretPrefix: 'dbaf/',
  scheduleGroupName: 'dbaf',
  maxClonesPerOwner: 0,
  sweeperSchedule: DEFAULT_SWEEPER_SCHEDULE,
  expiryWarning: '1h',
  maxLifetime: '30d',
  protectedClones: [],
};

/** The ARNs of the stand-in's functions (`dbaf-<handler>`) and state machines (`dbaf-<workflow>`). */
export function deploymentArns(deployment: Deployment): DeploymentArns {
  return fixedArns(deployment.region, deployment.accountId);
}

/** The ARN of one of the stand-in's state machines. */
export function stateMachineArn(deployment: Deployment, which: WorkflowName): string {
  return deploymentArns(deployment).stateMachineArn(which);
}

/** The ARN of one of the stand-in's Lambda functions. */
export function functionArn(deployment: Deployment, name: HandlerName): string {
  return deploymentArns(deployment).functionArn(name);
}

/** The role EventBridge Scheduler assumes to start the teardown (and the sweeper). */
export function schedulerRoleArn(deployment: Deployment): string {
  return `arn:aws:iam::${deployment.accountId}:role/dbaf-scheduler`;
}

/** Every Lambda's environment, as the CDK construct sets it, pointed at the stand-in's endpoint. */
export function functionEnvironment(deployment: Deployment, endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: deployment.region,
    AWS_DEFAULT_REGION: deployment.region,
    ALLOWED_SOURCES: deployment.allowedSources.join(','),
    DEFAULT_TTL: deployment.defaultTtl,
    MAX_TTL: deployment.maxTtl,
    CLONE_NAME_PREFIX: deployment.cloneNamePrefix,
    SECRET_PREFIX: deployment.secretPrefix,
    SCHEDULE_GROUP_NAME: deployment.scheduleGroupName,
    SCHEDULER_ROLE_ARN: schedulerRoleArn(deployment),
    TEARDOWN_STATE_MACHINE_ARN: stateMachineArn(deployment, 'teardown'),
    CLONE_STATE_MACHINE_ARN: stateMachineArn(deployment, 'clone'),
    EVENT_BUS_NAME: 'default',
    EVENT_BUS_ARN: `arn:aws:events:${deployment.region}:${deployment.accountId}:event-bus/default`,
    MAX_CLONES_PER_OWNER: String(deployment.maxClonesPerOwner),
    EXPIRY_WARNING: deployment.expiryWarning,
    MAX_LIFETIME: deployment.maxLifetime,
    PROTECTED_CLONES: deployment.protectedClones.join(','),
    POWERTOOLS_SERVICE_NAME: 'db-artifact-factory',
  };
}
