import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidName,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepFunctions, sfnService } from '../../../local/services/sfn/index.js';
import { serve } from './harness.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:double';
const definitions = {
  double: { StartAt: 'Double', States: { Double: { Type: 'Task', Resource: FN, End: true } } },
  slow: { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3600, End: true } } },
  parent: {
    StartAt: 'Child',
    States: {
      Child: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution.sync:2',
        Parameters: {
          StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:double',
          'Input.$': '$',
        },
        End: true,
      },
    },
  },
};

describe('the stand-in Step Functions over awsJson 1.0', () => {
  let stand: Awaited<ReturnType<typeof serve>>;
  let sfn: SFNClient;
  const arn = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

  beforeEach(async () => {
    stand = await serve((context) => {
      const stepFunctions: StepFunctions = new StepFunctions(context, () => ({
        region: 'us-east-1',
        accountId: '000000000000',
        functions: new Map([
          [
            FN,
            {
              name: 'double',
              handler: async (input: { n: number }) => {
                if (input.n < 0)
                  throw Object.assign(new Error('n must not be negative'), { name: 'NegativeInput' });
                return { n: input.n * 2 };
              },
            },
          ],
        ]),
        sdkCall: async () => ({}),
        startExecution: async (machine, input, name) => {
          const child = stepFunctions.start(machine, JSON.stringify(input), name);
          await child.done;
          return {
            Status: child.status,
            Output: child.output === undefined ? undefined : JSON.parse(child.output),
          };
        },
      }));
      for (const [name, definition] of Object.entries(definitions))
        stepFunctions.create(name, JSON.stringify(definition), 'arn:aws:iam::000000000000:role/sfn');
      return [sfnService(stepFunctions)];
    });
    sfn = new SFNClient(stand.config);
  });

  afterEach(async () => {
    await stand.close();
  });

  const run = async (machine: string, input: unknown, name?: string) => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn(machine), input: JSON.stringify(input), name }),
    );
    await expect
      .poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, {
        timeout: 5_000,
      })
      .not.toBe('RUNNING');
    return sfn.send(new DescribeExecutionCommand({ executionArn }));
  };

  it('runs a Lambda task and records the history in AWS event types, in order', async () => {
    const done = await run('double', { n: 21 });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toEqual({ n: 42 });
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: done.executionArn }),
    );
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('reports a thrown error as Lambda does: the name as Error, the JSON envelope as Cause', async () => {
    const failed = await run('double', { n: -1 });
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('NegativeInput');
    expect(JSON.parse(failed.cause ?? '')).toMatchObject({
      errorType: 'NegativeInput',
      errorMessage: 'n must not be negative',
    });
  });

  it('treats a reused execution name as AWS does', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn('slow'), name: 'once', input: '{}' }),
    );
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn('slow'), name: 'once', input: '{}' }),
    );
    expect(again.executionArn).toBe(executionArn);
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: arn('slow'), name: 'once', input: '{"other":1}' }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled' }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn('slow'), name: 'once', input: '{}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('refuses bad names and unknown state machines with their typed errors', async () => {
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn('double'), name: 'has space' })),
    ).rejects.toBeInstanceOf(InvalidName);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn('missing') })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('runs a child execution for startExecution.sync:2 and returns its parsed output', async () => {
    const done = await run('parent', { n: 5 });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toMatchObject({ Status: 'SUCCEEDED', Output: { n: 10 } });
  });
});
