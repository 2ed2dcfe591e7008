import '../../polyfill.js';
import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';
import type { Clock } from '../../core/clock.js';
import { History, type LibraryEvent } from './history.js';
import { type TaskEnvironment, taskHandler } from './tasks.js';

/** A state machine of the stand-in. */
export interface StateMachineRecord {
  readonly arn: string;
  readonly name: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly createdAt: Date;
}

type Definition = {
  States: Record<
    string,
    {
      Type: string;
      Resource?: string;
      Seconds?: number;
      Retry?: { IntervalSeconds?: number; MaxDelaySeconds?: number }[];
    }
  >;
};

/** One execution: run by aws-local-stepfunctions, recorded in Step Functions' shapes. */
export class Execution {
  status: ExecutionStatus = 'RUNNING';
  readonly startDate = new Date();
  stopDate: Date | undefined;
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  readonly history: History;
  /** Resolves when the execution has ended, whatever its status. */
  readonly done: Promise<void>;
  private abortRun: (() => void) | undefined;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly machine: StateMachineRecord,
    readonly input: string,
    clock: Clock,
    tasks: TaskEnvironment,
  ) {
    this.history = new History(machine.roleArn);
    this.done = this.run(clock, tasks);
  }

  /** StopExecution: the run is abandoned where it is; the history ends with ExecutionAborted. */
  stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    this.status = 'ABORTED';
    this.stopDate = new Date();
    this.error = error;
    this.cause = cause;
    this.abortRun?.();
  }

  private async run(clock: Clock, tasks: TaskEnvironment): Promise<void> {
    const definition = JSON.parse(this.machine.definition) as Definition;
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    const waits: Record<string, number> = {};
    for (const [name, state] of Object.entries(definition.States)) {
      // Time runs on the stand-in's clock: Wait states and retry pauses are scaled with it. Retry
      // intervals are scaled in the definition itself, so BackoffRate and jitter still apply.
      if (state.Type === 'Wait' && state.Seconds !== undefined)
        waits[name] = clock.real(state.Seconds * 1000);
      for (const retrier of state.Retry ?? []) {
        retrier.IntervalSeconds = (retrier.IntervalSeconds ?? 1) * clock.scale;
        if (retrier.MaxDelaySeconds !== undefined) retrier.MaxDelaySeconds *= clock.scale;
      }
      if (state.Type !== 'Task' || !state.Resource) continue;
      const handler = taskHandler(state.Resource, tasks, (event) => this.history.task(name, event));
      if (handler) handlers[name] = handler;
    }
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    const run = machine.run(JSON.parse(this.input), {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        waitTimeOverrides: waits,
      },
      context: {
        Execution: {
          Id: this.arn,
          Name: this.name,
          RoleArn: this.machine.roleArn,
          StartTime: this.startDate.toISOString(),
        },
        StateMachine: { Id: this.machine.arn, Name: this.machine.name },
      },
    });
    this.abortRun = run.abort;
    const collecting = (async () => {
      for await (const event of run.eventLogs as AsyncGenerator<LibraryEvent>)
        this.history.fromLibrary(event);
    })();
    try {
      const output = await run.result;
      this.finish('SUCCEEDED', { output: JSON.stringify(output ?? null) });
    } catch (thrown) {
      if (thrown instanceof ExecutionAbortedError) this.finish('ABORTED', {});
      else if (thrown instanceof ExecutionTimeoutError) this.finish('TIMED_OUT', { error: 'States.Timeout' });
      else if (thrown instanceof ExecutionError) {
        await collecting;
        const failed = this.history.events.findLast((e) => e.type === 'ExecutionFailed');
        this.finish('FAILED', {
          error: failed?.executionFailedEventDetails?.error,
          cause: failed?.executionFailedEventDetails?.cause,
        });
      } else {
        this.finish('FAILED', {
          error: 'States.Runtime',
          cause: thrown instanceof Error ? thrown.message : String(thrown),
        });
      }
    }
    await collecting.catch(() => undefined);
  }

  private finish(status: ExecutionStatus, result: { output?: string; error?: string; cause?: string }): void {
    if (this.status !== 'RUNNING') return;
    this.status = status;
    this.stopDate = new Date();
    this.output = result.output;
    this.error = result.error;
    this.cause = result.cause;
  }
}
