import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { binder, type Guard, type Stub } from './bind.js';
import type { FakeState } from './state.js';

const meta = { $metadata: {} };

/**
 * Step Functions as the sweeper sees it: StartExecution records a RUNNING execution (the test
 * runs it with the workflow harness, if it wants), ListExecutions and DescribeExecution read them.
 */
export function fakeSfn(mock: Stub, state: FakeState, guard: Guard) {
  const on = binder(mock, guard);
  on(StartExecutionCommand, (input) => {
    const name = input.name ?? `generated-${state.executions.size + 1}`;
    const arn = `${(input.stateMachineArn ?? '').replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = state.executions.get(arn);
    // The same name and input while running is the same request again, as in AWS.
    if (existing?.status === 'RUNNING' && existing.input === input.input) {
      return { executionArn: arn, startDate: new Date() };
    }
    if (existing)
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${arn}'`, ...meta });
    state.executions.set(arn, {
      arn,
      name,
      stateMachineArn: input.stateMachineArn ?? '',
      input: input.input ?? '{}',
      status: 'RUNNING',
    });
    return { executionArn: arn, startDate: new Date() };
  });
  on(ListExecutionsCommand, (input) => ({
    executions: [...state.executions.values()]
      .filter((e) => e.stateMachineArn === input.stateMachineArn)
      .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
      .map((e) => ({
        executionArn: e.arn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: new Date(),
      })),
  }));
  on(DescribeExecutionCommand, (input) => {
    const found = state.executions.get(input.executionArn ?? '');
    if (!found) {
      throw new ExecutionDoesNotExist({
        message: `Execution Does Not Exist: '${input.executionArn}'`,
        ...meta,
      });
    }
    return {
      executionArn: found.arn,
      stateMachineArn: found.stateMachineArn,
      name: found.name,
      status: found.status,
      input: found.input,
      startDate: new Date(),
    };
  });
  return mock;
}
