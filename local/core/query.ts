import { XmlShapeSerializer } from '@aws-sdk/core/protocols';
import type { NormalizedSchema } from '@smithy/core/schema';
import { AwsError } from './errors.js';

/**
 * The awsQuery and ec2Query protocols (RDS, EC2, STS): form-encoded requests, XML answers.
 *
 * Decoding is the exact inverse of the SDK's `QueryShapeSerializer` (member names from
 * `xmlName` / `ec2QueryName`, lists as `Name.member.N` or flattened `Name.N`, maps as
 * `Name.entry.N.key`), so whatever the SDK or the AWS CLI sends arrives as the input
 * object the SDK was given.
 */
export interface QueryDialect {
  /** ec2Query: capitalised keys, every list flattened. */
  readonly ec2: boolean;
}

function key(dialect: QueryDialect, memberName: string, traits: Record<string, string>, struct: boolean) {
  if (dialect.ec2 && traits.ec2QueryName) return traits.ec2QueryName;
  const name = traits.xmlName ?? memberName;
  return dialect.ec2 && struct ? name.charAt(0).toUpperCase() + name.slice(1) : name;
}

/** The set of every dotted prefix of the parameter names, to know which members were sent. */
function prefixes(params: Map<string, string>): Set<string> {
  const all = new Set<string>();
  for (const name of params.keys()) {
    const parts = name.split('.');
    for (let i = 1; i <= parts.length; i += 1) all.add(parts.slice(0, i).join('.'));
  }
  return all;
}

function scalar(schema: NormalizedSchema, text: string, name: string): unknown {
  if (schema.isBooleanSchema()) {
    if (text !== 'true' && text !== 'false') {
      throw new AwsError(
        'InvalidParameterValue',
        `Value (${text}) for parameter ${name} is invalid: not a boolean.`,
      );
    }
    return text === 'true';
  }
  if (schema.isNumericSchema()) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new AwsError(
        'InvalidParameterValue',
        `Value (${text}) for parameter ${name} is invalid: not a number.`,
      );
    }
    return value;
  }
  if (schema.isTimestampSchema()) {
    const value = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
    if (Number.isNaN(value.getTime())) {
      throw new AwsError(
        'InvalidParameterValue',
        `Value (${text}) for parameter ${name} is not a valid timestamp.`,
      );
    }
    return value;
  }
  return text;
}

function read(
  schema: NormalizedSchema,
  params: Map<string, string>,
  sent: Set<string>,
  prefix: string,
  dialect: QueryDialect,
): unknown {
  if (schema.isListSchema()) {
    if (params.get(prefix) === '') return [];
    const member = schema.getValueSchema();
    const flat = dialect.ec2 || Boolean(schema.getMergedTraits().xmlFlattened);
    const memberKey = key(dialect, 'member', member.getMergedTraits() as Record<string, string>, false);
    const items: unknown[] = [];
    for (let i = 1; ; i += 1) {
      const itemKey = flat ? `${prefix}.${i}` : `${prefix}.${memberKey}.${i}`;
      if (!sent.has(itemKey)) break;
      items.push(read(member, params, sent, itemKey, dialect));
    }
    return items;
  }
  if (schema.isMapSchema()) {
    const flat = Boolean(schema.getMergedTraits().xmlFlattened);
    const map: Record<string, unknown> = {};
    for (let i = 1; ; i += 1) {
      const entry = flat ? `${prefix}.${i}` : `${prefix}.entry.${i}`;
      if (!sent.has(entry)) break;
      map[params.get(`${entry}.key`) ?? ''] = read(
        schema.getValueSchema(),
        params,
        sent,
        `${entry}.value`,
        dialect,
      );
    }
    return map;
  }
  if (schema.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [memberName, member] of schema.structIterator()) {
      const name = key(dialect, memberName, member.getMergedTraits() as Record<string, string>, true);
      const memberKey = prefix ? `${prefix}.${name}` : name;
      if (sent.has(memberKey)) out[memberName] = read(member, params, sent, memberKey, dialect);
    }
    return out;
  }
  return scalar(schema, params.get(prefix) ?? '', prefix);
}

/** The input object of an action from its form parameters (`Action` and `Version` excluded). */
export function decodeQuery(
  schema: NormalizedSchema,
  params: URLSearchParams,
  dialect: QueryDialect,
): unknown {
  const map = new Map([...params.entries()].filter(([name]) => name !== 'Action' && name !== 'Version'));
  return read(schema, map, prefixes(map), '', dialect);
}

/** The XML body of a successful answer: `<ActionResponse><ActionResult>...` (EC2: no Result level). */
export function encodeQueryResponse(
  action: string,
  schema: NormalizedSchema,
  output: unknown,
  requestId: string,
  options: { namespace: string; ec2: boolean },
): string {
  const serializer = new XmlShapeSerializer({
    xmlNamespace: options.namespace,
    timestampFormat: { useTrait: true, default: 5 },
    httpBindings: false,
  } as never);
  let inner = '';
  if (schema.isStructSchema() && [...schema.structIterator()].length > 0) {
    serializer.write(schema, output ?? {});
    const node = (serializer as unknown as { buffer: XmlNodeLike }).buffer;
    node.withName(options.ec2 ? 'inner' : `${action}Result`);
    if (node.attributes) delete node.attributes.xmlns;
    inner = node.toString();
    // EC2 puts the members directly under the response element.
    if (options.ec2)
      inner = inner
        .replace(/^<inner>/, '')
        .replace(/<\/inner>$/, '')
        .replace(/^<inner\/>$/, '');
  }
  const ns = `xmlns="${options.namespace}"`;
  if (options.ec2) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response ${ns}><requestId>${requestId}</requestId>${inner}</${action}Response>`;
  }
  return `<${action}Response ${ns}>${inner}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

interface XmlNodeLike {
  attributes?: Record<string, unknown>;
  withName(name: string): XmlNodeLike;
  toString(): string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The XML body of an error answer, in the query or the EC2 layout. */
export function encodeQueryError(
  error: { code: string; message: string; fault: 'Sender' | 'Receiver' },
  requestId: string,
  options: { namespace: string; ec2: boolean },
): string {
  const code = escapeXml(error.code);
  const message = escapeXml(error.message);
  if (options.ec2) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  }
  return `<ErrorResponse xmlns="${options.namespace}"><Error><Type>${error.fault}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
