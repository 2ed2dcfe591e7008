import { cloneIdForName } from '../../functions/shared/artifact.js';
import { DURATION_FORM, parseDuration } from '../../functions/shared/duration.js';
import type { Aws } from '../aws.js';
import { examples, type Program, withAws } from '../command.js';
import { findDeployment } from '../deployment.js';
import { EXIT, UserError } from '../errors.js';
import { runOperation } from '../operations.js';
import { printJson, relativeTime, say } from '../output.js';

/** Options of `dbaf extend`. */
export interface ExtendOptions {
  readonly json?: boolean;
}

/**
 * `dbaf extend <clone> <duration>`: asks the deployment to push the clone's expiry by the duration
 * (its `extend` operation). The deployment applies its own limits (the maximum TTL from now, the
 * maximum lifetime from creation) and moves the TTL and warning schedules and the expiry tags;
 * `dbaf` needs no permission on them.
 */
export async function extend(
  name: string,
  duration: string,
  options: ExtendOptions,
  aws: Aws,
): Promise<void> {
  // The form only, before any AWS call; the deployment checks the limits.
  if (parseDuration(duration) === undefined)
    throw new UserError(`"${duration}" is not ${DURATION_FORM}.`, EXIT.usage);
  const deployment = await findDeployment(aws);
  const moved = await runOperation(
    aws,
    deployment,
    { operation: 'extend', cloneId: name, by: duration },
    cloneIdForName(name, deployment.cloneNamePrefix),
  );
  if (options.json) {
    printJson(moved);
    return;
  }
  say(
    `Clone ${moved.cloneId} now expires at ${moved.expiresAt} (${relativeTime(moved.expiresAt)}); it was ${moved.previousExpiresAt}.`,
  );
  if (moved.warningAt !== null) {
    say(`Its Clone Expiring event goes out at ${moved.warningAt} (${relativeTime(moved.warningAt)}).`);
  }
}

/** Adds `dbaf extend` to the program. */
export function register(program: Program): void {
  program
    .command('extend')
    .description(
      "push a clone's expiry (its TTL and warning schedules and tags), up to the maximum TTL from now and the maximum lifetime",
    )
    .argument('<clone>', 'the clone name')
    .argument('<duration>', 'how much longer, such as 4h or 1d12h')
    .option('--json', 'print the new expiry as JSON')
    .addHelpText('after', examples('dbaf extend my-clone 4h', 'dbaf extend my-clone 2d'))
    .action((name, duration, options, command) =>
      withAws(command, (aws) => extend(name, duration, options, aws)),
    );
}
