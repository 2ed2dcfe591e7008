import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLE, DataPlane } from '../../../local/postgres/data-plane.js';
import { LEGACY_DATASET, seedLegacyDataset } from '../../../local/postgres/seed.js';
import { connect, count, freePort, MASTER, processesMentioning, tempRoot, withSession } from './support.js';

describe('DataPlane', () => {
  let root: string;
  let removeRoot: () => Promise<void>;
  let plane: DataPlane;
  let port: number;
  const logged: string[] = [];

  beforeAll(async () => {
    ({ root, remove: removeRoot } = await tempRoot());
    plane = new DataPlane({ root, log: (line) => logged.push(line) });
    port = await freePort();
    await plane.create('legacy-prod', MASTER, port);
  });

  afterAll(async () => {
    await plane.stopAll();
    await removeRoot();
  });

  it('creates a cluster that holds the seeded legacy dataset', async () => {
    const seeded = await withSession(port, MASTER.password, seedLegacyDataset);

    expect(seeded).toEqual({ tables: LEGACY_DATASET.tables, totalRows: 100_000 });
    const known = await withSession(port, MASTER.password, (client) =>
      client.query(LEGACY_DATASET.knownRow.sql),
    );
    expect(known.rows).toEqual([LEGACY_DATASET.knownRow.expected]);
  });

  it('accepts the master password over TCP and refuses a wrong one', async () => {
    await expect(withSession(port, MASTER.password, (client) => count(client, 'SELECT 1'))).resolves.toBe(1);
    await expect(connect(port, 'wrong-password')).rejects.toThrow(/password authentication failed/);
  });

  it('refuses TCP logins as its own admin role, which has no password', async () => {
    await expect(connect(port, 'anything', ADMIN_ROLE)).rejects.toThrow(/password authentication failed/);
  });

  it('makes the master a superuser owning its database, listening on 127.0.0.1 only', async () => {
    const settings = await withSession(port, MASTER.password, (client) =>
      client.query(`SELECT current_setting('listen_addresses') AS listen, r.rolsuper, pg_get_userbyid(d.datdba) AS owner
        FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`),
    );
    expect(settings.rows).toEqual([{ listen: '127.0.0.1', rolsuper: true, owner: MASTER.username }]);
  });

  it('keeps the data directory owned by the postgres OS user, mode 0700', () => {
    const data = statSync(join(root, 'legacy-prod', 'data'));
    expect(data.uid).toBe(Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })));
    expect(data.mode & 0o777).toBe(0o700);
  });

  it('never logs the master password', () => {
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((line) => line.includes(MASTER.password))).toEqual([]);
  });

  it('restarts an existing cluster on create without resetting its password or data', async () => {
    await plane.stop('legacy-prod');
    expect(plane.isRunning('legacy-prod')).toBe(false);

    await plane.create('legacy-prod', { ...MASTER, password: 'another-Pa55word' }, port);

    await expect(
      withSession(port, MASTER.password, (client) => count(client, 'SELECT count(*) FROM orders')),
    ).resolves.toBe(LEGACY_DATASET.tables.orders);
  });

  it('refuses to start on a port that is in use, and says so', async () => {
    const other = await freePort();
    await plane.create('second', MASTER, other);

    await plane.stop('second');
    await expect(plane.start('second', port)).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
    expect(plane.isRunning('second')).toBe(false);
  });

  it('puts the socket in a temporary directory when the cluster path is too long, and removes it on stop', async () => {
    const id = 'x'.repeat(100);
    const temporaryDirs = () => readdirSync('/tmp').filter((name) => name.startsWith('pgdp-'));
    const before = temporaryDirs();

    await plane.create(id, MASTER, await freePort());
    await plane.setPassword(id, MASTER.username, 'long-path-Pa55word');
    expect(temporaryDirs().length).toBe(before.length + 1);

    await plane.stop(id);
    expect(temporaryDirs()).toEqual(before);
  });

  it('removes a cluster: port closed, files gone', async () => {
    const removedPort = await freePort();
    await plane.create('doomed', MASTER, removedPort);

    await plane.remove('doomed');
    await plane.remove('doomed');

    await expect(connect(removedPort, MASTER.password)).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(join(root, 'doomed'))).toBe(false);
    expect(plane.exists('doomed')).toBe(false);
  });

  it('leaves no postgres process behind after stopAll', async () => {
    const dataDirs = `${root}/`;
    expect(await processesMentioning(dataDirs)).not.toEqual([]);

    await plane.stopAll();

    expect(await processesMentioning(dataDirs)).toEqual([]);
    expect(plane.isRunning('legacy-prod')).toBe(false);
  });
});
