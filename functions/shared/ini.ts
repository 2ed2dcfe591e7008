import type { z } from 'zod';
import { ARTIFACT_VERSION, type ArtifactDocument, artifactSchema, describeIssues } from './artifact.js';
import { InvalidArtifact } from './errors.js';

/**
 * The original tool's `artifact_config.ini`, read and turned into an artifact document.
 *
 * People migrating from that tool keep their INI files; converting them through the
 * same schema as a JSON artifact means an INI file can never ask for more than a document can.
 */

/** An INI file's values: section name, then key (lower-cased, as Python's configparser does), then value. */
export type IniSections = Record<string, Record<string, string>>;

interface IniRead {
  readonly sections: IniSections;
  /** Line number of each section header and key, as `section` and `section.key`. */
  readonly lines: ReadonlyMap<string, number>;
  readonly problems: string[];
}

const SECTION = /^\[([^\]]+)\]$/;
const ENTRY = /^([^=:]+?)\s*[=:]\s*(.*)$/;

function readIni(text: string): IniRead {
  const sections: IniSections = {};
  const lines = new Map<string, number>();
  const problems: string[] = [];
  let section: string | undefined;
  let lastKey: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const n = index + 1;
    // An inline comment needs a space before it, so values such as "a#b" survive.
    const line = raw.replace(/\s+[;#].*$/, '').trimEnd();
    const content = line.trim();
    if (content === '' || content.startsWith(';') || content.startsWith('#')) return;
    const values = section === undefined ? undefined : sections[section];
    if (/^\s/.test(line) && values !== undefined && lastKey !== undefined) {
      values[lastKey] = `${values[lastKey]}\n${content}`;
      return;
    }
    lastKey = undefined;
    const header = SECTION.exec(content);
    if (header) {
      const name = (header[1] ?? '').trim();
      const first = lines.get(name);
      if (first !== undefined)
        problems.push(`line ${n}: section [${name}] appears twice (first on line ${first}); merge them`);
      else lines.set(name, n);
      section = name;
      sections[name] ??= {};
      return;
    }
    const entry = ENTRY.exec(content);
    if (!entry) {
      problems.push(`line ${n}: "${content}" is neither a [section] header nor a "key = value" line`);
      return;
    }
    const key = (entry[1] ?? '').trim().toLowerCase();
    if (section === undefined || values === undefined) {
      problems.push(`line ${n}: ${key} is outside any section; put it under a [section] header`);
      return;
    }
    const first = lines.get(`${section}.${key}`);
    if (first !== undefined) {
      problems.push(`line ${n}: [${section}] ${key} is given twice (first on line ${first}); keep one`);
      return;
    }
    lines.set(`${section}.${key}`, n);
    values[key] = entry[2] ?? '';
    lastKey = key;
  });
  return { sections, lines, problems };
}

/**
 * Reads INI text: `[section]` headers, `key = value` or `key: value`, `;` and `#` comments.
 *
 * Indented lines continue the previous value, as in Python's configparser, which wrote
 * the original files.
 *
 * @throws InvalidArtifact listing, with line numbers, every key outside a section, every
 * line that is neither a header nor a key, and every repeated key or section.
 */
export function parseIni(text: string): IniSections {
  const { sections, problems } = readIni(text);
  if (problems.length > 0) throw new InvalidArtifact(problems);
  return sections;
}

/** The sections and keys the original tool read, and what each is in an artifact. */
const KNOWN = {
  source_db: { source_db_cluster_id: 'the identifier or ARN of the cluster to clone' },
  target_db: {
    subnet_ids: '"source" or two or more subnet ids separated by commas',
    instance_type: 'an instance class such as "db.r6g.large"',
  },
} as const;

const REQUIRED = [
  ['source_db', 'source_db_cluster_id'],
  ['target_db', 'instance_type'],
] as const;

/** Where each artifact field came from, for error messages. */
const ORIGIN: Record<string, string> = {
  'source.clusterIdentifier': '[source_db] source_db_cluster_id',
  'target.instanceClass': '[target_db] instance_type',
  'target.subnets': '[target_db] subnet_ids',
  'target.cloneName': 'clone name (--name)',
  'lifecycle.owner': 'owner (--owner)',
  'lifecycle.ttl': 'ttl (--ttl)',
};

