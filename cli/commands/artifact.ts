import { readFileSync, writeFileSync } from 'node:fs';
import { type Artifact, type ArtifactDocument, parseArtifact } from '../../functions/shared/artifact.js';
import { InvalidArtifact } from '../../functions/shared/errors.js';
import { iniToArtifact } from '../../functions/shared/ini.js';
import { examples, type Program } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { printJson, say } from '../output.js';

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

/** A file's text, or a {@link UserError} naming the file and the reason. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UserError(
      `Cannot read ${file}: ${READ_ERRORS[code] ?? (error as Error).message}.`,
      EXIT.invalidInput,
      {
        cause: error,
      },
    );
  }
}

function invalid(file: string, error: InvalidArtifact): UserError {
  return new UserError(`${file}: ${error.message}`, EXIT.invalidInput, { cause: error });
}

/** An artifact document from a JSON file: the document as written, and checked with defaults applied. */
export function readArtifact(file: string): { document: ArtifactDocument; artifact: Artifact } {
  const document = readDocument(file);
  return { document, artifact: checkArtifact(document, file) };
}

/** A JSON file's document, not yet checked (the caller may apply command-line overrides first). */
export function readDocument(file: string): ArtifactDocument {
  const text = readText(file);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${file} is not JSON (${(error as Error).message}). An artifact is a JSON document; ` +
        `to convert an old artifact_config.ini, run "dbaf build ${file} -o artifact.json".`,
      EXIT.invalidInput,
      { cause: error },
    );
  }
  return document as ArtifactDocument;
}

/** Checks a document read from `file` (perhaps with command-line overrides), or a {@link UserError} listing every problem. */
export function checkArtifact(document: unknown, file: string): Artifact {
  try {
    return parseArtifact(document);
  } catch (error) {
    if (error instanceof InvalidArtifact) throw invalid(file, error);
    throw error;
  }
}

/** Options of `dbaf build`. */
export interface BuildOptions {
  readonly output?: string;
  readonly owner?: string;
  readonly ttl?: string;
  readonly name?: string;
}

/** `dbaf build <ini>`: the artifact document an old `artifact_config.ini` means. */
export function build(file: string, options: BuildOptions): void {
  let artifact: ArtifactDocument;
  try {
    artifact = iniToArtifact(readText(file), {
      owner: options.owner,
      ttl: options.ttl,
      cloneName: options.name,
    });
  } catch (error) {
    if (error instanceof InvalidArtifact) throw invalid(file, error);
    throw error;
  }
  const text = `${JSON.stringify(artifact, null, 2)}\n`;
  if (options.output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(options.output, text);
  } catch (error) {
    throw new UserError(`Cannot write ${options.output}: ${(error as Error).message}.`, EXIT.invalidInput, {
      cause: error,
    });
  }
  say(`Wrote ${options.output} from ${file}. Check it with "dbaf validate ${options.output}".`);
}

/** Options of `dbaf validate`. */
export interface ValidateOptions {
  readonly json?: boolean;
}

/** `dbaf validate <file>`: checks an artifact offline, listing every problem at once. */
export function validate(file: string, options: ValidateOptions): void {
  let artifact: Artifact;
  try {
    artifact = readArtifact(file).artifact;
  } catch (error) {
    const problems = (error as Error).cause instanceof InvalidArtifact ? (error as Error).cause : undefined;
    if (options.json && problems instanceof InvalidArtifact) {
      printJson({ valid: false, file, problems: problems.problems });
      process.exitCode = EXIT.invalidInput;
      return;
    }
    throw error;
  }
  if (options.json) {
    printJson({ valid: true, file, artifact });
    return;
  }
  const { source, target, lifecycle } = artifact;
  say(`${file} is a valid artifact:`);
  say(`  clones   ${source.clusterIdentifier} (${source.restore.type})`);
  say(
    `  into     ${target.cloneName ?? '(a generated name)'}: ${target.instanceCount} × ${target.instanceClass}`,
  );
  say(`  ttl      ${lifecycle.ttl ?? "the deployment's default"}`);
  say(`  owner    ${lifecycle.owner ?? '(you, when started with dbaf clone)'}`);
}

/** Adds `dbaf build` and `dbaf validate`, the offline commands, to the program. */
export function register(program: Program): void {
  program
    .command('build')
    .description("turn an old artifact_config.ini into an artifact document (the INI's keys, checked)")
    .argument('<ini>', 'the artifact_config.ini file')
    .option('-o, --output <file>', 'write the document here (default: standard output)')
    .option('--owner <owner>', 'lifecycle.owner of the document')
    .option('--ttl <duration>', 'lifecycle.ttl of the document, such as 8h or 3d')
    .option('--name <name>', 'target.cloneName of the document')
    .addHelpText(
      'after',
      examples(
        'dbaf build artifact_config.ini -o artifact.json',
        'dbaf build artifact_config.ini --name orders-debug --ttl 2d --owner alice@example.com',
      ),
    )
    .action((ini, options) => build(ini, options));

  program
    .command('validate')
    .description('check an artifact document offline; lists every problem at once')
    .argument('<artifact>', 'the artifact document (JSON)')
    .option('--json', 'print the result as JSON (the artifact with its defaults, or the problems)')
    .addHelpText('after', examples('dbaf validate artifact.json', 'dbaf validate artifact.json --json'))
    .action((file, options) => validate(file, options));
}
