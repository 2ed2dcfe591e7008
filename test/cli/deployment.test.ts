import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { Aws } from '../../cli/aws.js';
import { DEFAULT_SETTINGS, findDeployment, fromOutputs } from '../../cli/deployment.js';
import { STACK_OUTPUTS } from '../../infra/lib/outputs.js';
import { resetAfterEach } from '../support/mocks.js';

const cfnMock = mockClient(CloudFormationClient);
resetAfterEach(cfnMock);

const CLONE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Clone1A2B';
const TEARDOWN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Teardown3C4D';
const VALUES: Record<keyof typeof STACK_OUTPUTS, string> = {
  cloneStateMachineArn: CLONE,
  teardownStateMachineArn: TEARDOWN,
  refreshStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Refresh5E6F',
  operationsStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Operations7A8B',
  scheduleGroupName: 'DbArtifactFactory-ttl',
  schedulerRoleArn: 'arn:aws:iam::123456789012:role/DbArtifactFactory-Scheduler',
  cloneNamePrefix: 'qa-',
  secretPrefix: 'dbaf/',
  defaultTtl: '4h',
  maxTtl: '2d',
  expiryWarning: '30m',
  maxLifetime: '14d',
  protectedClones: 'qa-demo,qa-training',
};
const outputs = Object.entries(STACK_OUTPUTS).map(([key, OutputKey]) => ({
  OutputKey,
  OutputValue: VALUES[key as keyof typeof STACK_OUTPUTS],
}));

describe('findDeployment', () => {
  it('reads the state machines and settings from the stack outputs with one DescribeStacks', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'Clones', Outputs: outputs } as never] });
    const deployment = await findDeployment(new Aws({ stack: 'Clones', region: 'eu-west-1' }));
    expect(deployment).toEqual({
      stackName: 'Clones',
      ...VALUES,
      protectedClones: ['qa-demo', 'qa-training'],
    });
    expect(cfnMock).toHaveReceivedCommandTimes(DescribeStacksCommand, 1);
    expect(cfnMock).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'Clones' });
  });

  it('says how to fix a stack that is not there, exiting 4', async () => {
    const missing = Object.assign(new Error('Stack with id Clones does not exist'), {
      name: 'ValidationError',
    });
    cfnMock.on(DescribeStacksCommand).rejects(missing);
    await expect(findDeployment(new Aws({ stack: 'Clones', region: 'eu-west-1' }))).rejects.toMatchObject({
      exitCode: 4,
      message: expect.stringMatching(
        /^Stack "Clones" was not found in eu-west-1\. Deploy it with "npx cdk deploy"/,
      ),
    });
  });

  it('uses explicit state machine ARNs without reading any stack', async () => {
    const deployment = await findDeployment(
      new Aws({ cloneStateMachine: CLONE, teardownStateMachine: TEARDOWN, region: 'eu-west-1' }),
    );
    expect(deployment).toMatchObject({
      cloneStateMachineArn: CLONE,
      teardownStateMachineArn: TEARDOWN,
      ...DEFAULT_SETTINGS,
    });
    expect(cfnMock).not.toHaveReceivedCommand(DescribeStacksCommand);
  });

  it.each([
    [{ cloneStateMachine: CLONE }, /Give both --clone-state-machine and --teardown-state-machine/],
    [
      { cloneStateMachine: 'dbaf-clone', teardownStateMachine: TEARDOWN },
      /--clone-state-machine "dbaf-clone" is not a state machine ARN/,
    ],
  ])('refuses state machine options %j, exiting 2', async (options, message) => {
    await expect(findDeployment(new Aws(options))).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(message),
    });
  });
});

describe('fromOutputs', () => {
  it('reads ProtectedClones "none" as no protected clone', () => {
    const none = outputs.map((output) =>
      output.OutputKey === 'ProtectedClones' ? { ...output, OutputValue: 'none' } : output,
    );
    expect(fromOutputs('Clones', none).protectedClones).toEqual([]);
  });

  it('names the outputs a stack lacks (not a db-artifact-factory stack, or an old one)', () => {
    expect(() => fromOutputs('Other', outputs.slice(0, 5))).toThrow(
      /Stack "Other" has no output SchedulerRoleArn, SecretPrefix, DefaultTtl, MaxTtl, CloneNamePrefix, ExpiryWarning, MaxLifetime, ProtectedClones:/,
    );
  });
});
