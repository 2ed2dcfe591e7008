import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, processesMentioning, tempRoot } from './support.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/hold-cluster.ts', import.meta.url));

describe('a server started by the data plane', () => {
  let root: string;
  let removeRoot: () => Promise<void>;

  beforeAll(async () => {
    ({ root, remove: removeRoot } = await tempRoot());
  });

  afterAll(async () => {
    await removeRoot();
  });

  it('does not outlive its Node process, even one killed with SIGKILL', async () => {
    const dataDir = join(root, 'held', 'data');
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, root, String(await freePort())], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [ready] = (await once(child.stdout, 'data')) as [Buffer];
      expect(ready.toString()).toBe('ready\n');
      expect(await processesMentioning(dataDir)).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }

    // The postmaster gets SIGINT from the kernel (parent-death signal) and shuts down quickly.
    for (let waited = 0; waited < 5_000 && (await processesMentioning(dataDir)).length > 0; waited += 50) {
      await sleep(50);
    }
    expect(await processesMentioning(dataDir)).toEqual([]);
  });
});
