import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataPlane } from '../../../local/postgres/data-plane.js';
import { assertTraversable, resolveRunAs } from '../../../local/postgres/runtime.js';

describe('assertTraversable', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dp-runtime-'));
    await mkdir(join(work, 'clusters'), { mode: 0o711 });
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('names the directory the postgres OS user cannot enter', async () => {
    const who = await resolveRunAs();
    await chmod(work, 0o700);

    await expect(assertTraversable(join(work, 'clusters'), who)).rejects.toThrow(
      `The postgres OS user cannot enter ${work} (mode 700)`,
    );
  });

  it('accepts a path whose every ancestor it may search', async () => {
    await chmod(work, 0o711);

    await expect(assertTraversable(join(work, 'clusters'), await resolveRunAs())).resolves.toBeUndefined();
  });

  it('makes DataPlane.create fail early with that message', async () => {
    await chmod(work, 0o700);
    const plane = new DataPlane({ root: join(work, 'clusters') });

    await expect(
      plane.create('blocked', { username: 'master', password: 'x-Pa55word', databaseName: 'db' }, 1),
    ).rejects.toThrow('cannot enter');
    expect(plane.exists('blocked')).toBe(false);
  });
});
