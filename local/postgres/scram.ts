import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** PostgreSQL's default `scram_iterations`. */
const ITERATIONS = 4096;

/**
 * SASLprep as node-postgres applies it before hashing (non-ASCII spaces to U+0020, "mapped to
 * nothing" characters removed, NFKC), so a verifier made here matches the proof `pg` sends.
 */
function saslprep(password: string): string {
  return password
    .replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, ' ')
    .replace(/\u00AD|\u034F|\u1806|[\u180B-\u180D]|\u200C|\u200D|\u2060|[\uFE00-\uFE0F]|\uFEFF/g, '')
    .normalize('NFKC');
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5803 format).
 *
 * `ALTER ROLE ... PASSWORD` given a verifier stores it as is, so the plain password never
 * reaches the server: not its statement log, not `pg_stat_activity`. This is what psql's
 * `\password` does.
 */
export async function scramVerifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const salted = await pbkdf2Async(saslprep(password), salt, ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const b64 = (bytes: Buffer) => bytes.toString('base64');
  return `SCRAM-SHA-256$${ITERATIONS}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}
