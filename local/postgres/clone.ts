import { randomBytes } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'pg';
import { type CopyMethod, type Filter, Keep, keepOwnership, TreeCopier } from './copy.js';

/** What a clone cost. */
export interface CloneResult {
  /** Bytes copied: data files and WAL. */
  readonly bytes: number;
  /** Whether the copy shared blocks with the source (reflink) or duplicated them. */
  readonly method: CopyMethod;
  /** Wall time from `pg_backup_start` to the written `backup_label`. */
  readonly ms: number;
}

// Top-level files a base backup must not carry: the source's lock and options files, and
// leftovers of an earlier restore or recovery of the source itself.
const SKIPPED_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'backup_label.old',
  'tablespace_map',
  'tablespace_map.old',
  'recovery.signal',
  'standby.signal',
]);
// Top-level directories kept empty: pg_wal is copied after pg_backup_stop; the others are
// rebuilt at startup or (pg_replslot) would carry the source's slots (PostgreSQL docs,
// "Backing Up the Data Directory").
const EMPTIED_DIRECTORIES = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);

/** The data directory minus what the PostgreSQL docs say to omit from a base backup. */
export const dataDirectoryFilter: Filter = (path, name, isDirectory) => {
  // Anywhere in the tree: temporary files, and relation cache files that recovery rebuilds.
  if (name.startsWith('pgsql_tmp') || name === 'pg_internal.init') return Keep.none;
  if (path.includes('/')) return Keep.all;
  if (!isDirectory && SKIPPED_FILES.has(name)) return Keep.none;
  return isDirectory && EMPTIED_DIRECTORIES.has(name) ? Keep.directoryOnly : Keep.all;
};

const SEGMENT = /^[0-9A-F]{24}$/;

/**
 * Inside pg_wal: the segments from the backup's start through its end, and timeline history
 * files; not the archiver's or the WAL summarizer's bookkeeping, nor segments recycled for
 * later use. Segment names are fixed-width hex, so they compare as strings.
 */
function walFilter(first: string, last: string): Filter {
  return (path, name, isDirectory) => {
    if (isDirectory) return path.includes('/') ? Keep.all : Keep.directoryOnly;
    if (name.endsWith('.history')) return Keep.all;
    return SEGMENT.test(name) && name >= first && name <= last ? Keep.all : Keep.none;
  };
}

/**
 * Makes a consistent copy of a running cluster with PostgreSQL's low-level backup API, while it
 * keeps serving: `pg_backup_start`, copy the files, `pg_backup_stop`, copy the WAL written
 * meanwhile, write `backup_label` (and `tablespace_map`). Starting the copy then replays that
 * WAL and opens a database consistent as of the end of the backup (the pg_backup_stop call).
 *
 * `admin` must be a superuser session on the source; the backup belongs to it, so it stays
 * open throughout and the caller ends it afterwards. The target directory must not exist yet.
 */
export async function onlineClone(
  admin: Client,
  sourceDataDir: string,
  targetDataDir: string,
  label: string,
): Promise<CloneResult> {
  const started = performance.now();
  const copier = new TreeCopier();
  // A copied tablespace link would point the clone at the source's own files. Aurora offers no
  // tablespaces, so refusing them costs nothing.
  const tablespaces = await admin.query(
    `SELECT 1 FROM pg_tablespace WHERE spcname NOT IN ('pg_default', 'pg_global')`,
  );
  if (tablespaces.rowCount) throw new Error('Cannot clone a cluster that has tablespaces');
  // Without WAL archiving, a checkpoint during the copy could recycle WAL the copy needs. A
  // temporary slot reserved before the backup's checkpoint pins it, as pg_basebackup does; it
  // disappears with the session.
  const slot = `clone_${randomBytes(6).toString('hex')}`;
  await admin.query(
    'SELECT pg_create_physical_replication_slot($1, immediately_reserve => true, temporary => true)',
    [slot],
  );
  await admin.query('SELECT pg_backup_start($1, fast => true)', [label]);
  await copier.copy(sourceDataDir, targetDataDir, dataDirectoryFilter);
  const stop = await admin.query<{ labelfile: string; spcmapfile: string | null; last_segment: string }>(
    `SELECT labelfile, spcmapfile, pg_walfile_name(lsn) AS last_segment
       FROM pg_backup_stop(wait_for_archive => false)`,
  );
  const row = stop.rows[0];
  const first = /START WAL LOCATION: .*\(file ([0-9A-F]{24})\)/.exec(row?.labelfile ?? '')?.[1];
  if (!row || !first) throw new Error('pg_backup_stop returned no usable backup label');
  // pg_backup_stop has written the backup-end record (in last_segment) and switched segments:
  // the WAL recovery needs is complete in pg_wal now.
  await copier.copy(
    join(sourceDataDir, 'pg_wal'),
    join(targetDataDir, 'pg_wal'),
    walFilter(first, row.last_segment),
  );

  const owner = await stat(targetDataDir);
  const write = async (name: string, content: string) => {
    const path = join(targetDataDir, name);
    // Byte for byte, as the docs insist: no newline conversion, no re-encoding beyond UTF-8.
    await writeFile(path, Buffer.from(content, 'utf8'), { mode: 0o600 });
    await keepOwnership(path, owner.uid, owner.gid, 0o600);
  };
  await write('backup_label', row.labelfile);
  if (row.spcmapfile) await write('tablespace_map', row.spcmapfile);
  return { bytes: copier.bytes, method: copier.method, ms: Math.round(performance.now() - started) };
}
