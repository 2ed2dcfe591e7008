import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  type ListSecretsCommandInput,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsService } from '../../../local/services/secrets.js';
import { type Harness, hasCli, startHarness } from './support.js';

let h: Harness;
let sm: SecretsManagerClient;

beforeAll(async () => {
  // 30 AWS days pass in 2.6 real seconds at this scale: the recovery window can end in a test.
  h = await startHarness((context) => [secretsService(context)], { scale: 0.000001 });
  sm = new SecretsManagerClient(h.config);
});
afterAll(() => h.close());

const tags = [{ Key: 'dbaf:clone-id', Value: 'c1' }];

async function create(name: string, value = '{"password":"p1"}') {
  return sm.send(
    new CreateSecretCommand({ Name: name, SecretString: value, Description: `secret ${name}`, Tags: tags }),
  );
}

describe('Secrets Manager', () => {
  it('creates a secret with an ARN of the name and six random characters, and returns its value', async () => {
    const created = await create('dbaf/clone/a');
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:dbaf\/clone\/a-[A-Za-z0-9]{6}$/,
    );
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    const value = await sm.send(new GetSecretValueCommand({ SecretId: 'dbaf/clone/a' }));
    expect(value).toMatchObject({
      Name: 'dbaf/clone/a',
      ARN: created.ARN,
      SecretString: '{"password":"p1"}',
      VersionId: created.VersionId,
      VersionStages: ['AWSCURRENT'],
    });
    expect(value.CreatedDate).toBeInstanceOf(Date);
  });

  it('finds a secret by name, full ARN or partial ARN', async () => {
    const { ARN = '' } = await create('dbaf/clone/ids');
    for (const id of ['dbaf/clone/ids', ARN, ARN.slice(0, -7)]) {
      await expect(sm.send(new DescribeSecretCommand({ SecretId: id }))).resolves.toMatchObject({ ARN });
    }
  });

  it('refuses a second secret of the same name with ResourceExistsException', async () => {
    await create('dbaf/clone/dup');
    const error = await create('dbaf/clone/dup').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceExistsException);
    expect((error as Error).message).toBe(
      'The operation failed because the secret dbaf/clone/dup already exists.',
    );
  });

  it('answers ResourceNotFoundException for a secret that does not exist', async () => {
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toThrow(
      "Secrets Manager can't find the specified secret.",
    );
  });

  it('puts a new AWSCURRENT version and keeps the old one as AWSPREVIOUS', async () => {
    const created = await create('dbaf/clone/put');
    const put = await sm.send(new PutSecretValueCommand({ SecretId: 'dbaf/clone/put', SecretString: 'p2' }));
    expect(put.VersionId).not.toBe(created.VersionId);
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const current = await sm.send(new GetSecretValueCommand({ SecretId: 'dbaf/clone/put' }));
    expect(current.SecretString).toBe('p2');
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: 'dbaf/clone/put', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous).toMatchObject({ SecretString: '{"password":"p1"}', VersionId: created.VersionId });
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'dbaf/clone/put' }));
    expect(described.VersionIdsToStages).toEqual({
      [put.VersionId ?? '']: ['AWSCURRENT'],
      [created.VersionId ?? '']: ['AWSPREVIOUS'],
    });
  });

  it('describes tags and description, never the value', async () => {
    await create('dbaf/clone/desc');
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'dbaf/clone/desc' }));
    expect(described).toMatchObject({
      Name: 'dbaf/clone/desc',
      Description: 'secret dbaf/clone/desc',
      Tags: tags,
    });
    expect(described.DeletedDate).toBeUndefined();
    expect(JSON.stringify(described)).not.toContain('p1');
  });

  it('schedules a deletion: the value is unreadable, a same-named create is InvalidRequestException, restore undoes it', async () => {
    await create('dbaf/clone/del');
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'dbaf/clone/del' }));
    const thirtyDays = 30 * 24 * 3600 * 1000;
    expect(Math.abs((deleted.DeletionDate?.getTime() ?? 0) - Date.now() - thirtyDays)).toBeLessThan(5000);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'dbaf/clone/del' }));
    expect(described.DeletedDate).toBeInstanceOf(Date);
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'dbaf/clone/del' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    const again = await create('dbaf/clone/del').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(InvalidRequestException);
    expect((again as Error).message).toBe(
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
    await expect(sm.send(new DeleteSecretCommand({ SecretId: 'dbaf/clone/del' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await sm.send(new RestoreSecretCommand({ SecretId: 'dbaf/clone/del' }));
    const restored = await sm.send(new GetSecretValueCommand({ SecretId: 'dbaf/clone/del' }));
    expect(restored.SecretString).toBe('{"password":"p1"}');
  });

  it('deletes at once with ForceDeleteWithoutRecovery, even a secret already scheduled for deletion', async () => {
    await create('dbaf/clone/force');
    await sm.send(new DeleteSecretCommand({ SecretId: 'dbaf/clone/force' }));
    await sm.send(
      new DeleteSecretCommand({ SecretId: 'dbaf/clone/force', ForceDeleteWithoutRecovery: true }),
    );
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'dbaf/clone/force' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(create('dbaf/clone/force')).resolves.toMatchObject({ Name: 'dbaf/clone/force' });
  });

  it('purges a scheduled secret when its recovery window ends in AWS time', async () => {
    await create('dbaf/clone/window');
    await sm.send(new DeleteSecretCommand({ SecretId: 'dbaf/clone/window', RecoveryWindowInDays: 7 }));
    // Seven AWS days are 0.6 real seconds at this scale.
    await new Promise((resolve) => setTimeout(resolve, 700));
    await expect(
      sm.send(new DescribeSecretCommand({ SecretId: 'dbaf/clone/window' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it.each([
    [{ RecoveryWindowInDays: 3 }, InvalidParameterException],
    [{ RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }, InvalidParameterException],
    [{}, ResourceNotFoundException],
  ])('refuses DeleteSecret of a missing secret with %j as %O', async (options, kind) => {
    await expect(
      sm.send(new DeleteSecretCommand({ SecretId: 'dbaf/missing', ...options })),
    ).rejects.toBeInstanceOf(kind);
  });

  it('lists secrets with name and tag filters, paging, and without scheduled deletions', async () => {
    await sm.send(
      new CreateSecretCommand({ Name: 'list/one', SecretString: 'x', Tags: [{ Key: 'team', Value: 'a' }] }),
    );
    await sm.send(
      new CreateSecretCommand({ Name: 'list/two', SecretString: 'x', Tags: [{ Key: 'team', Value: 'b' }] }),
    );
    await sm.send(new CreateSecretCommand({ Name: 'list/three', SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'list/three' }));
    const names = async (input: ListSecretsCommandInput) =>
      ((await sm.send(new ListSecretsCommand(input))).SecretList ?? []).map((s) => s.Name);
    expect(await names({ Filters: [{ Key: 'name', Values: ['list/'] }] })).toEqual(['list/one', 'list/two']);
    expect(
      await names({ Filters: [{ Key: 'name', Values: ['list/'] }], IncludePlannedDeletion: true }),
    ).toHaveLength(3);
    expect(await names({ Filters: [{ Key: 'tag-key', Values: ['team'] }] })).toEqual([
      'list/one',
      'list/two',
    ]);
    expect(await names({ Filters: [{ Key: 'tag-value', Values: ['b'] }] })).toEqual(['list/two']);
    expect(await names({ Filters: [{ Key: 'name', Values: ['list/', '!list/one'] }] })).toEqual(['list/two']);
    const first = await sm.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }], MaxResults: 1 }),
    );
    expect(first.SecretList).toHaveLength(1);
    const second = await sm.send(
      new ListSecretsCommand({
        Filters: [{ Key: 'name', Values: ['list/'] }],
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );
    expect(second.SecretList?.[0]?.Name).toBe('list/two');
    expect(second.NextToken).toBeUndefined();
  });

  it('tags, untags and updates a secret', async () => {
    await create('dbaf/clone/tags');
    await sm.send(
      new TagResourceCommand({ SecretId: 'dbaf/clone/tags', Tags: [{ Key: 'owner', Value: 'me' }] }),
    );
    await sm.send(new UntagResourceCommand({ SecretId: 'dbaf/clone/tags', TagKeys: ['dbaf:clone-id'] }));
    await sm.send(
      new UpdateSecretCommand({ SecretId: 'dbaf/clone/tags', Description: 'new', SecretString: 'v2' }),
    );
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'dbaf/clone/tags' }));
    expect(described).toMatchObject({ Tags: [{ Key: 'owner', Value: 'me' }], Description: 'new' });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'dbaf/clone/tags' }))).SecretString).toBe(
      'v2',
    );
  });

  it('stores binary values', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250]);
    await sm.send(new CreateSecretCommand({ Name: 'dbaf/binary', SecretBinary: bytes }));
    const value = await sm.send(new GetSecretValueCommand({ SecretId: 'dbaf/binary' }));
    expect([...(value.SecretBinary ?? [])]).toEqual([0, 1, 2, 250]);
    expect(value.SecretString).toBeUndefined();
  });

  it('never logs a secret value', () => {
    expect(h.context.lines.join('\n')).not.toMatch(/p1|p2|v2/);
  });

  it('passes an injected fault to the SDK as a 500 error', async () => {
    h.context.faults.add({ service: 'secretsmanager', action: 'CreateSecret', error: 'InternalFailure' });
    const error = await create('dbaf/fault').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsManagerServiceException);
    expect(error).toMatchObject({
      name: 'InternalFailure',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    // The fault applied once: the next call succeeds.
    await expect(create('dbaf/fault')).resolves.toMatchObject({ Name: 'dbaf/fault' });
  });
});

describe.skipIf(!hasCli)('the AWS CLI', () => {
  it('creates, reads and force-deletes a secret', async () => {
    await h.cli('secretsmanager', 'create-secret', '--name', 'cli/secret', '--secret-string', 'cli-value');
    const value = (await h.cli('secretsmanager', 'get-secret-value', '--secret-id', 'cli/secret')) as {
      SecretString: string;
    };
    expect(value.SecretString).toBe('cli-value');
    await h.cli(
      'secretsmanager',
      'delete-secret',
      '--secret-id',
      'cli/secret',
      '--force-delete-without-recovery',
    );
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'cli/secret' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
