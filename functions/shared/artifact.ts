import { z } from 'zod';
import { isRdsIdentifier, RDS_IDENTIFIER_PATTERN } from './aws/rds-identifiers.js';
import { DURATION_FORM, parseDuration } from './duration.js';
import { InvalidArtifact } from './errors.js';
import { RESERVED_TAG_PREFIX } from './tags.js';

/**
 * The database artifact: the execution input of the clone state machine.
 *
 * This schema is the single source of truth; `docs/artifact.schema.json` is
 * generated from it (`npm run schema`) and a test fails when the two drift.
 */

/** The artifact format version this code reads and writes. */
export const ARTIFACT_VERSION = 1;

/**
 * Longest clone identifier. RDS allows 63; a refresh names the new cluster's instances
 * `<cloneId>-<gen>-NN` (8 more characters) and the old cluster `<cloneId>-old`, and
 * the clone's schedules are `<cloneId>.warning` and `<cloneId>.refresh` (Scheduler allows 64).
 */
export const MAX_CLONE_ID_LENGTH = 50;

/** Most instances one clone may have (Aurora's limit is 15 per cluster: 1 writer + 15 readers). */
export const MAX_INSTANCES = 15;

const form = (expected: string) => ({ error: `expected ${expected}` });

const RDS_ID_FORM =
  '1 to 63 letters, digits or hyphens, starting with a letter, with no "--" and no trailing "-"';
const rdsIdentifier = (max: number) =>
  z
    .string(form(RDS_ID_FORM))
    .max(max, form(`at most ${max} characters`))
    .regex(RDS_IDENTIFIER_PATTERN, form(RDS_ID_FORM));

const CLUSTER_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[a-zA-Z][a-zA-Z0-9-]{0,62}$/;
const SNAPSHOT_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster-snapshot:[a-zA-Z][a-zA-Z0-9:-]{0,254}$/;
const SNAPSHOT_ID = /^[a-zA-Z][a-zA-Z0-9:-]{0,254}$/;
const SUBNET_ID = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const PARAMETER_GROUP = /^[a-zA-Z](?:[a-zA-Z0-9.]|-(?!-))*$/;

const sourceCluster = z
  .string(form('a DB cluster identifier or a DB cluster ARN'))
  .refine(
    (value) => CLUSTER_ARN.test(value) || isRdsIdentifier(value),
    form(
      'a DB cluster identifier (such as "legacy-prod") or a DB cluster ARN (arn:aws:rds:REGION:ACCOUNT:cluster:NAME)',
    ),
  );

const cidr = z
  .union([z.cidrv4(), z.cidrv6()], form('a CIDR block such as "10.0.0.0/16"'))
  .refine(
    (value) => !/\/0$/.test(value),
    form('a CIDR narrower than /0: a clone is never open to every address'),
  );

const restore = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('latest') }),
      z.strictObject({
        type: z.literal('point-in-time'),
        restoreTime: z.iso.datetime({
          offset: true,
          error: 'expected an ISO 8601 time such as "2026-11-20T06:00:00Z"',
        }),
      }),
      z.strictObject({
        type: z.literal('snapshot'),
        snapshotIdentifier: z
          .string(form('a DB cluster snapshot identifier or ARN'))
          .refine(
            (value) => SNAPSHOT_ID.test(value) || SNAPSHOT_ARN.test(value),
            form('a DB cluster snapshot identifier or ARN'),
          ),
      }),
    ],
    form(
      '"type" to be one of "latest", "point-in-time" (with restoreTime) or "snapshot" (with snapshotIdentifier)',
    ),
  )
  .default({ type: 'latest' })
  .describe(
    'How to read the source: its latest state (copy-on-write clone), a point in time (full copy), or a snapshot (full copy).',
  );

const parameterGroup = z
  .string(form('a parameter group name'))
  .max(255, form('a parameter group name of at most 255 characters'))
  .regex(PARAMETER_GROUP, form('a parameter group name (letters, digits, hyphens, starting with a letter)'))
  .optional();

const uniqueList = <T extends z.ZodType<string>>(item: T, what: string) =>
  z
    .array(item, form(`a list of ${what}`))
    .refine((items) => new Set(items).size === items.length, form(`${what} without repeats`));

const userTags = z
  .record(
    z
      .string()
      .min(1, form('tag keys of 1 to 128 characters'))
      .max(128, form('tag keys of 1 to 128 characters'))
      .refine(
        (key) => !key.startsWith(RESERVED_TAG_PREFIX),
        form(`tag keys not starting with "${RESERVED_TAG_PREFIX}" (reserved for the project's own tags)`),
      )
      .refine(
        (key) => !key.toLowerCase().startsWith('aws:'),
        form('tag keys not starting with "aws:" (reserved by AWS)'),
      ),
    z
      .string(form('a tag value (a string of up to 256 characters)'))
      .max(256, form('a tag value of up to 256 characters')),
    form('an object of tag keys to string values'),
  )
  .refine((tags) => Object.keys(tags).length <= 40, form('at most 40 tags (the project adds its own)'))
  .default({});

