import { readFileSync } from 'node:fs';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandInProcess } from '../../cli/launcher.js';
import { managedLeftovers } from './leftovers.js';
import { control, finished, sdkConfig, startStandIn } from './support.js';

const artifact = JSON.parse(readFileSync('examples/artifact.json', 'utf8'));

function named(cloneName: string) {
  return JSON.stringify({ ...artifact, target: { ...artifact.target, cloneName } });
}

describe('the workflow against injected AWS trouble', () => {
  let standIn: StandInProcess;
  let sfn: SFNClient;

  beforeAll(async () => {
    standIn = await startStandIn();
    sfn = new SFNClient(sdkConfig(standIn.ready.endpoint));
  }, 120_000);

  afterAll(async () => {
    await standIn?.stop();
  });

  const start = async (name: string) => {
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: standIn.ready.stateMachines.clone,
        name,
        input: named(name),
      }),
    );
    return executionArn;
  };

  it('rolls back when the instance ends up failed: the execution fails with a useful cause and nothing is left', async () => {
    await control(standIn.ready.endpoint, 'POST', 'faults', {
      service: 'rds',
      action: 'CreateDBInstance',
      outcome: 'failed',
    });
    const described = await finished(sfn, await start('dbaf-rollback-check'));
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('ResourceFailed');
    expect(described.cause).toMatch(/dbaf-rollback-check-1.*failed/);
    expect(await managedLeftovers(standIn.ready.endpoint, 'dbaf-rollback-check')).toEqual([]);
  }, 90_000);

  it('retries through throttling: five concurrent clones under a tight RDS rate limit all succeed', async () => {
    // AWS's bucket (300 burst, 12/s) is never emptied by five clones; this one (10 burst, one call per
    // 20 AWS seconds) is, at once, so the handlers' AwsTransient retries with backoff must carry them.
    await control(standIn.ready.endpoint, 'POST', 'rate-limit', { burst: 10, perSecond: 0.05 });
    const names = [1, 2, 3, 4, 5].map((i) => `dbaf-throttle-${i}`);
    const arns = await Promise.all(names.map(start));
    const results = await Promise.all(arns.map((arn) => finished(sfn, arn, 180_000)));
    expect(results.map((r) => `${r.status} ${r.cause ?? ''}`)).toEqual(names.map(() => 'SUCCEEDED '));
    const stats = (await control(standIn.ready.endpoint, 'GET', 'stats')) as { throttled: number };
    expect(stats.throttled).toBeGreaterThan(0);
  }, 200_000);
});
