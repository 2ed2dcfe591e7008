import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Operation, OperationInput, Operations } from '../functions/operations/handler.js';
import type { Aws } from './aws.js';
import type { Deployment } from './deployment.js';
import { causeText, EXIT, type ExitCode, UserError } from './errors.js';

/** What each refusal of an operation means for `dbaf`'s exit code. */
const EXIT_FOR_ERROR: Readonly<Record<string, ExitCode>> = {
  InvalidRequest: EXIT.usage,
  InvalidArtifact: EXIT.invalidInput,
  CloneNotFound: EXIT.notFound,
  ExpiryLimitExceeded: EXIT.refused,
  CloneExpired: EXIT.refused,
  RefusedTarget: EXIT.refused,
};

/** The operations state machine, or a message saying how to name it. */
function operationsMachine(aws: Aws, deployment: Deployment): string {
  if (deployment.operationsStateMachineArn) return deployment.operationsStateMachineArn;
  throw new UserError(
    `This deployment has no operations state machine known to dbaf: give it with --operations-state-machine, or read the stack instead of naming state machines ("${aws.command('<command>')}" without --clone-state-machine).`,
    EXIT.usage,
  );
}

/** An execution name from a clone's name: Step Functions allows letters, digits, - and _, 80 at most. */
function executionName(subject: string, operation: Operation): string {
  const safe = subject.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 50);
  return `${safe}--${operation}-${Date.now().toString(36)}`;
}

/** Polls the execution until it ends; Ctrl-C stops waiting, not the operation. */
async function waitForEnd(aws: Aws, executionArn: string) {
  const pollMs = aws.target.local ? 200 : 1_000;
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
  };
  process.once('SIGINT', interrupt);
  try {
    for (;;) {
      const execution = await aws.sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') return execution;
      if (interrupted) {
        throw new UserError(
          `Stopped waiting; the operation goes on in execution ${executionArn}.`,
          EXIT.interrupted,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    process.off('SIGINT', interrupt);
  }
}

/**
 * Runs one operation of the deployment (`state-machines/operations.asl.json`) and waits for its
 * answer. The deployment checks the request against its own limits; a refusal comes back as a
 * {@link UserError} with its message and the exit code of its kind.
 *
 * @param subject the clone it is about, to name the execution after
 */
export async function runOperation<O extends Operation>(
  aws: Aws,
  deployment: Deployment,
  input: OperationInput<O>,
  subject: string,
): Promise<Operations[O]['output']> {
  const started = await aws.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: operationsMachine(aws, deployment),
      name: executionName(subject, input.operation),
      input: JSON.stringify(input),
    }),
  );
  const execution = await waitForEnd(aws, started.executionArn ?? '');
  if (execution.status === 'SUCCEEDED')
    return JSON.parse(execution.output ?? '{}') as Operations[O]['output'];
  const error = execution.error ?? execution.status ?? 'Failed';
  throw new UserError(
    causeText(execution.cause) || `The ${input.operation} operation ended ${error}.`,
    EXIT_FOR_ERROR[error] ?? EXIT.failed,
  );
}
