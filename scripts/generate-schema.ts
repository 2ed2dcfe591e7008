import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { artifactSchema } from '../functions/shared/artifact.js';

/**
 * `npm run schema`: writes docs/artifact.schema.json from the artifact's zod schema.
 *
 * The zod schema is the single source of truth; the JSON schema is for editors and
 * other tools. A unit test compares the checked-in file with {@link renderArtifactSchema}.
 */

/** The checked-in JSON schema's path, from the repository root. */
export const SCHEMA_PATH = 'docs/artifact.schema.json';

/** The schema's `$id`: a URN, as the project has no published URL to serve it from. */
export const SCHEMA_ID = 'urn:db-artifact-factory:artifact:v1';

const FIRST_KEYS = ['$schema', '$id', 'title', 'description'];

// Keywords in a fixed order so the file does not churn; field names inside `properties`
// keep the schema's order, which is the order a person reads the document in.
function stable(value: unknown, isProperties = false): unknown {
  if (Array.isArray(value)) return value.map((item) => stable(item));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const ordered = isProperties
    ? keys
    : [
        ...FIRST_KEYS.filter((key) => keys.includes(key)),
        ...keys.filter((key) => !FIRST_KEYS.includes(key)).sort(),
      ];
  return Object.fromEntries(
    ordered.map((key) => [
      key,
      stable((value as Record<string, unknown>)[key], !isProperties && key === 'properties'),
    ]),
  );
}

/** The JSON schema of an artifact document as written by a person (defaults optional), as file text. */
export function renderArtifactSchema(): string {
  const schema = z.toJSONSchema(artifactSchema, { io: 'input', target: 'draft-2020-12' });
  const document = { ...schema, $id: SCHEMA_ID, title: 'Database artifact' };
  return `${JSON.stringify(stable(document), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_PATH, renderArtifactSchema());
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}
