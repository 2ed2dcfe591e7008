import { existsSync, statSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataPlane } from '../../../local/postgres/data-plane.js';
import { LEGACY_DATASET, seedLegacyDataset } from '../../../local/postgres/seed.js';
import { connect, count, freePort, MASTER, tempRoot, withSession } from './support.js';

const TOTAL_BALANCE = 2_000;

/**
 * Keeps the source busy: each loop moves one unit between two accounts and appends a probe row
 * in one transaction, then reads. Records when each commit finished, and any error.
 */
function startWorkload(client: pg.Client) {
  const commits: number[] = [];
  const errors: unknown[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      try {
        await client.query('BEGIN');
        await client.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
        await client.query('UPDATE accounts SET balance = balance + 1 WHERE id = 2');
        await client.query(`INSERT INTO probe (note) VALUES ('during clone')`);
        await client.query('COMMIT');
        commits.push(performance.now());
        await client.query('SELECT count(*) FROM customers');
      } catch (error) {
        errors.push(error);
      }
    }
  })();
  return {
    commits,
    errors,
    stop: async () => {
      running = false;
      await done;
      await client.end();
    },
  };
}

describe('DataPlane.clone', () => {
  let root: string;
  let removeRoot: () => Promise<void>;
  let plane: DataPlane;
  let sourcePort: number;
  let clonePort: number;
  let source: pg.Client;
  let clone: pg.Client;

  beforeAll(async () => {
    ({ root, remove: removeRoot } = await tempRoot());
    plane = new DataPlane({ root });
    [sourcePort, clonePort] = [await freePort(), await freePort()];
    await plane.create('source', MASTER, sourcePort);
    source = await connect(sourcePort, MASTER.password);
    await seedLegacyDataset(source);
    await source.query(`CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL);
      INSERT INTO accounts VALUES (1, ${TOTAL_BALANCE}), (2, 0);
      CREATE TABLE probe (id serial PRIMARY KEY, note text NOT NULL);
      INSERT INTO probe (note) SELECT 'before clone' FROM generate_series(1, 100);`);
  });

  afterAll(async () => {
    await Promise.all([source?.end(), clone?.end()]);
    await plane.stopAll();
    await removeRoot();
  });

  it('copies a source that keeps serving concurrent writes, consistent as of the backup', async () => {
    const workload = startWorkload(await connect(sourcePort, MASTER.password));
    // Let the workload get going, then note the last row committed before the clone starts.
    while (workload.commits.length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    const lastBefore = await count(source, 'SELECT max(id) FROM probe');

    const started = performance.now();
    const result = await plane.clone('source', 'clone');
    const finished = performance.now();
    await workload.stop();

    expect(workload.errors).toEqual([]);
    expect(workload.commits.filter((at) => at > started && at < finished).length).toBeGreaterThan(0);
    expect(result).toEqual({
      bytes: expect.any(Number),
      method: expect.stringMatching(/^(reflink|copy)$/),
      ms: expect.any(Number),
    });
    expect(result.bytes).toBeGreaterThan(10_000_000);
    expect(plane.isRunning('clone')).toBe(false);

    await plane.start('clone', clonePort);
    clone = await connect(clonePort, MASTER.password);

    // Every row committed before the clone started is there, and the probe rows form an
    // unbroken prefix of what the single writer committed: no transaction is half there.
    const lastInClone = await count(clone, 'SELECT max(id) FROM probe');
    expect(lastInClone).toBeGreaterThanOrEqual(lastBefore);
    expect(await count(clone, 'SELECT count(*) FROM probe')).toBe(lastInClone);
    expect(await count(clone, 'SELECT sum(balance) FROM accounts')).toBe(TOTAL_BALANCE);
    // Each transfer committed together with one probe row.
    expect(await count(clone, `SELECT count(*) FROM probe WHERE note = 'during clone'`)).toBe(
      await count(clone, `SELECT ${TOTAL_BALANCE} - balance FROM accounts WHERE id = 1`),
    );
  });

  it('yields a clone whose seeded data and declared foreign keys are intact', async () => {
    for (const [table, rows] of Object.entries(LEGACY_DATASET.tables)) {
      expect(await count(clone, `SELECT count(*) FROM ${table}`), table).toBe(rows);
    }
    expect((await clone.query(LEGACY_DATASET.knownRow.sql)).rows).toEqual([LEGACY_DATASET.knownRow.expected]);
    const orphanOrders =
      'SELECT count(*) FROM orders o LEFT JOIN customers c USING (customer_id) WHERE c.customer_id IS NULL';
    const orphanItems =
      'SELECT count(*) FROM order_items i LEFT JOIN orders o USING (order_id) WHERE o.order_id IS NULL';
    expect(await count(clone, orphanOrders)).toBe(0);
    expect(await count(clone, orphanItems)).toBe(0);
  });

  it('recovered from the backup label, and its files belong to the postgres user with mode 0700', () => {
    const data = join(root, 'clone', 'data');
    // PostgreSQL renames backup_label once recovery from it has completed.
    expect(existsSync(join(data, 'backup_label.old'))).toBe(true);
    expect(existsSync(join(data, 'backup_label'))).toBe(false);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(data).uid).toBe(statSync(join(root, 'source', 'data')).uid);
    expect(statSync(join(data, 'base')).uid).toBe(statSync(data).uid);
  });

  it('keeps a change in the clone out of the source', async () => {
    await clone.query(`UPDATE customers SET email = 'changed-in-clone@example.com' WHERE customer_id = 42`);
    await clone.query(`INSERT INTO probe (note) VALUES ('clone only')`);

    expect((await source.query(LEGACY_DATASET.knownRow.sql)).rows).toEqual([
      LEGACY_DATASET.knownRow.expected,
    ]);
    expect(await count(source, `SELECT count(*) FROM probe WHERE note = 'clone only'`)).toBe(0);
  });

  it('keeps a change in the source out of the clone', async () => {
    await source.query(`DELETE FROM payments WHERE payment_id <= 10`);
    await source.query(`CREATE TABLE source_only (id int)`);

    expect(await count(clone, 'SELECT count(*) FROM payments')).toBe(LEGACY_DATASET.tables.payments);
    expect(await count(clone, `SELECT count(*) FROM pg_tables WHERE tablename = 'source_only'`)).toBe(0);
  });

  it('inherits the master password, and a new one set on the clone applies to the clone only', async () => {
    const newPassword = 'clone-Pa55word';

    await plane.setPassword('clone', MASTER.username, newPassword);

    await expect(connect(clonePort, MASTER.password)).rejects.toThrow(/password authentication failed/);
    await expect(withSession(clonePort, newPassword, (c) => count(c, 'SELECT 1'))).resolves.toBe(1);
    await expect(withSession(sourcePort, MASTER.password, (c) => count(c, 'SELECT 1'))).resolves.toBe(1);
    await expect(connect(sourcePort, newPassword)).rejects.toThrow(/password authentication failed/);
  });

  it('refuses to clone onto an existing cluster or from a stopped one', async () => {
    await expect(plane.clone('source', 'clone')).rejects.toThrow('Cluster clone already exists');
    await expect(plane.clone('nothing', 'other')).rejects.toThrow('Cluster nothing is not running');
  });

  it('refuses to clone a source with a tablespace, whose link the clone would share, and leaves nothing', async () => {
    const location = join(root, 'tablespace');
    await mkdir(location, { mode: 0o700 });
    await chown(
      location,
      statSync(join(root, 'source', 'data')).uid,
      statSync(join(root, 'source', 'data')).gid,
    );
    await source.query(`CREATE TABLESPACE extra LOCATION '${location}'`);
    try {
      await expect(plane.clone('source', 'other')).rejects.toThrow(
        'Cannot clone a cluster that has tablespaces',
      );
      expect(existsSync(join(root, 'other'))).toBe(false);
    } finally {
      await source.query('DROP TABLESPACE extra');
    }
  });
});
