import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VARIABLES } from '../functions/shared/settings/index.js';
import {
  type HandlerName,
  renderDefinition,
  WORKFLOW_NAMES,
  type WorkflowName,
} from '../state-machines/catalog.js';
import { controlApi } from './control.js';
import { Clock } from './core/clock.js';
import { AWS_RDS_RATE_LIMIT, Faults } from './core/faults.js';
import { AwsServer } from './core/server.js';
import type { ServiceContext, ServiceDefinition } from './core/service.js';
import { Account } from './core/state.js';
import {
  DEFAULT_DEPLOYMENT,
  type Deployment,
  deploymentArns,
  functionEnvironment,
  runtimeEnvironment,
  stateMachineArn,
} from './deployment.js';
import { isolateFunctionEnvironments, runWithEnvironment } from './function-environment.js';
import { type LambdaFunction, projectFunctions } from './lambda.js';
import { DataPlane } from './postgres/data-plane.js';
import { seedAccount } from './seed.js';
import { cloudFormationService } from './services/cloudformation.js';
import { ec2Service } from './services/ec2.js';
import { eventsService } from './services/events.js';
import { rdsService } from './services/rds/index.js';
import { resumeClusters } from './services/rds/resume.js';
import { schedulerService } from './services/scheduler.js';
import { secretsService } from './services/secrets.js';
import { StepFunctions, sfnService } from './services/sfn/index.js';
import { sdkCall } from './services/sfn/sdk-call.js';
import { stsService } from './services/sts.js';

/** How to run a stand-in. */
export interface StandInOptions {
  /** @default '127.0.0.1' (loopback only) */
  readonly host?: string;
  /** 0 picks a free port. @default 4566 */
  readonly port?: number;
  /** Real time per AWS time: 0.02 turns a 10-minute clone into 12 seconds. @default 0.02 */
  readonly timeScale?: number;
  /** Keep the account and the clusters' files here across restarts. @default a temporary directory, removed on stop */
  readonly stateDir?: string;
  /** Start with AWS's RDS rate limit on (300 burst, 12 requests/s of AWS time). @default false */
  readonly rateLimit?: boolean;
  readonly deployment?: Partial<Deployment>;
  /** Where the stand-in's own log lines go. @default discarded */
  readonly log?: (line: string) => void;
}

/** A running stand-in for the project's AWS account. */
export interface StandIn {
  readonly endpoint: string;
  readonly port: number;
  readonly deployment: Deployment;
  /** The ARN of each project state machine. */
  readonly stateMachines: Readonly<Record<WorkflowName, string>>;
  readonly account: Account;
  readonly faults: Faults;
  readonly clock: Clock;
  /** Calls answered, by `service:Action`. */
  readonly calls: ReadonlyMap<string, number>;
  /** Stops every execution, timer and PostgreSQL server; saves or removes the state directory. */
  stop(): Promise<void>;
}

/** The ARN of each project state machine. */
function stateMachinesOf(deployment: Deployment): Record<WorkflowName, string> {
  return Object.fromEntries(
    WORKFLOW_NAMES.map((name) => [name, stateMachineArn(deployment, name)]),
  ) as Record<WorkflowName, string>;
}

/**
 * The project's functions (each run in its own environment) and its state machines, from the
 * workflow catalog, under the stand-in's names; returns the functions by ARN.
 */
async function deployWorkflows(
  stepFunctions: StepFunctions,
  deployment: Deployment,
  ownEnvironment: (fn: LambdaFunction) => LambdaFunction,
): Promise<Map<string, LambdaFunction>> {
  const arns = deploymentArns(deployment);
  const loaded = await projectFunctions(arns);
  const role = `arn:aws:iam::${deployment.accountId}:role/dbaf-state-machine`;
  for (const name of WORKFLOW_NAMES) {
    const arn = arns.stateMachineArn(name);
    stepFunctions.create(arn.split(':').pop() ?? name, renderDefinition(name, arns), role);
  }
  return new Map([...loaded].map(([arn, fn]) => [arn, ownEnvironment(fn)]));
}

