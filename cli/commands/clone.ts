import type { CloneReady } from '../../functions/publish-endpoint/handler.js';
import type { Aws } from '../aws.js';
import type { Clone } from '../clones.js';
import { beginClone, type CloneOverrides, followClone, printFailure, readyOf } from '../cloning.js';
import { examples, type Program, withAws } from '../command.js';
import { causeText, EXIT, UserError } from '../errors.js';
import { styles } from '../follow.js';
import { elapsed, fields, printJson, relativeTime, say } from '../output.js';

/** Options of `dbaf clone`. */
export interface CloneOptions extends CloneOverrides {
  readonly detach?: boolean;
  readonly json?: boolean;
}

function printReady(aws: Aws, ready: CloneReady, seconds: number | undefined): void {
  const style = styles(process.stdout);
  say(
    style.green(`Clone ${ready.cloneId} is ready${seconds === undefined ? '' : ` (${elapsed(seconds)})`}.`),
  );
  say(
    fields([
      ['endpoint', `${ready.endpoint}:${ready.port}`],
      ['reader', `${ready.readerEndpoint}:${ready.port}`],
      ['database', ready.databaseName],
      ['user', ready.username],
      ['secret', ready.secretArn],
      ['expires', `${ready.expiresAt} (${relativeTime(ready.expiresAt)})`],
    ]),
  );
  say(`Connect with: ${aws.command(`connect ${ready.cloneId}`)}`);
}

function alreadyThere(aws: Aws, clone: Clone, options: CloneOptions): void {
  if (clone.clusterStatus === 'deleting') {
    throw new UserError(
      `Clone ${clone.cloneId} is being deleted. Wait for that ("${aws.command(`delete ${clone.cloneId}`)}" follows it), then run this again.`,
      EXIT.refused,
    );
  }
  if (options.json) {
    printJson({ status: 'EXISTS', executionArn: clone.executionArn, clone });
    return;
  }
  say(
    `Clone ${clone.cloneId} already exists (owner ${clone.owner}, ${clone.status}, expires ${relativeTime(clone.expiresAt)}): nothing started.`,
  );
  say(`See it with "${aws.command(`show ${clone.cloneId}`)}", or delete it first to make it again.`);
}

/**
 * `dbaf clone <artifact>`: starts the clone workflow named after the clone and follows it.
 *
 * The execution name is the clone's id, so running the same command twice never makes two clones:
 * the second run follows the first, or says the clone already exists.
 */
export async function clone(file: string, options: CloneOptions, aws: Aws): Promise<void> {
  const begun = await beginClone(aws, file, options);
  if (begun.state === 'exists') return alreadyThere(aws, begun.clone, options);
  const { cloneId, executionArn } = begun;
  if (!options.json && begun.state === 'running') {
    say(`Clone ${cloneId} is already being made (execution ${executionArn.split(':').pop()}): following it.`);
  }
  if (!options.json && !options.detach && begun.state === 'started') {
    say(`Cloning ${begun.source} into ${cloneId} for ${begun.owner} (execution ${begun.executionName}).`);
  }
  if (options.detach) {
    if (options.json) printJson({ status: 'RUNNING', executionArn, cloneId });
    else say(executionArn);
    return;
  }
  const followed = await followClone(aws, cloneId, executionArn);
  const { execution } = followed;
  if (execution.status === 'SUCCEEDED') {
    const { ready, seconds } = readyOf(execution);
    if (options.json) printJson({ status: 'SUCCEEDED', executionArn, clone: ready });
    else printReady(aws, ready, seconds);
    return;
  }
  if (options.json) {
    printJson({
      status: execution.status,
      executionArn,
      error: execution.error,
      cause: causeText(execution.cause),
    });
  }
  await printFailure(aws, cloneId, followed);
  process.exitCode = EXIT.failed;
}

/** Adds `dbaf clone` to the program. */
export function register(program: Program): void {
  program
    .command('clone')
    .description(
      'make a clone: start the clone workflow named after the clone, follow it live, print how to connect',
    )
    .argument('<artifact>', 'the artifact document (JSON)')
    .option('--name <name>', "the clone's name (default: target.cloneName); the deployment's prefix is added")
    .option('--ttl <duration>', 'how long it lives, such as 8h or 3d (default: lifecycle.ttl)')
    .option('--owner <owner>', 'who it is for (default: lifecycle.owner, then your AWS user name)')
    .option('--detach', 'print the execution ARN and return at once')
    .option('--json', 'print the result as JSON (progress still goes to standard error)')
    .addHelpText(
      'after',
      `${examples(
        'dbaf clone artifact.json --name my-clone --ttl 8h',
        'dbaf --local clone examples/artifact.json --name demo',
        'dbaf clone artifact.json --name nightly --detach --json',
      )}\n\nRunning the same command again never makes a second clone: it follows the running\nexecution, or says the clone exists.`,
    )
    .action((file, options, command) => withAws(command, (aws) => clone(file, options, aws)));
}
