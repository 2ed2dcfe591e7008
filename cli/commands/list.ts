import { GetScheduleCommand, type GetScheduleCommandOutput } from '@aws-sdk/client-scheduler';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { cloneIdForName } from '../../functions/shared/artifact.js';
import { ttlScheduleName } from '../../functions/shared/names.js';
import type { Aws } from '../aws.js';
import { type Clone, listClones, requireClone } from '../clones.js';
import { examples, type Program, withAws } from '../command.js';
import { type Deployment, findDeployment } from '../deployment.js';
import { describeExecution } from '../execution.js';
import { fields, printJson, relativeTime, say, table } from '../output.js';

/** Options of the read commands. */
export interface ReadOptions {
  readonly json?: boolean;
}

/** Options of `dbaf list`. */
export interface ListOptions extends ReadOptions {
  /** Only the clones of this owner. */
  readonly owner?: string;
}

/** `dbaf list`: every managed clone in the region, from their RDS tags. */
export async function list(options: ListOptions, aws: Aws): Promise<void> {
  const clones = (await listClones(aws.rds)).filter(
    (clone) => options.owner === undefined || clone.owner === options.owner,
  );
  if (options.json) {
    printJson(clones);
    return;
  }
  if (clones.length === 0) {
    const region = await aws.region().catch(() => aws.target.region);
    say(
      `No clones${options.owner === undefined ? '' : ` of ${options.owner}`} in ${region}${aws.target.local ? ' (local stand-in)' : ''}.`,
    );
    return;
  }
  say(
    table(
      ['NAME', 'SOURCE', 'OWNER', 'STATUS', 'ENDPOINT', 'EXPIRES'],
      clones.map((clone) => [
        clone.cloneId,
        clone.source,
        clone.owner,
        clone.status,
        clone.endpoint === null ? '-' : `${clone.endpoint}:${clone.port}`,
        relativeTime(clone.expiresAt),
      ]),
    ),
  );
}

/**
 * One of the clone's schedules in the deployment's group (its TTL schedule, `ttlScheduleName`, or
 * its refresh schedule, `refreshScheduleName`), or undefined when there is none (it fired, or was
 * deleted).
 */
export async function scheduleOf(
  aws: Aws,
  deployment: Deployment,
  name: string,
): Promise<GetScheduleCommandOutput | undefined> {
  try {
    return await aws.scheduler.send(
      new GetScheduleCommand({ GroupName: deployment.scheduleGroupName, Name: name }),
    );
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** The ARN of the secret named `name`, or null when there is none. */
export async function secretArnOf(aws: Aws, name: string): Promise<string | null> {
  try {
    return (await aws.secrets.send(new DescribeSecretCommand({ SecretId: name }))).ARN ?? null;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

/** What `dbaf show` knows of a clone beyond its RDS description. */
export interface CloneDetails extends Clone {
  readonly schedule: { readonly name: string; readonly group: string; readonly expression: string } | null;
  readonly secretArn: string | null;
  readonly executionStatus: string | null;
}

/** A clone's RDS description, TTL schedule, secret and the status of the execution that made it. */
export async function cloneDetails(aws: Aws, deployment: Deployment, cloneId: string): Promise<CloneDetails> {
  const clone = await requireClone(aws.rds, cloneId);
  const [schedule, secretArn, execution] = await Promise.all([
    scheduleOf(aws, deployment, ttlScheduleName(cloneId)),
    secretArnOf(aws, `${deployment.secretPrefix}${cloneId}`),
    clone.executionArn ? describeExecution(aws, clone.executionArn) : undefined,
  ]);
  return {
    ...clone,
    schedule:
      schedule === undefined
        ? null
        : {
            name: schedule.Name ?? cloneId,
            group: schedule.GroupName ?? deployment.scheduleGroupName,
            expression: schedule.ScheduleExpression ?? '',
          },
    secretArn,
    executionStatus: execution?.status ?? null,
  };
}

/** `dbaf show <clone>`: one clone in full. */
export async function show(name: string, options: ReadOptions, aws: Aws): Promise<void> {
  const deployment = await findDeployment(aws);
  const details = await cloneDetails(aws, deployment, cloneIdForName(name, deployment.cloneNamePrefix));
  if (options.json) {
    printJson(details);
    return;
  }
  const userTags = Object.entries(details.tags).map(([key, value]) => `${key}=${value}`);
  say(`Clone ${details.cloneId}`);
  say(
    fields([
      ['status', details.status],
      ['source', details.source],
      ['owner', details.owner],
      ['created', details.createdAt && `${details.createdAt} (${relativeTime(details.createdAt)})`],
      ['expires', details.expiresAt && `${details.expiresAt} (${relativeTime(details.expiresAt)})`],
      [
        'ttl schedule',
        details.schedule
          ? `${details.schedule.group}/${details.schedule.name}: ${details.schedule.expression}`
          : 'none (it has fired, or the clone is being deleted)',
      ],
      ['endpoint', details.endpoint && `${details.endpoint}:${details.port}`],
      ['reader', details.readerEndpoint && `${details.readerEndpoint}:${details.port}`],
      ['database', details.databaseName],
      ['user', details.username],
      ['secret', details.secretArn ?? 'none yet'],
      ['engine', details.engineVersion && `aurora-postgresql ${details.engineVersion}`],
      [
        'made by',
        details.executionArn && `${details.executionArn} (${details.executionStatus ?? 'unknown'})`,
      ],
      ['tags', userTags.join(', ')],
    ]),
  );
  if (details.instances.length > 0) {
    say('  instances');
    for (const instance of details.instances) {
      say(
        `    ${instance.id}  ${instance.instanceClass}  ${instance.status}${instance.writer ? '  writer' : ''}`,
      );
    }
  }
}

/** Adds `dbaf list` and `dbaf show`, the read commands, to the program. */
export function register(program: Program): void {
  program
    .command('list')
    .description('every managed clone: name, source, owner, status, endpoint, expiry')
    .option('--owner <owner>', 'only the clones of this owner')
    .option('--json', 'print the clones as JSON')
    .addHelpText('after', examples('dbaf list', 'dbaf list --owner alice@example.com --json'))
    .action((options, command) => withAws(command, (aws) => list(options, aws)));

  program
    .command('show')
    .description('one clone in full: status, endpoints, instances, secret, TTL schedule')
    .argument('<clone>', 'the clone name (with or without the prefix)')
    .option('--json', 'print the clone as JSON')
    .addHelpText('after', examples('dbaf show my-clone', 'dbaf show dbaf-my-clone --json'))
    .action((name, options, command) => withAws(command, (aws) => show(name, options, aws)));
}
