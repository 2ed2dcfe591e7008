import {
  handlerEnvironment,
  SETTING_DEFAULTS,
  type SettingValues,
  WIRING,
  type WiringSupply,
} from '../functions/shared/settings/index.js';
import { DEFAULT_STACK_NAME } from '../infra/lib/outputs.js';
import {
  type DeploymentArns,
  fixedArns,
  type HandlerName,
  type WorkflowName,
} from '../state-machines/catalog.js';

/**
 * The deployment the stand-in plays: the names the CDK construct gives the real one, and every
 * setting of the settings table (`functions/shared/settings/table.ts`, where each is documented
 * with its default), so the handlers get the environment they get in AWS.
 */
export interface Deployment extends SettingValues {
  readonly region: string;
  readonly accountId: string;
  /** The CloudFormation stack the deployment is, as DescribeStacks names it. @default 'DbArtifactFactory' */
  readonly stackName: string;
  /** @default 'dbaf/' */
  readonly secretPrefix: string;
  /** @default 'dbaf' */
  readonly scheduleGroupName: string;
}

/** The stand-in's default deployment: the table's defaults, and its seeded cluster as the allowed source. */
export const DEFAULT_DEPLOYMENT: Deployment = {
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: DEFAULT_STACK_NAME,
  secretPrefix: WIRING.secretPrefix.default,
  scheduleGroupName: WIRING.scheduleGroupName.default,
  ...SETTING_DEFAULTS,
  allowedSources: ['legacy-prod'],
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

/** What the Lambda runtime gives every function: the region, and the stand-in as the endpoint. */
export function runtimeEnvironment(deployment: Deployment, endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: deployment.region,
    AWS_DEFAULT_REGION: deployment.region,
  };
}

/** The names and ARNs the stand-in's deployment gives the handlers, as the CDK stack gives its own. */
function wiring(deployment: Deployment): WiringSupply {
  return {
    secretPrefix: deployment.secretPrefix,
    scheduleGroupName: deployment.scheduleGroupName,
    schedulerRoleArn: schedulerRoleArn(deployment),
    teardownStateMachineArn: stateMachineArn(deployment, 'teardown'),
    cloneStateMachineArn: stateMachineArn(deployment, 'clone'),
    refreshStateMachineArn: stateMachineArn(deployment, 'refresh'),
    eventBusArn: `arn:aws:events:${deployment.region}:${deployment.accountId}:event-bus/default`,
    // The stand-in's own level (npm run local --quiet: WARN; the tests: SILENT).
    powertoolsLogLevel: process.env.POWERTOOLS_LOG_LEVEL ?? WIRING.powertoolsLogLevel.default,
  };
}

/**
 * One Lambda's environment, as the CDK construct sets it (`handlerEnvironment`: the variables its
 * handler reads, no other), plus what the runtime gives, pointed at the stand-in's endpoint.
 */
export function functionEnvironment(
  deployment: Deployment,
  endpoint: string,
  handler: HandlerName,
): Record<string, string> {
  return {
    ...runtimeEnvironment(deployment, endpoint),
    ...handlerEnvironment(handler, deployment, wiring(deployment)),
  };
}
