import { parseStandInFlags, type StandInFlags, USAGE, UsageError } from './flags.js';
import { readyMessage } from './ready.js';
import { startStandIn } from './standin.js';

// The SDK's notice that releases after January 2027 need Node 22 is not for the demo's audience; we pin the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let flags: StandInFlags;
  try {
    flags = parseStandInFlags(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(error.message);
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { quiet } = flags;
  // Quiet means the handlers' INFO logs too (the hourly sweeper would print every 72 s at 0.02).
  if (quiet) process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  // A Ctrl-C during start-up stops the stand-in as soon as it has started, so nothing is left behind.
  let stopRequested = false;
  const early = () => {
    stopRequested = true;
  };
  process.on('SIGINT', early);
  process.on('SIGTERM', early);
  const standIn = await startStandIn({
    ...flags.options,
    log: quiet ? undefined : (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /EADDRINUSE/.test(message)
      ? ' Another program uses that port: pass --port <n>, or --port 0 for a free one.'
      : '';
    process.stderr.write(`The local stand-in could not start: ${message}.${hint}\n`);
    process.exit(1);
  });
  process.stdout.write(
    [
      `The local stand-in is listening on ${standIn.endpoint} (time scale ${standIn.clock.scale}).`,
      `  clone state machine:    ${standIn.stateMachines.clone}`,
      `  teardown state machine: ${standIn.stateMachines.teardown}`,
      `  sweeper state machine:  ${standIn.stateMachines.sweeper}`,
      `  refresh state machine:  ${standIn.stateMachines.refresh}`,
      `Start a clone with: aws --endpoint-url ${standIn.endpoint} stepfunctions start-execution --state-machine-arn ${standIn.stateMachines.clone} --input file://examples/artifact.json`,
      'Press Ctrl-C to stop; every PostgreSQL server it started stops with it.',
      '',
    ].join('\n'),
  );
  process.send?.(readyMessage(standIn));
  if (stopRequested) await stopNow(standIn, 'a signal during start-up');
  process.off('SIGINT', early);
  process.off('SIGTERM', early);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stopNow(standIn, signal);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('disconnect', () => shutdown('parent gone'));

  async function stopNow(running: { stop(): Promise<void> }, why: string): Promise<never> {
    if (!quiet) process.stdout.write(`${why}: stopping the stand-in...\n`);
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`Stopping failed: ${String(error)}\n`);
      process.exit(1);
    }
  }
}

await main();
