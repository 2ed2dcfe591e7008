import { readFileSync } from 'node:fs';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { followExecution, ProgressPrinter, styles } from '../cli/follow.js';
import { type StandInProcess, spawnStandIn } from '../cli/launcher.js';
import type { CloneReady } from '../functions/publish-endpoint/handler.js';
import { SOURCE } from './seed.js';
import { type Check, type Connection, checkDataPresent, checkIsolation, portOpen } from './verify.js';

// The SDK's notice that releases after January 2027 need Node 22 is not for the demo's audience; we pin the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The demo's TTL: the shortest a clone may have, so its deletion comes within the demo. */
const DEMO_TTL = '30m';
/** `npm run demo -- --keep`: leave the clone up instead of waiting for its deletion. */
const keep = process.argv.includes('--keep');
const out = process.stdout;
const style = styles(out);
const say = (text = '') => out.write(`${text}\n`);

function clientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}

async function secretJson(
  secrets: SecretsManagerClient,
  secretId: string,
): Promise<Record<string, string | number>> {
  const value = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  return JSON.parse(value.SecretString ?? '{}') as Record<string, string | number>;
}

async function waitForTeardown(sfn: SFNClient, teardownArn: string, expiresAt: Date, timeScale: number) {
  const realWaitMs = Math.max(0, (expiresAt.getTime() - Date.now()) * timeScale);
  say(
    `${style.bold('Waiting for the TTL.')} The clone expires at ${expiresAt.toISOString()} AWS time, in about ${Math.ceil(realWaitMs / 1000)} s here; its EventBridge Scheduler schedule then starts the teardown.`,
  );
  const deadline = Date.now() + realWaitMs + 120_000;
  while (Date.now() < deadline) {
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: teardownArn }));
    const teardown = executions[0];
    if (teardown?.executionArn) {
      say(`The schedule fired: teardown execution ${teardown.name}.`);
      const printer = new ProgressPrinter(out);
      try {
        for await (const event of followExecution(sfn, teardown.executionArn)) printer.event(event);
      } finally {
        printer.close();
      }
      return sfn.send(new DescribeExecutionCommand({ executionArn: teardown.executionArn }));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('No teardown started within two minutes of the TTL: the TTL schedule did not fire.');
}

async function run(standIn: StandInProcess): Promise<boolean> {
  const { endpoint, stateMachines, timeScale } = standIn.ready;
  const sfn = new SFNClient(clientConfig(endpoint));
  const secrets = new SecretsManagerClient(clientConfig(endpoint));
  const rds = new RDSClient(clientConfig(endpoint));
  say(`The stand-in is up at ${endpoint} (1 AWS minute = ${(60 * timeScale).toFixed(1)} s here).`);

  const artifact = JSON.parse(readFileSync(new URL('../examples/artifact.json', import.meta.url), 'utf8'));
  artifact.lifecycle.ttl = DEMO_TTL;
  const name = artifact.target.cloneName as string;
  say(
    `${style.bold('Cloning')} ${SOURCE.id} into ${name} with examples/artifact.json (TTL ${DEMO_TTL} for the demo):`,
  );
  const started = Date.now();
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: stateMachines.clone,
      name,
      input: JSON.stringify(artifact),
    }),
  );
  const printer = new ProgressPrinter(out);
  try {
    for await (const event of followExecution(sfn, executionArn ?? '')) printer.event(event);
  } finally {
    printer.close();
  }
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (execution.status !== 'SUCCEEDED') {
    say(style.red(`The clone execution ended ${execution.status}: ${execution.error}: ${execution.cause}`));
    return false;
  }
  const ready = JSON.parse(execution.output ?? '{}') as CloneReady;
  say(style.green(`The clone is ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`));

  const credentials = await secretJson(secrets, ready.secretArn);
  const sourceCredentials = await secretJson(secrets, SOURCE.secretName);
  const clone: Connection = {
    host: ready.endpoint,
    port: ready.port,
    user: ready.username,
    password: String(credentials.password),
    database: ready.databaseName,
  };
  const source: Connection = {
    host: String(sourceCredentials.host),
    port: Number(sourceCredentials.port),
    user: String(sourceCredentials.username),
    password: String(sourceCredentials.password),
    database: String(sourceCredentials.dbname),
  };
  say(
    `  endpoint   ${ready.endpoint}:${ready.port}   database ${ready.databaseName}   user ${ready.username}`,
  );
  say(`  secret     ${ready.secretArn}`);
  say(`  expires    ${ready.expiresAt}`);
  // The password goes to a terminal only; piped output gets the command that fetches it.
  const password = out.isTTY
    ? `PGPASSWORD='${clone.password}'`
    : `PGPASSWORD="$(/usr/bin/aws --endpoint-url ${endpoint} secretsmanager get-secret-value --secret-id ${ready.secretArn} --query SecretString --output text | node -pe 'JSON.parse(require("fs").readFileSync(0)).password')"`;
  say(
    `  connect    ${password} psql -h ${ready.endpoint} -p ${ready.port} -U ${ready.username} ${ready.databaseName}`,
  );
  say(`  or         npx dbaf --local --endpoint-url ${endpoint} connect ${name}`);

  say(style.bold('Verification:'));
  const checks: Check[] = [await checkDataPresent(source, clone), await checkIsolation(source, clone)];
  checks.forEach((check, index) => {
    say(
      `  ${index + 1}. ${check.passed ? style.green('PASSED') : style.red('FAILED')}  ${check.name}: ${check.detail}`,
    );
  });

  if (keep) {
    say(
      style.bold(
        '--keep: the stand-in stays up with the clone until you press Ctrl-C (the TTL still applies).',
      ),
    );
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    return checks.every((check) => check.passed);
  }
  say(style.dim('The clone accepts connections with the command above until it expires.'));
  const teardown = await waitForTeardown(sfn, stateMachines.teardown, new Date(ready.expiresAt), timeScale);
  const gone = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: name })).then(
    () => false,
    (error: Error) => error.name === 'DBClusterNotFoundFault',
  );
  const closed = !(await portOpen(ready.port));
  const deleted = teardown.status === 'SUCCEEDED' && gone && closed;
  say(
    deleted
      ? style.green(
          `The clone is deleted: teardown ${teardown.status}, cluster ${name} not found, port ${ready.port} closed.`,
        )
      : style.red(
          `The clone was not cleanly deleted: teardown ${teardown.status}, cluster gone: ${gone}, port closed: ${closed}.`,
        ),
  );
  return checks.every((check) => check.passed) && deleted;
}

async function main(): Promise<void> {
  say(style.bold('db-artifact-factory demo: a disposable clone of a production database, on this machine.'));
  say('Starting the local stand-in for AWS with a seeded legacy production database...');
  const standIn = await spawnStandIn();
  let passed = false;
  const interrupt = () => void standIn.stop().then(() => process.exit(130));
  if (!keep) process.once('SIGINT', interrupt);
  try {
    passed = await run(standIn);
  } catch (error) {
    say(style.red(`The demo failed: ${error instanceof Error ? error.message : String(error)}`));
    say(style.dim(`Last stand-in output:\n${standIn.output().split('\n').slice(-30).join('\n')}`));
  } finally {
    process.off('SIGINT', interrupt);
    await standIn.stop();
  }
  say(
    passed
      ? style.green('Demo complete: both checks passed and the clone removed itself.')
      : style.red('Demo failed.'),
  );
  process.exitCode = passed ? 0 : 1;
}

await main();