/**
 * Starts the stand-in: the HTTP endpoint with every service, the seeded account with its
 * real PostgreSQL source, and the project's state machines wired to the handlers in
 * `functions/`, which run in this process with the environment CDK gives them in AWS.
 */
export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  // The deployment's stack was "created" when the stand-in started (DescribeStacks' CreationTime).
  const startedAt = new Date();
  const deployment: Deployment = { ...DEFAULT_DEPLOYMENT, ...options.deployment };
  const log = options.log ?? (() => {});
  const root = options.stateDir ?? mkdtempSync(join(tmpdir(), 'dbaf-standin-'));
  mkdirSync(root, { recursive: true });
  // PostgreSQL runs as the `postgres` user, which must be able to pass through to its data directories.
  if (options.stateDir === undefined) chmodSync(root, 0o711);
  const accountFile = join(root, 'account.json');
  const account = new Account(deployment.region, deployment.accountId);
  const restored = options.stateDir !== undefined && account.load(accountFile);
  const clock = new Clock(options.timeScale ?? 0.02);
  const faults = new Faults(clock);
  if (options.rateLimit) faults.setRateLimit(AWS_RDS_RATE_LIMIT);
  const dataPlane = new DataPlane({ root: join(root, 'clusters'), log });

  let functions = new Map<string, LambdaFunction>();
  let endpoint = '';
  const context: ServiceContext = {
    account,
    clock,
    faults,
    log,
    startExecution: async (arn, input, name) => ({ executionArn: stepFunctions.start(arn, input, name).arn }),
  };
  const stepFunctions: StepFunctions = new StepFunctions(context, () => ({
    region: deployment.region,
    accountId: deployment.accountId,
    functions,
    sdkCall: (service, action, parameters) =>
      sdkCall(endpoint, deployment.region, service, action, parameters),
    startExecution: (arn, input, name, pattern) => stepFunctions.startChild(arn, input, name, pattern),
  }));
  const rds = rdsService(context, dataPlane);
  const scheduler = schedulerService(context);
  const services: ServiceDefinition[] = [
    rds,
    ec2Service(context),
    secretsService(context),
    scheduler,
    eventsService(context),
    stsService(context),
    sfnService(stepFunctions),
    cloudFormationService(deployment, startedAt),
  ];
  const server: AwsServer = new AwsServer({
    services,
    faults,
    log,
    control: controlApi({
      endpoint: () => endpoint,
      stateMachines: stateMachinesOf(deployment),
      clock,
      faults,
      account,
      calls: () => server.calls,
    }),
  });
  const port = await server.listen(options.host ?? '127.0.0.1', options.port ?? 4566);
  endpoint = `http://${options.host ?? '127.0.0.1'}:${port}`;

  /** Each function runs with its own variables, as the CDK construct sets them. */
  const withOwnEnvironment = (fn: LambdaFunction): LambdaFunction => {
    const environment = functionEnvironment(deployment, endpoint, fn.name as HandlerName);
    return {
      ...fn,
      handler: (input, context) => runWithEnvironment(environment, () => fn.handler(input, context)),
    };
  };
  let releaseEnvironments = () => {};
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    scheduler.stop();
    stepFunctions.stopAll();
    clock.shutdown();
    await server.close();
    await dataPlane.stopAll();
    releaseEnvironments();
    if (options.stateDir !== undefined) account.save(accountFile);
    else rmSync(root, { recursive: true, force: true });
  };
  try {
    // The handlers' SDK clients read the endpoint and region when they are created: set them first.
    Object.assign(process.env, runtimeEnvironment(deployment, endpoint));
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    releaseEnvironments = isolateFunctionEnvironments(VARIABLES);
    functions = await deployWorkflows(stepFunctions, deployment, withOwnEnvironment);
    if (restored) await resumeClusters(account, rds.lifecycle, log);
    await seedAccount(account, deployment, dataPlane, rds.lifecycle, log);
    scheduler.rearm();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    endpoint,
    port,
    deployment,
    stateMachines: stateMachinesOf(deployment),
    account,
    faults,
    clock,
    calls: server.calls,
    stop,
  };
}
