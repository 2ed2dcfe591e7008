import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InvalidArtifact } from '../functions/shared/errors.js';
import { iniToArtifact } from '../functions/shared/ini.js';

/**
 * `npm run ini-to-artifact -- <file.ini> [--owner NAME] [--ttl 8h] [--name CLONE]`
 *
 * Prints the artifact document an old `artifact_config.ini` means, for people moving
 * from the original tool. Problems go to stderr as a list, without a stack trace.
 */

const USAGE = 'usage: npm run ini-to-artifact -- <file.ini> [--owner NAME] [--ttl 8h] [--name CLONE]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function main(): void {
  let parsed: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      allowPositionals: true,
      options: { owner: { type: 'string' }, ttl: { type: 'string' }, name: { type: 'string' } },
    });
  try {
    parsed = parse();
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  const { positionals, values } = parsed;
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) fail(USAGE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const artifact = iniToArtifact(text, { owner: values.owner, ttl: values.ttl, cloneName: values.name });
    process.stdout.write(`${JSON.stringify(artifact, null, 2)}\n`);
  } catch (error) {
    if (error instanceof InvalidArtifact) fail(`${file}: ${error.message}`);
    throw error;
  }
}

main();
