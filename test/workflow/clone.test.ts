import {
  InsufficientDBClusterCapacityFault,
  InsufficientDBInstanceCapacityFault,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { SchedulerServiceException } from '@aws-sdk/client-scheduler';
import { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SOURCE } from '../support/fake-aws/index.js';
import { causeMessage, loadDefinition, runStateMachine } from '../support/workflow.js';
import { artifact, useFakeAws } from './env.js';

const meta = { $metadata: {} };
const throttling = () =>
  new RDSServiceException({
    name: 'ThrottlingException',
    message: 'Rate exceeded',
    $fault: 'client',
    ...meta,
  });
const accessDenied =
  <T>(Base: new (options: never) => T) =>
  () =>
    new Base({
      name: 'AccessDeniedException',
      message: 'not authorized',
      $fault: 'client',
      ...meta,
    } as never) as Error;

/** States a failure-free clone never enters. */
const FAILURE_STATES = [
  'NotStarted',
  'RecordResourceFailed',
  'RecordStuck',
  'Rollback',
  'CloneFailed',
  'RecordRollbackFailed',
];

describe('cloning a cluster with the clone state machine', () => {
  const fake = useFakeAws();

  it('visits every state of the success path and outputs how to connect, without the password', async () => {
    const result = await runStateMachine('clone', artifact());

    expect(result.status).toBe('SUCCEEDED');
    const all = Object.keys(loadDefinition('clone').States);
    expect(new Set(result.visited)).toEqual(new Set(all.filter((name) => !FAILURE_STATES.includes(name))));
    expect(result.output).toMatchObject({
      cloneId: 'dbaf-legacy-prod-alice',
      endpoint: 'dbaf-legacy-prod-alice.cluster-abcdefgh.us-east-1.rds.amazonaws.com',
      readerEndpoint: 'dbaf-legacy-prod-alice.cluster-ro-abcdefgh.us-east-1.rds.amazonaws.com',
      port: 5432,
      username: 'legacy_admin',
      databaseName: 'legacy',
      secretArn: expect.stringMatching(/^arn:aws:secretsmanager:.*:secret:dbaf\/dbaf-legacy-prod-alice-/),
    });
  });

  it('leaves a tagged clone, a fresh password known only to its secret, and a TTL schedule', async () => {
    const result = await runStateMachine('clone', artifact());
    expect(result.status).toBe('SUCCEEDED');
    const { state } = fake.aws;

    const clone = state.clusters.get('dbaf-legacy-prod-alice');
    const secret = state.secrets.get('dbaf/dbaf-legacy-prod-alice');
    expect(clone?.status).toBe('available');
    expect(clone?.tags).toEqual(
      expect.arrayContaining([
        { Key: 'dbaf:managed-by', Value: 'db-artifact-factory' },
        { Key: 'dbaf:clone-id', Value: 'dbaf-legacy-prod-alice' },
        { Key: 'dbaf:owner', Value: 'alice@example.com' },
        expect.objectContaining({ Key: 'dbaf:expires-at' }),
      ]),
    );
    const stored = JSON.parse(secret?.secretString ?? '{}');
    expect(stored).toMatchObject({
      engine: 'postgres',
      username: 'legacy_admin',
      port: 5432,
      dbname: 'legacy',
    });
    expect(stored.password).toBe(clone?.password);
    expect(stored.password).not.toBe(SOURCE.password);
    expect(state.instances.get('dbaf-legacy-prod-alice-1')?.status).toBe('available');
    const schedule = state.schedules.get('dbaf/dbaf-legacy-prod-alice');
    expect(schedule?.expression).toMatch(/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/);
    expect(schedule?.actionAfterCompletion).toBe('DELETE');
    expect(JSON.parse(schedule?.target.Input ?? '{}')).toMatchObject({ cloneId: 'dbaf-legacy-prod-alice' });
    // An hour before the 8-hour TTL, a Clone Expiring event for the owner.
    const warning = state.schedules.get('dbaf/dbaf-legacy-prod-alice.warning');
    const expiresAt = Date.parse(`${schedule?.expression.slice(3, -1)}Z`);
    expect(warning?.expression).toBe(`at(${new Date(expiresAt - 3_600_000).toISOString().slice(0, 19)})`);
    expect(warning?.target.Arn).toBe('arn:aws:events:us-east-1:123456789012:event-bus/default');
    expect(JSON.parse(warning?.target.Input ?? '{}')).toMatchObject({
      cloneId: 'dbaf-legacy-prod-alice',
      owner: 'alice@example.com',
    });
  });

  it('never changes or deletes the source cluster', async () => {
    await runStateMachine('clone', artifact());
    const { state } = fake.aws;
    expect(state.clusters.get(SOURCE.id)).toMatchObject({ status: 'available', password: SOURCE.password });
    const mutating = fake.aws.rds
      .calls()
      .map((call) => ({
        name: call.args[0].constructor.name,
        input: call.args[0].input as Record<string, unknown>,
      }))
      .filter(({ name }) => !name.startsWith('Describe') && !name.startsWith('List'));
    for (const { name, input } of mutating) {
      expect([input.DBClusterIdentifier, input.DBInstanceIdentifier], name).not.toContain(SOURCE.id);
      expect(input.DBInstanceIdentifier, name).not.toBe(SOURCE.writer);
    }
  });

  it('never puts the password in any state input or output, event or execution output', async () => {
    const result = await runStateMachine('clone', artifact());
    expect(result.status).toBe('SUCCEEDED');
    const password = JSON.parse(
      fake.aws.state.secrets.get('dbaf/dbaf-legacy-prod-alice')?.secretString ?? '{}',
    ).password;
    expect(password).toMatch(/^.{20,}$/);
    const everything = JSON.stringify([result.events, result.output, fake.aws.state.events]);
    expect(everything).toContain('dbaf-legacy-prod-alice'); // the scan does see the states' data
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(SOURCE.password);
  });

  it('costs at most 30 RDS calls for a one-instance clone', async () => {
    const result = await runStateMachine('clone', artifact());
    expect(result.status).toBe('SUCCEEDED');
    expect(fake.aws.rdsCalls()).toBeLessThanOrEqual(30);
  });

  it('survives every step running twice (a Lambda retry after a lost response) without duplicates', async () => {
    const result = await runStateMachine('clone', artifact(), { invokeTwice: true });
    expect(result.status).toBe('SUCCEEDED');
    const secret = JSON.parse(
      fake.aws.state.secrets.get('dbaf/dbaf-legacy-prod-alice')?.secretString ?? '{}',
    );
    expect(secret.password).toBe(fake.aws.state.clusters.get('dbaf-legacy-prod-alice')?.password);
    expect(fake.aws.state.leftovers().sort()).toEqual(
      [
        'cluster dbaf-legacy-prod-alice',
        'instance dbaf-legacy-prod-alice-1',
        `security group ${[...fake.aws.state.securityGroups.values()].find((g) => g.name === 'dbaf-legacy-prod-alice')?.id}`,
        'secret dbaf/dbaf-legacy-prod-alice',
        'schedule dbaf/dbaf-legacy-prod-alice',
        'schedule dbaf/dbaf-legacy-prod-alice.warning',
      ].sort(),
    );
  });

  it('retries throttling with backoff, then succeeds', async () => {
    fake.aws.failNext('RestoreDBClusterToPointInTimeCommand', throttling, 2);
    fake.aws.failNext('DescribeDBInstancesCommand', throttling, 1);
    const result = await runStateMachine('clone', artifact());
    expect(result.status).toBe('SUCCEEDED');
    const retried = result.events.filter((e) => e.type === 'StateRetried').map((e) => e.state?.name);
    expect(retried).toContain('RestoreCloneCluster');
    expect(fake.aws.count('RestoreDBClusterToPointInTimeCommand')).toBe(3);
  });

  it('creates clusters with explicit subnets in their own subnet group, removed again at teardown', async () => {
    const result = await runStateMachine(
      'clone',
      artifact({ target: { subnets: ['subnet-0a1b2c3d', 'subnet-1b2c3d4e'] } }),
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(fake.aws.state.subnetGroups.get('dbaf-legacy-prod-alice')?.subnetIds).toEqual([
      'subnet-0a1b2c3d',
      'subnet-1b2c3d4e',
    ]);
    const teardown = await runStateMachine('teardown', { cloneId: 'dbaf-legacy-prod-alice' });
    expect(teardown.status).toBe('SUCCEEDED');
    expect(fake.aws.state.leftovers()).toEqual([]);
  });
});

describe('a clone that fails', () => {
  const fake = useFakeAws();

  it.each([
    [
      'the TTL schedule',
      'CreateScheduleCommand',
      accessDenied(SchedulerServiceException),
      'AccessDeniedException',
    ],
    [
      'the restore',
      'RestoreDBClusterToPointInTimeCommand',
      () => new InsufficientDBClusterCapacityFault({ message: 'no capacity', ...meta }),
      'ResourceFailed',
    ],
    [
      'the instance',
      'CreateDBInstanceCommand',
      () => new InsufficientDBInstanceCapacityFault({ message: 'no db.r6g.large capacity', ...meta }),
      'ResourceFailed',
    ],
    [
      'the secret',
      'CreateSecretCommand',
      accessDenied(SecretsManagerServiceException),
      'AccessDeniedException',
    ],
    [
      'the password change',
      'ModifyDBClusterCommand',
      accessDenied(RDSServiceException),
      'AccessDeniedException',
    ],
  ])('at %s rolls back everything it created and fails with the cause', async (_stage, command, error, name) => {
    fake.aws.failNext(command, error, 100);
    const result = await runStateMachine('clone', artifact());

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(name);
    expect(result.cause).toMatch(/\w{10,}/);
    expect(result.visited).toContain('Rollback');
    expect(result.children.map((child) => child.status)).toEqual(['SUCCEEDED']);
    expect(fake.aws.state.leftovers()).toEqual([]);
    expect(fake.aws.state.clusters.get(SOURCE.id)?.status).toBe('available');
  });

  it.each([
    ['cluster', 'clusterEndStatus', 'incompatible-restore'],
    ['instance', 'instanceEndStatus', 'incompatible-parameters'],
  ] as const)('when its %s ends in a terminal status fails fast and rolls back', async (_what, key, status) => {
    fake.aws.state.behaviour[key] = status;
    const result = await runStateMachine('clone', artifact());

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ResourceFailed');
    expect(result.cause).toContain(status);
    expect(result.visited.filter((s) => s.startsWith('Check')).length).toBeLessThan(10);
    expect(fake.aws.state.leftovers()).toEqual([]);
  });

  it('gives up at the loop bound when a resource is stuck, and rolls back', async () => {
    fake.aws.state.behaviour.stuck.add('password');
    const result = await runStateMachine('clone', artifact());

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('CloneTimedOut');
    expect(result.cause).toMatch(/after 30 status checks/);
    expect(result.visited.filter((s) => s === 'CheckPassword')).toHaveLength(30);
    expect(fake.aws.state.leftovers()).toEqual([]);
  });

  it('says so when even the rollback cannot finish, naming what may remain', async () => {
    fake.aws.state.behaviour.stuck.add('cluster');
    const result = await runStateMachine('clone', artifact());

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RollbackFailed');
    expect(result.cause).toContain('CloneTimedOut');
    expect(result.cause).toContain('dbaf:clone-id=dbaf-legacy-prod-alice');
  });

  it('is refused before anything is created when the source is not allowed', async () => {
    const result = await runStateMachine(
      'clone',
      artifact({ source: { clusterIdentifier: 'payroll-prod' } }),
    );

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('SourceNotCloneable');
    expect(result.cause).toContain('payroll-prod');
    expect(result.visited).toEqual(['InspectSource', 'NotStarted']);
    expect(fake.aws.calls).toEqual([]);
  });

  it.each([
    [
      'a misspelt field',
      { ...artifact(), target: { instance_class: 'db.r6g.large' } },
      'target.instance_class',
    ],
    [
      'a bad second subnet',
      artifact({ target: { subnets: ['subnet-0a1b2c3d', 'subnet-x'] } }),
      'target.subnets[1]',
    ],
    ['a TTL over the maximum', artifact({ lifecycle: { ttl: '30d' } }), 'lifecycle.ttl: "30d"'],
    [
      'a TTL shorter than a clone takes to make',
      artifact({ lifecycle: { ttl: '5m' } }),
      'lifecycle.ttl: "5m"',
    ],
    [
      'a CIDR open to the world',
      artifact({ target: { allowedCidrs: ['0.0.0.0/0'] } }),
      'target.allowedCidrs[0]',
    ],
    ['no version', { ...artifact(), version: undefined }, 'version'],
  ])('rejects an artifact with %s before any AWS call, naming the field', async (_what, input, field) => {
    const result = await runStateMachine('clone', input);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidArtifact');
    expect(causeMessage(result)).toContain(field);
    expect(result.visited).toEqual(['InspectSource', 'NotStarted']);
    expect(fake.aws.calls).toEqual([]);
  });

  it('never rolls back an older clone of the same name: the name conflict is refused up front', async () => {
    expect((await runStateMachine('clone', artifact())).status).toBe('SUCCEEDED');
    const before = fake.aws.state.leftovers().sort();

    const second = await runStateMachine('clone', artifact());
    expect(second.status).toBe('FAILED');
    expect(second.error).toBe('CloneConflict');
    expect(fake.aws.state.leftovers().sort()).toEqual(before);
    expect(fake.aws.state.clusters.get('dbaf-legacy-prod-alice')?.status).toBe('available');
  });
});
