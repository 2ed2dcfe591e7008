import * as ec2 from '@aws-sdk/client-ec2';
import * as rds from '@aws-sdk/client-rds';
import * as scheduler from '@aws-sdk/client-scheduler';
import * as secrets from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { generatePassword } from '../../../functions/reset-password/password.js';
import { MAX_CLONE_ID_LENGTH } from '../../../functions/shared/artifact.js';
import { EC2_ERRORS } from '../../../functions/shared/aws/ec2.js';
import { RDS_ERRORS } from '../../../functions/shared/aws/rds-errors.js';
import {
  identifierRefusal,
  isRdsIdentifier,
  MASTER_PASSWORD,
  masterPasswordRefusal,
} from '../../../functions/shared/aws/rds-identifiers.js';
import {
  clusterEndpoints,
  clusterIdentifierTaken,
  pointInTimeRestoreRefusal,
  subnetGroupRefusal,
} from '../../../functions/shared/aws/rds-requests.js';
import {
  CLUSTER_LIFECYCLES,
  INSTANCE_LIFECYCLES,
  isTerminalClusterStatus,
  isTerminalInstanceStatus,
  statusAfter,
} from '../../../functions/shared/aws/rds-statuses.js';
import type { AwsRefusal } from '../../../functions/shared/aws/refusal.js';
import { SCHEDULER_ERRORS, scheduleNameRefusal } from '../../../functions/shared/aws/scheduler.js';
import { SECRETS_ERRORS, secretNameRefusal } from '../../../functions/shared/aws/secrets-manager.js';
import { withoutTags, withTags } from '../../../functions/shared/aws/tags.js';
import {
  generationInstanceIds,
  nextClusterId,
  refreshScheduleName,
  retiredClusterId,
  ttlScheduleName,
  warningScheduleName,
} from '../../../functions/shared/names.js';

