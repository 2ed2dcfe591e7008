/**
 * `npm run asl`: writes every workflow's ASL file (`state-machines/<name>.asl.json`) from its
 * TypeScript source (`state-machines/source/`), formatted as Biome formats JSON.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { definitionPath, WORKFLOW_NAMES } from '../state-machines/catalog.js';
import { DEFINITIONS } from '../state-machines/source/index.js';

const files = WORKFLOW_NAMES.map((name) => {
  const path = definitionPath(name);
  writeFileSync(path, `${JSON.stringify(DEFINITIONS[name](), null, 2)}\n`);
  return path;
});
const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
execFileSync(biome, ['format', '--write', ...files], { stdio: 'inherit' });
process.stdout.write(`Wrote ${files.length} workflows: ${WORKFLOW_NAMES.join(', ')}.\n`);
