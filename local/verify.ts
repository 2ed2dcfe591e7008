import { connect } from 'node:net';
import pg from 'pg';
import { LEGACY_TABLES } from './postgres/seed.js';

/** Where and as whom to connect to one database. */
export interface Connection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** The result of one verification check, as the demo prints it. */
export interface Check {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

async function withClient<T>(connection: Connection, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function rowCounts(client: pg.Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of Object.keys(LEGACY_TABLES)) {
    const result = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${client.escapeIdentifier(table)}`,
    );
    counts[table] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

/** Check 1 of the original tool's "Verification": the source's data is present in the clone. */
export async function checkDataPresent(source: Connection, clone: Connection): Promise<Check> {
  const [expected, actual] = await Promise.all([withClient(source, rowCounts), withClient(clone, rowCounts)]);
  const differing = Object.keys(expected).filter((table) => expected[table] !== actual[table]);
  const total = Object.values(actual).reduce((sum, n) => sum + n, 0);
  return {
    name: 'the data is present in the clone',
    passed: differing.length === 0 && total > 0,
    detail:
      differing.length === 0
        ? `${Object.keys(actual).length} tables, ${total.toLocaleString('en-US')} rows, the same counts as the source`
        : `row counts differ in ${differing.map((t) => `${t} (source ${expected[t]}, clone ${actual[t]})`).join(', ')}`,
  };
}

/** Check 2: a change made in the clone does not appear in the source. */
export async function checkIsolation(source: Connection, clone: Connection): Promise<Check> {
  const marker = `dbaf verification ${new Date().toISOString()}`;
  const changed = await withClient(clone, async (client) => {
    const result = await client.query(
      'UPDATE customers SET notes = $1 WHERE customer_id IN (SELECT customer_id FROM customers ORDER BY customer_id LIMIT 100)',
      [marker],
    );
    await client.query('CREATE TABLE dbaf_verification (note text)');
    await client.query('INSERT INTO dbaf_verification VALUES ($1)', [marker]);
    return result.rowCount ?? 0;
  });
  const leaked = await withClient(source, async (client) => {
    const rows = await client.query<{ n: string }>('SELECT count(*) AS n FROM customers WHERE notes = $1', [
      marker,
    ]);
    const table = await client.query("SELECT to_regclass('public.dbaf_verification') AS t");
    return { rows: Number(rows.rows[0]?.n ?? 0), table: table.rows[0]?.t !== null };
  });
  const passed = changed > 0 && leaked.rows === 0 && !leaked.table;
  return {
    name: 'a change in the clone does not appear in the source',
    passed,
    detail: passed
      ? `updated ${changed} rows and created a table in the clone; the source has neither`
      : `clone rows updated: ${changed}; source rows with the change: ${leaked.rows}; table in source: ${leaked.table}`,
  };
}

/** Whether something accepts TCP connections on 127.0.0.1:port (a deleted clone's server does not). */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
