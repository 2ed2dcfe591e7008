import { JsonCodec } from '@smithy/core/protocols';
import type { NormalizedSchema } from '@smithy/core/schema';
import { AwsError } from './errors.js';

/**
 * The JSON protocols (awsJson1_0, awsJson1_1, restJson1) through the SDK's own codec:
 * timestamps travel as epoch seconds, blobs as base64, exactly as the clients expect.
 */
const codec = (jsonName: boolean) =>
  new JsonCodec({ timestampFormat: { useTrait: true, default: 7 }, jsonName });

/** The input object of an action from a parsed JSON body. */
export async function decodeJson(
  schema: NormalizedSchema,
  body: string,
  restJson: boolean,
): Promise<unknown> {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  }
  return codec(restJson)
    .createDeserializer()
    .readObject(schema, parsed as never);
}

/** The JSON text of an action's output. */
export function encodeJson(schema: NormalizedSchema, output: unknown, restJson: boolean): string {
  if (!schema.isStructSchema()) return '{}';
  const serializer = codec(restJson).createSerializer();
  serializer.write(schema, output ?? {});
  const text = serializer.flush();
  return typeof text === 'string' && text !== '' ? text : '{}';
}
