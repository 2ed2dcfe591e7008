import { paginateListSchedules } from '@aws-sdk/client-scheduler';
import { type ArtifactDocument, cloneIdForName } from '../../functions/shared/artifact.js';
import { refreshScheduleName } from '../../functions/shared/names.js';
import { artifactOfRefreshInput } from '../../functions/shared/refresh-schedule.js';
import { nextCronRun } from '../../functions/shared/schedule-expression.js';
import type { Aws } from '../aws.js';
import { examples, type Program, withAws } from '../command.js';
import { findDeployment } from '../deployment.js';
import { EXIT, UserError } from '../errors.js';
import { runOperation } from '../operations.js';
import { printJson, relativeTime, say, table } from '../output.js';
import { checkArtifact, readDocument } from './artifact.js';
import { scheduleOf } from './list.js';

/** Options of `dbaf schedule-refresh`. */
export interface ScheduleRefreshOptions {
  readonly cron: string;
  readonly timezone?: string;
  readonly name?: string;
  readonly json?: boolean;
}

/**
 * `dbaf schedule-refresh <artifact> --cron ... --timezone ...`: asks the deployment to create (or
 * change) the clone's refresh schedule, `<clone>.refresh` (its `schedule-refresh` operation, which
 * checks the artifact, the source, the cron and the time zone). Its first run makes the clone if it
 * does not exist.
 */
export async function scheduleRefresh(
  file: string,
  options: ScheduleRefreshOptions,
  aws: Aws,
): Promise<void> {
  const document = readDocument(file);
  const name = options.name ?? document.target?.cloneName;
  if (name === undefined) {
    throw new UserError(
      'Name the clone with --name <name> (or target.cloneName in the artifact): a refresh schedule keeps one named clone fresh.',
      EXIT.usage,
    );
  }
  const artifact = { ...document, target: { ...document.target, cloneName: name } } as ArtifactDocument;
  checkArtifact(artifact, file);
  const deployment = await findDeployment(aws);
  const made = await runOperation(
    aws,
    deployment,
    {
      operation: 'schedule-refresh',
      artifact,
      cron: options.cron,
      ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
    },
    cloneIdForName(name, deployment.cloneNamePrefix),
  );
  if (options.json) {
    printJson(made);
    return;
  }
  say(
    `Refresh of ${made.cloneId} ${made.status === 'UPDATED' ? 'rescheduled' : 'scheduled'}: ${made.expression} in ${made.timezone} (schedule ${made.schedule}).`,
  );
  if (made.next !== null) say(`Next refresh: ${made.next} (${relativeTime(made.next)}).`);
  if (!made.cloneExists) {
    say(
      `The clone does not exist yet: the first refresh makes it (or "${aws.command(`clone ${file} --name ${name}`)}" now).`,
    );
  }
}

/** `dbaf unschedule-refresh <clone>`: asks the deployment to delete the clone's refresh schedule. */
export async function unscheduleRefresh(name: string, options: { json?: boolean }, aws: Aws): Promise<void> {
  const deployment = await findDeployment(aws);
  const removed = await runOperation(
    aws,
    deployment,
    { operation: 'unschedule-refresh', cloneId: name },
    cloneIdForName(name, deployment.cloneNamePrefix),
  );
  if (options.json) return printJson(removed);
  if (removed.status === 'NONE') {
    throw new UserError(
      `Clone ${removed.cloneId} has no refresh schedule ("${aws.command('schedules')}" lists them).`,
      EXIT.notFound,
    );
  }
  say(
    removed.cloneExists
      ? `The refresh schedule of ${removed.cloneId} is deleted; the clone itself stays until its TTL.`
      : `The refresh schedule of ${removed.cloneId} is deleted; there is no clone ${removed.cloneId} now, and none will be made.`,
  );
}

/** One refresh schedule, as `dbaf schedules` shows it. */
export interface RefreshScheduleView {
  readonly cloneId: string;
  readonly schedule: string;
  readonly expression: string;
  readonly timezone: string;
  readonly state: string;
  readonly source: string | null;
  readonly next: string | null;
}