function structureProblems(read: IniRead): { problems: string[]; missing: Set<string> } {
  const problems: string[] = [];
  for (const [section, values] of Object.entries(read.sections)) {
    const known: Record<string, string> | undefined = KNOWN[section as keyof typeof KNOWN];
    if (known === undefined) {
      problems.push(
        `[${section}]: unknown section; known sections: ${Object.keys(KNOWN).join(', ')} (line ${read.lines.get(section)})`,
      );
      continue;
    }
    for (const key of Object.keys(values).filter((k) => !(k in known))) {
      problems.push(
        `[${section}] ${key}: unknown key; known keys: ${Object.keys(known).join(', ')} (line ${read.lines.get(`${section}.${key}`)})`,
      );
    }
  }
  const missing = new Set<string>();
  for (const [section, key] of REQUIRED) {
    if (read.sections[section]?.[key] !== undefined) continue;
    const where = read.sections[section] === undefined ? ` (add a [${section}] section with it)` : '';
    problems.push(`[${section}] ${key}: missing; expected ${KNOWN[section][key as never]}${where}`);
    missing.add(`[${section}] ${key}`);
  }
  return { problems, missing };
}

function iniProblem(issue: z.core.$ZodIssue, document: unknown, missing: Set<string>): string[] {
  const [first = '', second = '', index] = issue.path;
  const origin = ORIGIN[`${String(first)}.${String(second)}`];
  const lines = describeIssues([issue], document);
  if (origin === undefined) return lines;
  if (missing.has(origin)) return [];
  const field = `${String(first)}.${String(second)}${typeof index === 'number' ? `[${index}]` : ''}`;
  return lines.map((line) => {
    const rest = line.startsWith(`${field}: `) ? line.slice(field.length + 2) : line;
    if (typeof index !== 'number') return `${origin}: ${rest}`;
    return `${origin}: ${rest.replace(/^("(?:[^"\\]|\\.)*"|\S+)/, `$1 (item ${index + 1})`)}`;
  });
}

function subnetsOf(value: string | undefined): 'source' | string[] {
  if (value === undefined || value.trim().toLowerCase() === 'source') return 'source';
  return value
    .split(/[,\n]/)
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/** What a person may add to an INI file's settings; the original tool had no such keys. */
export interface IniOptions {
  /** Recorded in the `dbaf:owner` tag. @default none */
  readonly owner?: string;
  /** How long the clone lives, such as `8h`. @default the deployment's DEFAULT_TTL */
  readonly ttl?: string;
  /** The clone's identifier. @default generated */
  readonly cloneName?: string;
}

/**
 * Turns an `artifact_config.ini` into an artifact document, as a person would write it.
 *
 * Defaults are left out (the state machine applies them), so the output is short enough
 * to check in. Every problem is reported at once, named as it appears in the INI file.
 *
 * @throws InvalidArtifact listing every problem: INI syntax (with line numbers), unknown
 * sections and keys, missing keys, and every value the artifact schema rejects.
 */
export function iniToArtifact(text: string, options: IniOptions = {}): ArtifactDocument {
  const read = readIni(text);
  const { problems, missing } = structureProblems(read);
  const source = read.sections.source_db ?? {};
  const target = read.sections.target_db ?? {};
  const lifecycle = {
    ...(options.ttl !== undefined && { ttl: options.ttl }),
    ...(options.owner !== undefined && { owner: options.owner }),
  };
  const document = {
    version: ARTIFACT_VERSION,
    source: { clusterIdentifier: source.source_db_cluster_id?.trim() },
    target: {
      ...(options.cloneName !== undefined && { cloneName: options.cloneName }),
      instanceClass: target.instance_type?.trim(),
      subnets: subnetsOf(target.subnet_ids),
    },
    ...(Object.keys(lifecycle).length > 0 && { lifecycle }),
  };
  const result = artifactSchema.safeParse(document);
  const schemaProblems = result.success
    ? []
    : result.error.issues.flatMap((issue) => iniProblem(issue, document, missing));
  const all = [...read.problems, ...problems, ...schemaProblems];
  if (all.length > 0) throw new InvalidArtifact(all);
  return document as ArtifactDocument;
}
