import { randomUUID } from 'node:crypto';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import type { ServiceContext } from '../../core/service.js';
import { Execution, type StateMachineRecord } from './execution.js';
import type { TaskEnvironment } from './tasks.js';

const meta = { $metadata: {} };

/** Step Functions' execution names: 1 to 80 characters, none of whitespace, brackets, wildcards or `"#%\^|~`$&,;:/`. */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function validName(name: string): boolean {
  // Control characters (U+0000 to U+001F, U+007F to U+009F) are refused too.
  const control = [...name].some(
    (c) =>
      (c.codePointAt(0) ?? 0) < 0x20 || ((c.codePointAt(0) ?? 0) >= 0x7f && (c.codePointAt(0) ?? 0) <= 0x9f),
  );
  return name.length >= 1 && name.length <= 80 && !FORBIDDEN.test(name) && !control;
}

/** The stand-in's Step Functions: its state machines, their executions and histories. */
export class StepFunctions {
  readonly machines = new Map<string, StateMachineRecord>();
  readonly executions = new Map<string, Execution>();

  constructor(
    private readonly context: ServiceContext,
    private readonly tasks: () => TaskEnvironment,
  ) {}

  /** Registers a state machine (the stand-in creates the project's at start-up). */
  create(name: string, definition: string, roleArn: string): StateMachineRecord {
    const arn = this.context.account.arn('states', `stateMachine:${name}`);
    const machine: StateMachineRecord = { arn, name, definition, roleArn, createdAt: new Date() };
    this.machines.set(arn, machine);
    return machine;
  }

  /** StartExecution's semantics, for the API, the scheduler and `startExecution` tasks. */
  start(stateMachineArn: string, input: string | undefined, name: string | undefined): Execution {
    const machine = this.machine(stateMachineArn);
    const executionName = name ?? randomUUID();
    if (!validName(executionName)) {
      throw new InvalidName({ message: `Invalid Name: '${executionName}'`, ...meta });
    }
    const text = input ?? '{}';
    try {
      JSON.parse(text);
    } catch {
      throw new InvalidExecutionInput({
        message: 'Invalid State Machine Execution Input: the input is not valid JSON.',
        ...meta,
      });
    }
    const arn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // Same name and input while still running is the same request again; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === text) return existing;
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${arn}'`, ...meta });
    }
    const execution = new Execution(arn, executionName, machine, text, this.context.clock, this.tasks());
    this.executions.set(arn, execution);
    void execution.done.then(() =>
      this.context.log(`states: ${machine.name}/${executionName} ${execution.status}`),
    );
    return execution;
  }

  /**
   * A `states:startExecution` task's child: started, and for `.sync` and `.sync:2` run to its end,
   * answered as that integration answers (DescribeExecution in PascalCase; `.sync:2` parses the
   * child's `Input` and `Output`).
   */
  async startChild(
    stateMachineArn: string,
    input: unknown,
    name: string | undefined,
    pattern: 'start' | 'sync' | 'sync:2',
  ): Promise<Record<string, unknown>> {
    const execution = this.start(
      stateMachineArn,
      typeof input === 'string' ? input : JSON.stringify(input),
      name,
    );
    if (pattern === 'start') return { ExecutionArn: execution.arn, StartDate: execution.startDate };
    await execution.done;
    const parse = (text: string | undefined) =>
      pattern === 'sync:2' && text !== undefined ? JSON.parse(text) : text;
    return {
      ExecutionArn: execution.arn,
      StateMachineArn: execution.machine.arn,
      Name: execution.name,
      Status: execution.status,
      StartDate: execution.startDate.toISOString(),
      StopDate: execution.stopDate?.toISOString(),
      Input: parse(execution.input),
      Output: parse(execution.output),
      Error: execution.error,
      Cause: execution.cause,
    };
  }

  /** Stops every running execution (shutdown). */
  stopAll(): void {
    for (const execution of this.executions.values())
      execution.stop('States.Aborted', 'The local stand-in shut down.');
  }

  machine(arn: string | undefined): StateMachineRecord {
    if (!arn?.startsWith('arn:')) throw new InvalidArn({ message: `Invalid Arn: '${arn}'`, ...meta });
    const machine = this.machines.get(arn);
    if (!machine)
      throw new StateMachineDoesNotExist({ message: `State Machine Does Not Exist: '${arn}'`, ...meta });
    return machine;
  }

  execution(arn: string | undefined): Execution {
    if (!arn?.startsWith('arn:')) throw new InvalidArn({ message: `Invalid Arn: '${arn}'`, ...meta });
    const execution = this.executions.get(arn);
    if (!execution)
      throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${arn}'`, ...meta });
    return execution;
  }

  /** DescribeExecution's answer. */
  describe(execution: Execution) {
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.machine.arn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      stopDate: execution.stopDate,
      input: execution.input,
      inputDetails: { included: true },
      output: execution.output,
      outputDetails: execution.output === undefined ? undefined : { included: true },
      error: execution.error,
      cause: execution.cause,
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE' as const,
    };
  }
}

export { sfnService } from './api.js';