/** `dbaf schedules`: every refresh schedule of the deployment, with when it next runs. */
export async function schedules(options: { json?: boolean }, aws: Aws): Promise<void> {
  const deployment = await findDeployment(aws);
  const names: string[] = [];
  const pages = paginateListSchedules(
    { client: aws.scheduler },
    { GroupName: deployment.scheduleGroupName, NamePrefix: deployment.cloneNamePrefix },
  );
  for await (const page of pages) {
    for (const item of page.Schedules ?? []) {
      if (item.Name?.endsWith('.refresh')) names.push(item.Name);
    }
  }
  const views: RefreshScheduleView[] = [];
  for (const scheduleName of names.sort()) {
    const cloneId = scheduleName.slice(0, -'.refresh'.length);
    const schedule = await scheduleOf(aws, deployment, refreshScheduleName(cloneId));
    if (schedule === undefined) continue;
    const artifact = artifactOfRefreshInput(schedule.Target?.Input) as ArtifactDocument | undefined;
    const expression = schedule.ScheduleExpression ?? '';
    const timezone = schedule.ScheduleExpressionTimezone ?? 'UTC';
    views.push({
      cloneId,
      schedule: scheduleName,
      expression,
      timezone,
      state: schedule.State ?? 'ENABLED',
      source: artifact?.source?.clusterIdentifier ?? null,
      next: schedule.State === 'DISABLED' ? null : (nextCronRun(expression, timezone) ?? null),
    });
  }
  if (options.json) return printJson(views);
  if (views.length === 0) {
    say(
      `No refresh schedules. Make one with "${aws.command('schedule-refresh artifact.json --cron "0 6 ? * MON-FRI *" --timezone Europe/Paris')}".`,
    );
    return;
  }
  say(
    table(
      ['CLONE', 'SOURCE', 'SCHEDULE', 'TIME ZONE', 'STATE', 'NEXT'],
      views.map((view) => [
        view.cloneId,
        view.source ?? '?',
        view.expression,
        view.timezone,
        view.state,
        view.next === null ? '-' : `${view.next} (${relativeTime(view.next)})`,
      ]),
    ),
  );
}

/** Adds `dbaf schedule-refresh`, `dbaf unschedule-refresh` and `dbaf schedules` to the program. */
export function register(program: Program): void {
  program
    .command('schedule-refresh')
    .description(
      'refresh a clone from its source on a schedule (EventBridge Scheduler); the first run makes it if it does not exist',
    )
    .argument('<artifact>', 'the artifact document (JSON) of the clone')
    .requiredOption('--cron <expression>', 'six cron fields, such as "0 6 ? * MON-FRI *", or cron(...)')
    .option('--timezone <zone>', 'the IANA time zone the cron is read in', 'UTC')
    .option('--name <name>', "the clone's name (default: target.cloneName)")
    .option('--json', 'print the schedule as JSON')
    .addHelpText(
      'after',
      examples(
        'dbaf schedule-refresh artifact.json --cron "0 6 ? * MON-FRI *" --timezone Europe/Paris',
        'dbaf schedule-refresh artifact.json --name reporting --cron "30 2 * * ? *"',
      ),
    )
    .action((file, options, command) => withAws(command, (aws) => scheduleRefresh(file, options, aws)));

  program
    .command('unschedule-refresh')
    .description("delete a clone's refresh schedule; the clone stays until its TTL")
    .argument('<clone>', 'the clone name')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples('dbaf unschedule-refresh reporting'))
    .action((name, options, command) => withAws(command, (aws) => unscheduleRefresh(name, options, aws)));

  program
    .command('schedules')
    .description('every refresh schedule: clone, source, cron, time zone, next run')
    .option('--json', 'print the schedules as JSON')
    .addHelpText('after', examples('dbaf schedules', 'dbaf schedules --json'))
    .action((options, command) => withAws(command, (aws) => schedules(options, aws)));
}
