import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STACK_NAME, STACK_OUTPUTS } from '../../../infra/lib/outputs.js';
import { DEFAULT_DEPLOYMENT, type Deployment } from '../../../local/deployment.js';
import { cloudFormationService } from '../../../local/services/cloudformation.js';
import { type StandIn, startStandIn } from '../../../local/standin.js';
import { awsCli, clientConfig, type Harness, hasCli, startHarness } from './support.js';

/** The outputs of a stack, by key. */
const outputsOf = (stack: Stack | undefined) =>
  Object.fromEntries((stack?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));

/** DescribeStacks for `name`, or for every stack without one. */
async function describeStacks(client: CloudFormationClient, name?: string) {
  return client.send(new DescribeStacksCommand(name === undefined ? {} : { StackName: name }));
}

/** The CloudFormation error `promise` rejects with (the test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<CloudFormationServiceException> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CloudFormationServiceException);
  return error as CloudFormationServiceException;
}

describe('CloudFormation in the stand-in', () => {
  let standIn: StandIn;
  let cfn: CloudFormationClient;
  let before: number;
  const env = { ...process.env };

  beforeAll(async () => {
    before = Date.now();
    standIn = await startStandIn({ port: 0 });
    cfn = new CloudFormationClient(clientConfig(standIn.endpoint));
  }, 60_000);
  afterAll(async () => {
    await standIn?.stop();
    // startStandIn points the handlers' environment at itself: leave the process as it was.
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    Object.assign(process.env, env);
  });

  it('describes the deployment as the stack DbArtifactFactory, with every output the CLI reads', async () => {
    const { Stacks } = await describeStacks(cfn, DEFAULT_STACK_NAME);
    expect(Stacks).toHaveLength(1);
    const [stack] = Stacks ?? [];
    expect(stack).toMatchObject({
      StackName: 'DbArtifactFactory',
      StackStatus: 'CREATE_COMPLETE',
      Description: expect.stringContaining('db-artifact-factory'),
    });
    expect(stack?.StackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:000000000000:stack\/DbArtifactFactory\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(stack?.CreationTime).toBeInstanceOf(Date);
    expect(stack?.CreationTime?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(stack?.CreationTime?.getTime()).toBeLessThanOrEqual(Date.now());

    const { deployment } = standIn;
    expect(outputsOf(stack)).toEqual({
      [STACK_OUTPUTS.cloneStateMachineArn]: standIn.stateMachines.clone,
      [STACK_OUTPUTS.teardownStateMachineArn]: standIn.stateMachines.teardown,
      [STACK_OUTPUTS.operationsStateMachineArn]: standIn.stateMachines.operations,
      [STACK_OUTPUTS.refreshStateMachineArn]: standIn.stateMachines.refresh,
      [STACK_OUTPUTS.scheduleGroupName]: deployment.scheduleGroupName,
      [STACK_OUTPUTS.schedulerRoleArn]: 'arn:aws:iam::000000000000:role/dbaf-scheduler',
      [STACK_OUTPUTS.cloneNamePrefix]: deployment.cloneNamePrefix,
      [STACK_OUTPUTS.secretPrefix]: deployment.secretPrefix,
      [STACK_OUTPUTS.defaultTtl]: deployment.defaultTtl,
      [STACK_OUTPUTS.maxTtl]: deployment.maxTtl,
      [STACK_OUTPUTS.expiryWarning]: '1h',
      [STACK_OUTPUTS.maxLifetime]: '30d',
      [STACK_OUTPUTS.protectedClones]: 'none',
    });
    for (const output of stack?.Outputs ?? []) expect(output.Description, output.OutputKey).toMatch(/\w/);
  });

  it('names state machines that exist in the stand-in', async () => {
    const { Stacks } = await describeStacks(cfn);
    const outputs = outputsOf(Stacks?.[0]);
    const health = (await (await fetch(`${standIn.endpoint}/_dbaf/health`)).json()) as {
      stateMachines: { clone: string; teardown: string };
    };
    expect(outputs[STACK_OUTPUTS.cloneStateMachineArn]).toBe(health.stateMachines.clone);
    expect(outputs[STACK_OUTPUTS.teardownStateMachineArn]).toBe(health.stateMachines.teardown);
  });

  it('lists the one stack without a name, and finds it by its stack ID, the same each time', async () => {
    const listed = await describeStacks(cfn);
    expect(listed.Stacks?.map((stack) => stack.StackName)).toEqual(['DbArtifactFactory']);
    const stackId = listed.Stacks?.[0]?.StackId ?? '';
    const byId = await describeStacks(cfn, stackId);
    expect(byId.Stacks).toEqual(listed.Stacks);
    expect((await describeStacks(cfn, DEFAULT_STACK_NAME)).Stacks?.[0]?.StackId).toBe(stackId);
  });

  it.each([
    ['an unknown name', 'NoSuchStack'],
    ['a name in another case', 'dbartifactfactory'],
    ['another stack ID', 'arn:aws:cloudformation:us-east-1:000000000000:stack/DbArtifactFactory/0'],
  ])('answers %s as AWS does: 400 ValidationError, "Stack with id … does not exist"', async (_case, name) => {
    const error = await rejection(describeStacks(cfn, name));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(`Stack with id ${name} does not exist`);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$fault).toBe('client');
  });

  describe.skipIf(!hasCli)('the AWS CLI', () => {
    const cli = (...args: string[]) =>
      awsCli(standIn.endpoint, '--region', 'us-east-1', 'cloudformation', 'describe-stacks', ...args);

    it('describes the stack by name', async () => {
      const described = (await cli('--stack-name', 'DbArtifactFactory')) as { Stacks: Stack[] };
      expect(described.Stacks).toHaveLength(1);
      expect(outputsOf(described.Stacks[0])).toMatchObject({
        CloneStateMachineArn: standIn.stateMachines.clone,
        MaxTtl: '7d',
      });
    });

    it("prints AWS's message for an unknown stack", async () => {
      await expect(cli('--stack-name', 'NoSuchStack')).rejects.toMatchObject({
        stderr: expect.stringContaining(
          'An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id NoSuchStack does not exist',
        ),
      });
    });
  });
});

describe('CloudFormation for another deployment', () => {
  const deployment: Deployment = {
    ...DEFAULT_DEPLOYMENT,
    stackName: 'Clones-Staging',
    cloneNamePrefix: 'tmp-',
    maxTtl: '3d',
    expiryWarning: 'off',
    maxLifetime: '14d',
    protectedClones: ['tmp-demo', 'tmp-training'],
  };
  const createdAt = new Date('2026-01-02T03:04:05Z');
  let h: Harness;
  let cfn: CloudFormationClient;

  beforeAll(async () => {
    h = await startHarness(() => [cloudFormationService(deployment, createdAt)]);
    cfn = new CloudFormationClient(h.config);
  });
  afterAll(() => h.close());

  it('names the stack and carries the settings of the deployment', async () => {
    const [stack] = (await describeStacks(cfn, 'Clones-Staging')).Stacks ?? [];
    expect(stack?.StackId).toMatch(/:stack\/Clones-Staging\//);
    expect(stack?.CreationTime).toEqual(createdAt);
    expect(outputsOf(stack)).toMatchObject({
      CloneNamePrefix: 'tmp-',
      MaxTtl: '3d',
      DefaultTtl: '8h',
      ExpiryWarning: 'off',
      MaxLifetime: '14d',
      ProtectedClones: 'tmp-demo,tmp-training',
    });
  });

  it('does not answer to the default name', async () => {
    const error = await rejection(describeStacks(cfn, DEFAULT_STACK_NAME));
    expect(error.message).toBe('Stack with id DbArtifactFactory does not exist');
  });

  it('gives each stack name its own stack ID', async () => {
    const [stack] = (await describeStacks(cfn)).Stacks ?? [];
    const other = await startHarness(() => [cloudFormationService(DEFAULT_DEPLOYMENT, createdAt)]);
    try {
      const [defaultStack] = (await describeStacks(new CloudFormationClient(other.config))).Stacks ?? [];
      expect(stack?.StackId?.split('/')[2]).not.toBe(defaultStack?.StackId?.split('/')[2]);
    } finally {
      await other.close();
    }
  });
});
