import { connect } from 'node:net';
import pg from 'pg';

/**
 * The two checks of the original tool's "Verification" section, run by the demo against the real
 * servers: the source's data is in the clone, and a change in the clone stays there.
 */

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

/** The tables of the public schema, as the source has them. */
async function tableNames(client: pg.Client): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  return result.rows.map((row) => row.name);
}

/** The row count of each table, or undefined for a table the database lacks. */
async function rowCounts(
  client: pg.Client,
  tables: readonly string[],
): Promise<Record<string, number | undefined>> {
  const counts: Record<string, number | undefined> = {};
  for (const table of tables) {
    const exists = await client.query("SELECT to_regclass('public.' || quote_ident($1)) IS NOT NULL AS e", [
      table,
    ]);
    if (exists.rows[0]?.e !== true) continue;
    const result = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${client.escapeIdentifier(table)}`,
    );
    counts[table] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

/** Check 1 of the original tool's "Verification": every table of the source is in the clone, with as many rows. */
export async function checkDataPresent(source: Connection, clone: Connection): Promise<Check> {
  const [tables, expected] = await withClient(source, async (client) => {
    const names = await tableNames(client);
    return [names, await rowCounts(client, names)] as const;
  });
  const actual = await withClient(clone, (client) => rowCounts(client, tables));
  const differing = tables.filter((table) => expected[table] !== actual[table]);
  const total = Object.values(actual).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  return {
    name: 'the data is present in the clone',
    passed: differing.length === 0 && total > 0,
    detail:
      differing.length === 0
        ? `${tables.length} tables, ${total.toLocaleString('en-US')} rows, the same counts as the source`
        : `row counts differ in ${differing.map((t) => `${t} (source ${expected[t]}, clone ${actual[t] ?? 'missing'})`).join(', ')}`,
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
