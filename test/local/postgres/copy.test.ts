import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDirectoryFilter } from '../../../local/postgres/clone.js';
import { TreeCopier } from '../../../local/postgres/copy.js';

const POSTGRES_UID = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));

describe('TreeCopier with the base-backup filter', () => {
  let work: string;
  let source: string;
  let target: string;

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'dp-copy-'));
    [source, target] = [join(work, 'source'), join(work, 'target')];
    const files = [
      'PG_VERSION',
      'postmaster.pid',
      'postmaster.opts',
      'backup_label.old',
      'postgresql.auto.conf',
      'base/5/16384',
      'base/5/pg_internal.init',
      'base/pgsql_tmp/pgsql_tmp123.0',
      'global/pg_control',
      'pg_wal/000000010000000000000001',
      'pg_wal/archive_status/000000010000000000000001.done',
      'pg_replslot/old_slot/state',
      'pg_stat_tmp/global.stat',
      'pg_subtrans/0000',
      'pg_xact/0000',
    ];
    for (const file of files) {
      await mkdir(join(source, file, '..'), { recursive: true, mode: 0o700 });
      await writeFile(join(source, file), `${file}\n`, { mode: 0o600 });
    }
    await mkdir(join(source, 'pg_tblspc'));
    await symlink('/somewhere/else', join(source, 'pg_tblspc', '16500'));
    await chown(join(source, 'base', '5', '16384'), POSTGRES_UID, POSTGRES_UID);
  });

  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('copies what a base backup holds and leaves out what the PostgreSQL docs exclude', async () => {
    const copier = new TreeCopier();

    await copier.copy(source, target, dataDirectoryFilter);

    const kept = ['PG_VERSION', 'postgresql.auto.conf', 'base/5/16384', 'global/pg_control', 'pg_xact/0000'];
    const left = [
      'postmaster.pid',
      'postmaster.opts',
      'backup_label.old',
      'base/5/pg_internal.init',
      'base/pgsql_tmp',
      'pg_wal/000000010000000000000001',
      'pg_wal/archive_status',
      'pg_replslot/old_slot',
      'pg_stat_tmp/global.stat',
      'pg_subtrans/0000',
    ];
    expect(kept.filter((file) => !existsSync(join(target, file)))).toEqual([]);
    expect(left.filter((file) => existsSync(join(target, file)))).toEqual([]);
    // The emptied directories themselves stay: PostgreSQL expects them.
    for (const dir of ['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_subtrans']) {
      expect(statSync(join(target, dir)).isDirectory(), dir).toBe(true);
    }
    expect(copier.bytes).toBe(kept.reduce((sum, file) => sum + file.length + 1, 0));
    expect(copier.method).toMatch(/^(reflink|copy)$/);
  });

  it('keeps owners, modes and tablespace links', async () => {
    await new TreeCopier().copy(source, target, dataDirectoryFilter);

    expect(statSync(join(target, 'base', '5', '16384')).uid).toBe(POSTGRES_UID);
    expect(statSync(join(target, 'base', '5', '16384')).mode & 0o777).toBe(0o600);
    expect(statSync(join(target, 'base')).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(target, 'pg_tblspc', '16500')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(target, 'pg_tblspc', '16500'))).toBe('/somewhere/else');
  });
});