describe('what AWS allows (functions/shared/aws/)', () => {
  it.each([
    ['a', true],
    ['dbaf-legacy-prod-alice', true],
    ['Dbaf-Alice', true],
    [`a${'b'.repeat(62)}`, true],
    [`a${'b'.repeat(63)}`, false],
    ['', false],
    ['1a', false],
    ['-a', false],
    ['a-', false],
    ['a--b', false],
    ['a_b', false],
    ['a.b', false],
  ])('RDS identifier %j: %s', (id, valid) => {
    expect(isRdsIdentifier(id)).toBe(valid);
    expect(identifierRefusal(id, 'DBClusterIdentifier')?.name).toBe(
      valid ? undefined : 'InvalidParameterValue',
    );
  });

  it.each([
    ['12345678', true],
    ['1234567', false],
    ['x'.repeat(MASTER_PASSWORD.maxLength), true],
    ['x'.repeat(MASTER_PASSWORD.maxLength + 1), false],
    ["!#$%^&*()-_=+[]{}<>?'\\`~", true],
    ['with space', false],
    ['with/slash', false],
    ['with@at', false],
    ['with"quote', false],
    ['with\ttab', false],
    ['wïth-accent', false],
  ])('master password %j: %s', (password, valid) => {
    expect(masterPasswordRefusal(password) === undefined).toBe(valid);
  });

  it('takes every password the reset-password step generates', () => {
    for (let i = 0; i < 200; i += 1) expect(masterPasswordRefusal(generatePassword())).toBeUndefined();
  });

  it('takes every name the project gives a clone’s resources, for the longest clone id', () => {
    const cloneId = `d${'x'.repeat(MAX_CLONE_ID_LENGTH - 1)}`;
    for (const id of [cloneId, nextClusterId(cloneId), retiredClusterId(cloneId)])
      expect(identifierRefusal(id, 'DBClusterIdentifier')).toBeUndefined();
    for (const id of generationInstanceIds(cloneId, 'z9z9', 15))
      expect(identifierRefusal(id, 'DBInstanceIdentifier')).toBeUndefined();
    for (const name of [ttlScheduleName, warningScheduleName, refreshScheduleName].map((f) => f(cloneId)))
      expect(scheduleNameRefusal(name)).toBeUndefined();
    expect(secretNameRefusal(`dbaf/${cloneId}`)).toBeUndefined();
  });

  it.each([
    ['a/b_c+d=e.f@g-h', true],
    ['x'.repeat(512), true],
    ['x'.repeat(513), false],
    ['', false],
    ['with space', false],
    ['with!bang', false],
  ])('secret name %j: %s', (name, valid) => {
    expect(secretNameRefusal(name) === undefined).toBe(valid);
  });

  it.each([
    ['dbaf-clone.warning', true],
    ['under_score', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['with/slash', false],
  ])('schedule name %j: %s', (name, valid) => {
    expect(scheduleNameRefusal(name) === undefined).toBe(valid);
  });

  it.each([
    ['failed', true, true],
    ['cloning-failed', true, false],
    ['incompatible-restore', true, true],
    ['incompatible-parameters', true, true],
    ['inaccessible-encryption-credentials', true, true],
    ['storage-full', false, true],
    ['available', false, false],
    ['creating', false, false],
    ['renaming', false, false],
    ['resetting-master-credentials', false, false],
    ['backing-up', false, false],
  ])('status %s is terminal for a cluster: %s, for an instance: %s', (status, cluster, instance) => {
    expect(isTerminalClusterStatus(status)).toBe(cluster);
    expect(isTerminalInstanceStatus(status)).toBe(instance);
  });

  it('walks the lifecycles in order, and ends after the last status', () => {
    expect(statusAfter(CLUSTER_LIFECYCLES.restore, 'creating')).toBe('available');
    expect(statusAfter(INSTANCE_LIFECYCLES.create, 'creating')).toBe('backing-up');
    expect(statusAfter(INSTANCE_LIFECYCLES.create, 'backing-up')).toBe('available');
    expect(statusAfter(CLUSTER_LIFECYCLES.delete, 'deleting')).toBeUndefined();
    expect(statusAfter(CLUSTER_LIFECYCLES.rename, 'modifying')).toBeUndefined();
    // No lifecycle the project waits through ends in a terminal status.
    for (const lifecycle of [...Object.values(CLUSTER_LIFECYCLES), ...Object.values(INSTANCE_LIFECYCLES)])
      expect(lifecycle.some((status) => isTerminalClusterStatus(status))).toBe(false);
  });

  it.each([
    [{ RestoreType: 'copy-on-write', UseLatestRestorableTime: true }, undefined],
    [{ RestoreType: 'full-copy', RestoreToTime: new Date() }, undefined],
    [{ RestoreToTime: new Date() }, undefined],
    [{ RestoreType: 'copy-on-write', RestoreToTime: new Date() }, 'InvalidParameterCombination'],
    [{ UseLatestRestorableTime: true, RestoreToTime: new Date() }, 'InvalidParameterCombination'],
    [{ RestoreType: 'copy-on-write' }, 'InvalidParameterCombination'],
  ])('point-in-time restore %j: refused with %s', (input, refused) => {
    expect(pointInTimeRestoreRefusal(input)?.name).toBe(refused);
  });

  it('counts a name a rename is moving to as taken', () => {
    const clusters = [{ id: 'a' }, { id: 'b', renamingTo: 'c' }];
    expect(['a', 'b', 'c', 'd'].map((id) => clusterIdentifierTaken(id, clusters))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('names the endpoints after the identifier', () => {
    expect(clusterEndpoints('dbaf-x', 'eu-west-1', 'c7tj4example')).toEqual({
      Endpoint: 'dbaf-x.cluster-c7tj4example.eu-west-1.rds.amazonaws.com',
      ReaderEndpoint: 'dbaf-x.cluster-ro-c7tj4example.eu-west-1.rds.amazonaws.com',
    });
  });

  it('refuses subnet groups of unknown subnets, two VPCs or one zone', () => {
    const subnets: Record<string, { vpcId: string; availabilityZone: string }> = {
      a: { vpcId: 'v1', availabilityZone: 'z1' },
      b: { vpcId: 'v1', availabilityZone: 'z2' },
      c: { vpcId: 'v2', availabilityZone: 'z3' },
      d: { vpcId: 'v1', availabilityZone: 'z1' },
    };
    const refused = (ids: string[]) => subnetGroupRefusal(ids, (id) => subnets[id])?.name;
    expect(refused(['a', 'b'])).toBeUndefined();
    expect(refused(['a', 'x'])).toBe('InvalidSubnet');
    expect(refused(['a', 'c'])).toBe('InvalidParameterValue');
    expect(refused(['a', 'd'])).toBe('DBSubnetGroupDoesNotCoverEnoughAZs');
  });

  it('writes tags over key by key, the last value of a key given twice winning', () => {
    const tags = [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ];
    expect(
      withTags(tags, [
        { Key: 'b', Value: '3' },
        { Key: 'c', Value: '4' },
        { Key: 'c', Value: '5' },
      ]),
    ).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '3' },
      { Key: 'c', Value: '5' },
    ]);
    expect(withoutTags(tags, ['a'])).toEqual([{ Key: 'b', Value: '2' }]);
  });

  /** Every refusal of a table, with sample arguments. */
  const refusals = (table: Record<string, (...args: never[]) => AwsRefusal>) =>
    Object.entries(table).map(
      ([what, make]) => [what, (make as (...args: string[]) => AwsRefusal)('x', 'y')] as const,
    );

  it.each([
    ['RDS', RDS_ERRORS, rds, []],
    ['Secrets Manager', SECRETS_ERRORS, secrets, []],
    ['Scheduler', SCHEDULER_ERRORS, scheduler, []],
    ['EC2', EC2_ERRORS, ec2, ['InvalidGroup.NotFound', 'InvalidGroup.Duplicate', 'DependencyViolation']],
  ] as const)('names each %s refusal as the SDK raises it', (_service, table, sdk, codes: readonly string[]) => {
    for (const [what, refusal] of refusals(table)) {
      const modelled = (sdk as Record<string, unknown>)[refusal.name];
      const known = typeof modelled === 'function' || codes.includes(refusal.name);
      expect(known, `${what}: ${refusal.name}`).toBe(true);
      expect(refusal.message, what).not.toBe('');
    }
  });
});
