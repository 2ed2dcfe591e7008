import type { ClientBase } from 'pg';
import { LEGACY_SCHEMA_SQL } from './seed-sql.js';

/** The tables {@link seedLegacyDataset} creates, in dependency order, with their row counts. */
export const LEGACY_TABLES = {
  customers: 10_300,
  addresses: 12_000,
  products: 500,
  orders: 25_000,
  order_items: 42_200,
  payments: 5_000,
  audit_log: 5_000,
} as const;

/**
 * What a verification step can check on a seeded database or any copy of it: totals, a known
 * row, and the legacy flaws that are there on purpose.
 */
export const LEGACY_DATASET = {
  tables: LEGACY_TABLES,
  totalRows: Object.values(LEGACY_TABLES).reduce((sum, rows) => sum + rows, 0),
  /** A row to look up by key; its values never change between seedings. */
  knownRow: {
    sql: 'SELECT first_name, last_name, email, phone, country FROM customers WHERE customer_id = 42',
    expected: {
      first_name: 'José',
      last_name: 'García',
      email: ' josé.garcía42@EXAMPLE.NET ',
      phone: '+1-555-042-0294',
      country: 'USA',
    },
  },
  /** Duplicate customers: the same person again under a new id and a differently written e-mail. */
  duplicateCustomers: 300,
  /** Rows that point at nothing, where the legacy schema declared no foreign key. */
  orphans: { addresses: 100, orderItemsWithoutProduct: 50, paymentsWithoutOrder: 20 },
  /** Foreign keys that are declared, so every copy must satisfy them. */
  foreignKeys: ['orders.customer_id -> customers', 'order_items.order_id -> orders'],
} as const;

/** Row counts of a seeded database, as {@link seedLegacyDataset} measured them. */
export interface SeedResult {
  readonly tables: Record<string, number>;
  readonly totalRows: number;
}

/**
 * Fills the connected database with a deterministic, dirty legacy "production" schema of about
 * 100,000 rows: customers with duplicates, mixed-case e-mails and five phone formats, dates
 * stored as text in several formats, country names spelled many ways, orphaned rows where the
 * schema forgot a foreign key, negative quantities, trailing whitespace and non-ASCII names.
 *
 * Everything is generated server-side in one transaction from `generate_series` and arithmetic
 * on the row number (no `random()`), so each run yields the same rows in about a second.
 */
export async function seedLegacyDataset(client: ClientBase): Promise<SeedResult> {
  await client.query(LEGACY_SCHEMA_SQL);
  const tables: Record<string, number> = {};
  for (const table of Object.keys(LEGACY_TABLES)) {
    const result = await client.query<{ rows: string }>(`SELECT count(*) AS rows FROM ${table}`);
    tables[table] = Number(result.rows[0]?.rows ?? 0);
  }
  return { tables, totalRows: Object.values(tables).reduce((sum, rows) => sum + rows, 0) };
}