/** The artifact document schema. */
export const artifactSchema = z
  .strictObject(
    {
      $schema: z.string().optional().describe('Optional: a path or URL of the JSON schema, for editors.'),
      version: z.literal(
        ARTIFACT_VERSION,
        form(`version ${ARTIFACT_VERSION} (the artifact format this tool reads)`),
      ),
      source: z
        .strictObject(
          {
            clusterIdentifier: sourceCluster.describe(
              'The Aurora PostgreSQL cluster to clone: its identifier, or its ARN when shared from another account through AWS RAM.',
            ),
            restore,
          },
          form('an object with "clusterIdentifier"'),
        )
        .describe('The production cluster to copy.'),
      target: z
        .strictObject(
          {
            cloneName: rdsIdentifier(MAX_CLONE_ID_LENGTH)
              .optional()
              .describe(
                'The clone\'s cluster identifier. The deployment\'s prefix (default "dbaf-") is added when missing. Generated when omitted.',
              ),
            instanceClass: z
              .string(form('an instance class such as "db.r6g.large"'))
              .regex(INSTANCE_CLASS, form('an instance class such as "db.r6g.large"'))
              .describe("Instance class of every instance in the clone; unrelated to the source's."),
            instanceCount: z
              .int(form(`a whole number from 1 to ${MAX_INSTANCES}`))
              .min(1, form(`a whole number from 1 to ${MAX_INSTANCES}`))
              .max(MAX_INSTANCES, form(`a whole number from 1 to ${MAX_INSTANCES}`))
              .default(1)
              .describe('How many instances (one writer, the rest readers).'),
            subnets: z
              .union(
                [
                  z.literal('source'),
                  uniqueList(
                    z.string().regex(SUBNET_ID, form('subnet ids such as "subnet-0a1b2c3d"')),
                    'subnet ids',
                  ).min(2, form('at least two subnet ids, in different availability zones')),
                ],
                form('"source" or a list of two or more subnet ids'),
              )
              .default('source')
              .describe(
                '"source" to use the source\'s DB subnet group, or two or more subnet ids in different AZs.',
              ),
            securityGroupIds: uniqueList(
              z.string().regex(SECURITY_GROUP_ID, form('security group ids such as "sg-0a1b2c3d"')),
              'security group ids',
            )
              .max(5, form('at most 5 security group ids'))
              .default([])
              .describe('Security groups whose members may connect to the clone.'),
            allowedCidrs: uniqueList(cidr, 'CIDR blocks')
              .max(50, form('at most 50 CIDR blocks'))
              .default([])
              .describe(
                'Client networks that may connect; the deployment default applies when both lists are empty.',
              ),
            port: z
              .int(form('a port from 1150 to 65535'))
              .min(1150, form('a port from 1150 to 65535'))
              .max(65535, form('a port from 1150 to 65535'))
              .optional()
              .describe("The clone's port. Default: the source's."),
            dbClusterParameterGroupName: parameterGroup.describe(
              "DB cluster parameter group. Default: the source's.",
            ),
            dbParameterGroupName: parameterGroup.describe(
              "DB parameter group of the instances. Default: the source writer's.",
            ),
            tags: userTags.describe('Extra tags for every resource of the clone.'),
          },
          form('an object with at least "instanceClass"'),
        )
        .describe('What the clone looks like and who may reach it.'),
      lifecycle: z
        .strictObject(
          {
            ttl: z
              .string(form(DURATION_FORM))
              .refine((value) => parseDuration(value) !== undefined, form(DURATION_FORM))
              .optional()
              .describe(
                'How long the clone lives. Default and maximum come from the deployment (8h and 7d unless set).',
              ),
            owner: z
              .string(form('an owner name or e-mail of 1 to 128 characters'))
              .min(1, form('an owner name or e-mail of 1 to 128 characters'))
              .max(128, form('an owner name or e-mail of 1 to 128 characters'))
              .regex(
                /^[\p{L}\p{N}\s_.:/=+\-@]+$/u,
                form('letters, digits, spaces and _ . : / = + - @ (the characters AWS tags allow)'),
              )
              .optional()
              .describe('Who the clone is for; recorded in the dbaf:owner tag.'),
            finalSnapshot: z
              .boolean(form('true or false'))
              .default(false)
              .describe('Take a final snapshot when the clone is deleted. Default: no snapshot.'),
          },
          form('an object'),
        )
        .default({ finalSnapshot: false })
        .describe('When the clone goes away, and who owns it.'),
    },
    form('a JSON object with "version", "source" and "target"'),
  )
  .describe(
    'A database artifact: everything needed to make a disposable clone of an Aurora PostgreSQL cluster.',
  );

/**
 * The clone identifier a requested clone name gives: lower case (RDS lowers identifiers), with the
 * deployment's prefix added when it is missing. The CLI uses it to name the execution after the clone.
 */
export function cloneIdForName(name: string, prefix: string): string {
  const id = name.toLowerCase();
  const lowerPrefix = prefix.toLowerCase();
  return id.startsWith(lowerPrefix) ? id : `${lowerPrefix}${id}`;
}

/** An artifact as written by a person (defaults not yet applied). */
export type ArtifactDocument = z.input<typeof artifactSchema>;
/** An artifact after validation, with every default applied. */
export type Artifact = z.output<typeof artifactSchema>;

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function valueText(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line per zod issue: the field, the value given, the form expected. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (key) => `${pathText([...issue.path, key])}: unknown field; remove it or check its spelling`,
      );
    }
    const field = pathText(issue.path) || '(document)';
    // A bad record key: zod reports it on the value's path with the key check's issues nested.
    const message =
      issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    const expected = message.startsWith('expected ') ? message : `expected ${message}`;
    const value = issue.code === 'invalid_key' ? issue.path.at(-1) : valueAt(input, issue.path);
    if (value === undefined) return [`${field}: missing; ${expected}`];
    return [`${field}: ${valueText(value)} is not valid; ${expected}`];
  });
}

/**
 * Checks an artifact document and applies its defaults.
 *
 * @throws InvalidArtifact listing every problem at once, before any AWS call.
 */
export function parseArtifact(input: unknown): Artifact {
  const result = artifactSchema.safeParse(input);
  if (!result.success) throw new InvalidArtifact(describeIssues(result.error.issues, input));
  return result.data;
}
