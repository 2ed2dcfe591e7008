import * as sdk from '@aws-sdk/client-sfn';
import {
  type DescribeExecutionInput,
  type DescribeStateMachineInput,
  type GetExecutionHistoryInput,
  InvalidToken,
  type ListExecutionsInput,
  type ListStateMachinesInput,
  type StartExecutionInput,
  type StopExecutionInput,
} from '@aws-sdk/client-sfn';
import { bindOperations, type ServiceDefinition } from '../../core/service.js';
import type { StepFunctions } from './index.js';

const meta = { $metadata: {} };

/** One page of a List call: maxResults (100 by default, at most 1000) and an opaque nextToken. */
function pageOf<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined) {
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new InvalidToken({ message: 'Invalid Token: the nextToken is not valid.', ...meta });
  }
  const next =
    start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { items: items.slice(start, start + size), nextToken: next };
}

/** ListStateMachines: by name, paged. */
export function listStateMachines(stepFunctions: StepFunctions, input: ListStateMachinesInput) {
  const machines = [...stepFunctions.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  const { items, nextToken } = pageOf(machines, input.maxResults, input.nextToken);
  return {
    stateMachines: items.map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: 'STANDARD',
      creationDate: m.createdAt,
    })),
    nextToken,
  };
}

/** DescribeStateMachine: its definition and role; no logging, no tracing. */
export function describeStateMachine(stepFunctions: StepFunctions, input: DescribeStateMachineInput) {
  const m = stepFunctions.machine(input.stateMachineArn);
  return {
    stateMachineArn: m.arn,
    name: m.name,
    status: 'ACTIVE',
    definition: m.definition,
    roleArn: m.roleArn,
    type: 'STANDARD',
    creationDate: m.createdAt,
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}

/** StartExecution. */
export function startExecution(stepFunctions: StepFunctions, input: StartExecutionInput) {
  const execution = stepFunctions.start(input.stateMachineArn ?? '', input.input, input.name);
  return { executionArn: execution.arn, startDate: execution.startDate };
}

/** DescribeExecution. */
export function describeExecution(stepFunctions: StepFunctions, input: DescribeExecutionInput) {
  return stepFunctions.describe(stepFunctions.execution(input.executionArn));
}

/** ListExecutions: a state machine's, newest first, by status, paged. */
export function listExecutions(stepFunctions: StepFunctions, input: ListExecutionsInput) {
  const machine = stepFunctions.machine(input.stateMachineArn);
  const executions = [...stepFunctions.executions.values()]
    .filter((e) => e.machine === machine && (!input.statusFilter || e.status === input.statusFilter))
    .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  const { items, nextToken } = pageOf(executions, input.maxResults, input.nextToken);
  return {
    executions: items.map((e) => ({
      executionArn: e.arn,
      stateMachineArn: machine.arn,
      name: e.name,
      status: e.status,
      startDate: e.startDate,
      stopDate: e.stopDate,
    })),
    nextToken,
  };
}

/** GetExecutionHistory: in order or reversed, with or without the execution data, paged. */
export function getExecutionHistory(stepFunctions: StepFunctions, input: GetExecutionHistoryInput) {
  const execution = stepFunctions.execution(input.executionArn);
  let events = [...execution.history.events];
  if (input.reverseOrder) events.reverse();
  if (input.includeExecutionData === false) {
    events = events.map((event) =>
      JSON.parse(
        JSON.stringify(event, (key, value) =>
          ['input', 'output', 'parameters', 'cause'].includes(key) ? undefined : value,
        ),
        (key, value) => (key === 'timestamp' ? new Date(value) : value),
      ),
    );
  }
  const { items, nextToken } = pageOf(events, input.maxResults, input.nextToken);
  return { events: items, nextToken };
}

/** StopExecution: aborts a running execution with the given error and cause. */
export function stopExecution(stepFunctions: StepFunctions, input: StopExecutionInput) {
  const execution = stepFunctions.execution(input.executionArn);
  execution.stop(input.error, input.cause);
  return { stopDate: execution.stopDate ?? new Date() };
}

/** Step Functions (awsJson1_0), with the project's state machines. */
export function sfnService(stepFunctions: StepFunctions): ServiceDefinition {
  return {
    id: 'states',
    protocol: 'json1.0',
    sdk: sdk as unknown as Record<string, unknown>,
    targetPrefix: 'AWSStepFunctions',
    operations: bindOperations(stepFunctions, {
      ListStateMachines: listStateMachines,
      DescribeStateMachine: describeStateMachine,
      StartExecution: startExecution,
      DescribeExecution: describeExecution,
      ListExecutions: listExecutions,
      GetExecutionHistory: getExecutionHistory,
      StopExecution: stopExecution,
    }),
  };
}
