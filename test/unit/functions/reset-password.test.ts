import {
  DBClusterNotFoundFault,
  InvalidDBClusterStateFault,
  ModifyDBClusterCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { handler, type Input, resetPassword } from '../../../functions/reset-password/handler.js';
import { generatePassword, PASSWORD_CLASSES } from '../../../functions/reset-password/password.js';
import { logger } from '../../../functions/shared/handler.js';
import type { CloneCluster } from '../../../functions/shared/plan.js';
import { lambdaContext } from '../../support/context.js';
import { resetAfterEach } from '../../support/mocks.js';
import { samplePlan } from '../../support/plan.js';

const rdsMock = mockClient(RDSClient);
const secretsMock = mockClient(SecretsManagerClient);

const cloneId = 'dbaf-orders-pr-42';
const secretName = `dbaf/${cloneId}`;
const secretArn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretName}-AbCdEf`;

const plan = samplePlan({
  cloneId,
  source: {
    clusterIdentifier: 'orders-prod',
    clusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders-prod',
  },
  owner: 'alice@example.com',
  expiresAt: '2026-11-21T14:00:00Z',
  masterUsername: 'postgres',
  databaseName: 'orders',
  port: 5432,
  secretName,
});
const tags = [...plan.tags];

const cluster: CloneCluster = {
  clusterIdentifier: cloneId,
  clusterArn: `arn:aws:rds:us-east-1:123456789012:cluster:${cloneId}`,
  endpoint: `${cloneId}.cluster-abc123.us-east-1.rds.amazonaws.com`,
  readerEndpoint: `${cloneId}.cluster-ro-abc123.us-east-1.rds.amazonaws.com`,
  port: 5432,
  dbSubnetGroupName: 'orders-prod-subnets',
  securityGroupId: 'sg-0123456789abcdef0',
};

const input: Input = { plan, cluster };

const meta = { $metadata: {} };

/** The passwords the handler wrote to the secret, creates then puts. */
function writtenPasswords(): string[] {
  const creates = secretsMock
    .commandCalls(CreateSecretCommand)
    .map((call) => call.args[0].input.SecretString);
  const puts = secretsMock.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input.SecretString);
  return [...creates, ...puts].map((text) => JSON.parse(text ?? '{}').password as string);
}

function modifiedPasswords(): string[] {
  return rdsMock
    .commandCalls(ModifyDBClusterCommand)
    .map((call) => call.args[0].input.MasterUserPassword as string);
}

resetAfterEach(rdsMock, secretsMock);

describe('generatePassword', () => {
  const allowed = Object.values(PASSWORD_CLASSES).join('');

  it('makes 32 characters with at least one of each class and none RDS refuses', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      expect(password).toHaveLength(32);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[!#$%^&*()\-_=+[\]{}<>?]/);
      expect(password).not.toMatch(/[/@"'\\ ]/);
      expect([...password].every((character) => allowed.includes(character))).toBe(true);
    }
  });

  it('never makes the same password twice', () => {
    const passwords = new Set(Array.from({ length: 100 }, () => generatePassword()));
    expect(passwords.size).toBe(100);
  });
});

describe('reset-password', () => {
  it('creates the secret first, then sets the same password on the cluster', async () => {
    secretsMock.on(CreateSecretCommand).resolves({ ARN: secretArn, Name: secretName });
    rdsMock.on(ModifyDBClusterCommand).resolves({});

    const output = await resetPassword(input);

    expect(output).toEqual({ secretArn, secretName });
    const create = secretsMock.commandCalls(CreateSecretCommand)[0]?.args[0].input;
    expect(create).toMatchObject({ Name: secretName, Tags: tags });
    expect(create?.Description).toContain(cloneId);
    const secret = JSON.parse(create?.SecretString ?? '{}');
    expect(secret).toEqual({
      engine: 'postgres',
      host: cluster.endpoint,
      port: 5432,
      username: 'postgres',
      password: expect.any(String),
      dbname: 'orders',
      dbClusterIdentifier: cloneId,
    });
    expect(rdsMock).toHaveReceivedCommandWith(ModifyDBClusterCommand, {
      DBClusterIdentifier: cloneId,
      MasterUserPassword: secret.password,
      ApplyImmediately: true,
    });
    const [secretWrite] = secretsMock.commandCalls(CreateSecretCommand);
    const [modify] = rdsMock.commandCalls(ModifyDBClusterCommand);
    expect(secretWrite && modify && secretWrite.calledBefore(modify)).toBe(true);
    expect(secretsMock).not.toHaveReceivedCommand(PutSecretValueCommand);
  });

  it('never returns the password', async () => {
    secretsMock.on(CreateSecretCommand).resolves({ ARN: secretArn, Name: secretName });
    rdsMock.on(ModifyDBClusterCommand).resolves({});

    const output = await resetPassword(input);

    const [password] = writtenPasswords();
    expect(password).toBeDefined();
    expect(JSON.stringify(output)).not.toContain(password);
  });

  it('on a repeat, overwrites its own secret with the new password and creates nothing', async () => {
    secretsMock
      .on(CreateSecretCommand)
      .rejects(new ResourceExistsException({ message: 'exists', ...meta }))
      .on(DescribeSecretCommand)
      .resolves({ ARN: secretArn, Name: secretName, Tags: tags })
      .on(PutSecretValueCommand)
      .resolves({ ARN: secretArn });
    rdsMock.on(ModifyDBClusterCommand).resolves({});

    await expect(resetPassword(input)).resolves.toEqual({ secretArn, secretName });
    await expect(resetPassword(input)).resolves.toEqual({ secretArn, secretName });

    expect(secretsMock).toHaveReceivedCommandWith(DescribeSecretCommand, { SecretId: secretName });
    expect(secretsMock).toHaveReceivedCommandWith(PutSecretValueCommand, { SecretId: secretName });
    const written = secretsMock
      .commandCalls(PutSecretValueCommand)
      .map((call) => JSON.parse(call.args[0].input.SecretString ?? '{}').password);
    expect(written).toEqual(modifiedPasswords());
    expect(written[0]).not.toBe(written[1]);
  });

  it.each([
    ['has no project tags', []],
    [
      'belongs to another clone',
      tags.map((tag) => (tag.Key === 'dbaf:clone-id' ? { ...tag, Value: 'dbaf-other' } : tag)),
    ],
  ])('refuses an existing secret that %s, and changes nothing', async (_, existingTags) => {
    secretsMock
      .on(CreateSecretCommand)
      .rejects(new ResourceExistsException({ message: 'exists', ...meta }))
      .on(DescribeSecretCommand)
      .resolves({ ARN: secretArn, Name: secretName, Tags: existingTags });

    const error = await resetPassword(input).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'CloneConflict' });
    expect((error as Error).message).toContain(`Secret "${secretName}" already exists`);
    expect(secretsMock).not.toHaveReceivedCommand(PutSecretValueCommand);
    expect(rdsMock).not.toHaveReceivedCommand(ModifyDBClusterCommand);
  });

  it.each([
    ['CreateSecret says it exists', new ResourceExistsException({ message: 'exists', ...meta })],
    [
      'CreateSecret refuses a name pending deletion',
      new InvalidRequestException({ message: 'scheduled for deletion', ...meta }),
    ],
  ])('refuses its own secret scheduled for deletion when %s', async (_, createError) => {
    secretsMock
      .on(CreateSecretCommand)
      .rejects(createError)
      .on(DescribeSecretCommand)
      .resolves({
        ARN: secretArn,
        Name: secretName,
        Tags: tags,
        DeletedDate: new Date('2026-11-20T10:00:00Z'),
      });

    const error = await resetPassword(input).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'CloneConflict' });
    expect((error as Error).message).toMatch(/scheduled for deletion.*restore-secret.*force-delete/);
    expect(secretsMock).not.toHaveReceivedCommand(PutSecretValueCommand);
    expect(rdsMock).not.toHaveReceivedCommand(ModifyDBClusterCommand);
  });

  it('passes on an InvalidRequestException that is not about a deleted secret', async () => {
    const invalid = new InvalidRequestException({ message: 'bad request', ...meta });
    secretsMock
      .on(CreateSecretCommand)
      .rejects(invalid)
      .on(DescribeSecretCommand)
      .rejects(new ResourceNotFoundException({ message: 'none', ...meta }));

    await expect(resetPassword(input)).rejects.toBe(invalid);
    expect(rdsMock).not.toHaveReceivedCommand(ModifyDBClusterCommand);
  });

  it.each([
    ['InvalidDBClusterStateFault', 'NotReady', new InvalidDBClusterStateFault({ message: 'busy', ...meta })],
    ['DBClusterNotFoundFault', 'ResourceFailed', new DBClusterNotFoundFault({ message: 'gone', ...meta })],
  ])('turns %s from ModifyDBCluster into %s, after the secret is written', async (_, name, awsError) => {
    secretsMock.on(CreateSecretCommand).resolves({ ARN: secretArn, Name: secretName });
    rdsMock.on(ModifyDBClusterCommand).rejects(awsError);

    const error = await resetPassword(input).catch((e: unknown) => e);

    expect(error).toMatchObject({ name });
    expect((error as Error).message).toContain(cloneId);
    expect((error as Error).cause).toBe(awsError);
    expect(secretsMock).toHaveReceivedCommandTimes(CreateSecretCommand, 1);
  });

  describe('never leaks the password', () => {
    let output: string[];
    let spies: MockInstance[];

    beforeEach(() => {
      output = [];
      const capture = (chunk: unknown) => {
        output.push(String(chunk));
        return true;
      };
      const record = (...args: unknown[]) => {
        output.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      };
      // The shared logger's level is per invocation in Powertools, so spy on the logger itself
      // (every line a handler logs, whatever the level) as well as on the process's output.
      spies = [
        vi.spyOn(process.stdout, 'write').mockImplementation(capture),
        vi.spyOn(process.stderr, 'write').mockImplementation(capture),
        ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
          vi.spyOn(console, method).mockImplementation(record),
        ),
        ...(['debug', 'info', 'warn', 'error', 'critical'] as const).map((method) =>
          vi.spyOn(logger, method).mockImplementation(record),
        ),
      ];
    });

    afterEach(() => {
      for (const spy of spies) spy.mockRestore();
    });

    it('in the log lines of a successful run', async () => {
      secretsMock.on(CreateSecretCommand).resolves({ ARN: secretArn, Name: secretName });
      rdsMock.on(ModifyDBClusterCommand).resolves({});

      const result = await handler(input, lambdaContext());

      const [password] = writtenPasswords();
      expect(password).toBeDefined();
      expect(output.join('\n')).toContain('clone secret written');
      expect(output.join('\n')).not.toContain(password);
      expect(JSON.stringify(result)).not.toContain(password);
    });

    it('in the log lines and the error of a failed run', async () => {
      secretsMock.on(CreateSecretCommand).resolves({ ARN: secretArn, Name: secretName });
      rdsMock
        .on(ModifyDBClusterCommand)
        .rejects(new InvalidDBClusterStateFault({ message: 'busy', ...meta }));

      const error = await handler(input, lambdaContext()).catch((e: unknown) => e);

      const [password] = writtenPasswords();
      expect(password).toBeDefined();
      expect(error).toMatchObject({ name: 'NotReady' });
      expect(output.join('\n')).toContain('step failed');
      expect(output.join('\n')).not.toContain(password);
      expect(JSON.stringify(error)).not.toContain(password);
      expect((error as Error).message).not.toContain(password);
      expect(String((error as Error).stack)).not.toContain(password);
    });
  });
});
