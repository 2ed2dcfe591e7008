import '../local/polyfill.js';
import { parseArgs } from 'node:util';
import { eventBusArnOf } from '../functions/shared/config.js';
import { handlerEnvironment, SETTING_DEFAULTS } from '../functions/shared/settings/index.js';
import { Clock } from '../local/core/clock.js';
import { Faults } from '../local/core/faults.js';
import { AwsServer } from '../local/core/server.js';
import type { RequestContext, ServiceContext, ServiceDefinition } from '../local/core/service.js';
import { Account } from '../local/core/state.js';
import { ec2Service } from '../local/services/ec2.js';
import { eventsService } from '../local/services/events.js';
import { rdsService } from '../local/services/rds/index.js';
import { schedulerService } from '../local/services/scheduler.js';
import { secretsService } from '../local/services/secrets.js';
import { HANDLER_NAMES } from '../state-machines/catalog.js';
import { ACCOUNT, REGION } from '../test/support/fake-aws/index.js';
import { noDataPlane, seedLikeTheFake } from '../test/support/standin-account.js';
import { STATE_MACHINE_ARNS } from '../test/support/workflow.js';

// The SDK's notice that releases after January 2027 need Node 22 is noise here; we pin the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npx tsx bench/fakes.ts [--scales 0.001,0.0001,0.00001] [--runs 5]

Runs the clone workflow as the workflow tests run it (aws-local-stepfunctions, every Wait and
retry pause set to zero, the handlers in this process) against the stand-in's own services
instead of the workflow tests' fake: its RDS, EC2, Secrets Manager, Scheduler and EventBridge over
HTTP on loopback, seeded as the fake is, with a data plane that does nothing (no PostgreSQL) and
its clock scaled. Prints, per time scale and run, the outcome, the wall time, the RDS calls and
the status checks: the evidence in docs/testing.md for keeping two fakes.`;

/** The stand-in's services over one account, seeded as the fake's, on a clock of `scale`. */
function standIn(scale: number) {
  const clock = new Clock(scale);
  const account = new Account(REGION, ACCOUNT);
  const faults = new Faults(clock);
  const context: ServiceContext = {
    account,
    clock,
    faults,
    log: () => undefined,
    startExecution: async (arn) => ({ executionArn: `${arn}:run` }),
  };
  seedLikeTheFake(account);
  const services: ServiceDefinition[] = [
    rdsService(context, noDataPlane()),
    ec2Service(context),
    secretsService(context),
    schedulerService(context),
    eventsService(context),
  ];
  return { services, close: () => clock.shutdown() };
}

/**
 * One HTTP front for the whole run, answering from the current stand-in: the handlers' SDK
 * clients are made once per process (a Lambda container) and keep the endpoint they were made with.
 */
async function front(current: () => readonly ServiceDefinition[], rdsCalls: { count: number }) {
  const clock = new Clock(1);
  const templates = standIn(1);
  templates.close();
  const services = templates.services.map((template) => ({
    ...template,
    operations: Object.fromEntries(
      Object.keys(template.operations).map((action) => [
        action,
        (input: unknown, context: RequestContext) => {
          if (template.id === 'rds') rdsCalls.count += 1;
          const live = current().find((service) => service.id === template.id);
          return live?.operations[action]?.(input, context);
        },
      ]),
    ),
  }));
  const server = new AwsServer({
    services,
    faults: new Faults(clock),
    log: () => undefined,
    control: async () => ({}),
  });
  const port = await server.listen('127.0.0.1', 0);
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** The handlers' environment as the workflow tests give it (`test/workflow/env.ts`). */
function deploymentEnvironment(): void {
  for (const name of HANDLER_NAMES) {
    Object.assign(
      process.env,
      handlerEnvironment(
        name,
        { ...SETTING_DEFAULTS, allowedSources: ['legacy-prod'] },
        {
          scheduleGroupName: 'dbaf',
          schedulerRoleArn: `arn:aws:iam::${ACCOUNT}:role/dbaf-scheduler`,
          teardownStateMachineArn: STATE_MACHINE_ARNS.teardown,
          cloneStateMachineArn: STATE_MACHINE_ARNS.clone,
          refreshStateMachineArn: STATE_MACHINE_ARNS.refresh,
          eventBusArn: eventBusArnOf('default', STATE_MACHINE_ARNS.teardown),
          powertoolsLogLevel: 'SILENT',
        },
      ),
    );
  }
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scales: { type: 'string' }, runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const scales = (values.scales ?? '0.001,0.0001,0.00001').split(',').map(Number);
  const runs = Number(values.runs ?? '5');
  deploymentEnvironment();
  const rdsCalls = { count: 0 };
  let current: ReturnType<typeof standIn> | undefined;
  const http = await front(() => current?.services ?? [], rdsCalls);
  process.env.AWS_ENDPOINT_URL = http.endpoint;
  // Imported only now: the handlers make their clients when they load, from the environment.
  const { runStateMachine } = await import('../test/support/workflow.js');

  process.stdout.write('| time scale | run | outcome | wall ms | RDS calls | status checks |\n');
  process.stdout.write('| --- | --- | --- | --- | --- | --- |\n');
  for (const scale of scales) {
    for (let run = 1; run <= runs; run += 1) {
      current = standIn(scale);
      rdsCalls.count = 0;
      const started = Date.now();
      const result = await runStateMachine('clone', {
        version: 1,
        source: { clusterIdentifier: 'legacy-prod' },
        target: {
          cloneName: `dbaf-bench-${run}`,
          instanceClass: 'db.r6g.large',
          allowedCidrs: ['10.20.0.0/16'],
        },
        lifecycle: { ttl: '8h', owner: 'bench@example.com' },
      });
      const wall = Date.now() - started;
      const checks = result.visited.filter((state) => state.startsWith('Check')).length;
      const outcome = result.status === 'SUCCEEDED' ? 'SUCCEEDED' : `FAILED ${result.error}`;
      process.stdout.write(`| ${scale} | ${run} | ${outcome} | ${wall} | ${rdsCalls.count} | ${checks} |\n`);
      current.close();
    }
  }
  await http.close();
}

await main();
