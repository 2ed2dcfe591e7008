import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/** The master user of the test clusters. */
export const MASTER = { username: 'master', password: 'source-Pa55word', databaseName: 'legacy' } as const;

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** A temporary root the postgres OS user can traverse (mkdtemp makes it 0700); `remove` deletes it. */
export async function tempRoot(): Promise<{ root: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'dp-'));
  await chmod(root, 0o711);
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** A TCP session on 127.0.0.1:`port` as the master user (or `user`), connected. */
export async function connect(
  port: number,
  password: string,
  user: string = MASTER.username,
): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: MASTER.databaseName });
  // A server stopped under an open session must not crash the test run.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Runs `work` on a fresh session, then closes it. */
export async function withSession<T>(
  port: number,
  password: string,
  work: (client: pg.Client) => Promise<T>,
) {
  const client = await connect(port, password);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Number of the first query column of the first row. */
export async function count(client: pg.Client, sql: string): Promise<number> {
  const result = await client.query(sql);
  return Number(Object.values(result.rows[0] ?? {})[0]);
}

/** Command lines of the processes whose command line mentions `text` (as `pgrep -f` sees them). */
export async function processesMentioning(text: string): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)('pgrep', ['-a', '-f', text]);
    return stdout.split('\n').filter(Boolean);
  } catch (error) {
    // pgrep exits 1 when nothing matches.
    if ((error as { code?: number }).code === 1) return [];
    throw error;
  }
}
