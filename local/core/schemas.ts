import { NormalizedSchema } from '@smithy/core/schema';

/** An operation schema as the SDK stores it: `[9, namespace, name, traits, input, output]`. */
type OperationTuple = [number, string, string, Record<string, unknown>, unknown, unknown];

/** The input and output schemas of an action, from the SDK module's `<Action>$` export. */
export interface OperationSchemas {
  readonly name: string;
  readonly traits: Record<string, unknown>;
  readonly input: NormalizedSchema;
  readonly output: NormalizedSchema;
}

function resolve(ref: unknown): unknown {
  return typeof ref === 'function' ? (ref as () => unknown)() : ref;
}

/** The schemas of `action` in `sdk`, or undefined when the SDK has no such operation. */
export function operationSchemas(sdk: Record<string, unknown>, action: string): OperationSchemas | undefined {
  const tuple = sdk[`${action}$`];
  if (!Array.isArray(tuple) || tuple[0] !== 9) return undefined;
  const [, , name, traits, input, output] = tuple as OperationTuple;
  return {
    name,
    traits: traits ?? {},
    input: NormalizedSchema.of(resolve(input) as never),
    output: NormalizedSchema.of(resolve(output) as never),
  };
}

/** Every operation the SDK module describes, by action name. */
export function allOperations(sdk: Record<string, unknown>): Map<string, OperationSchemas> {
  const found = new Map<string, OperationSchemas>();
  for (const key of Object.keys(sdk)) {
    if (!key.endsWith('$')) continue;
    const schemas = operationSchemas(sdk, key.slice(0, -1));
    if (schemas) found.set(key.slice(0, -1), schemas);
  }
  return found;
}

/** Code and HTTP status of an SDK exception, read from its error schema's traits. */
export interface ErrorShape {
  readonly code: string;
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';
}

/** The wire code and status of the SDK exception named `name`, when `sdk` models it. */
export function errorShape(sdk: Record<string, unknown>, name: string): ErrorShape | undefined {
  const tuple = sdk[`${name}$`];
  if (!Array.isArray(tuple) || tuple[0] !== -3) return undefined;
  const traits = (tuple[3] ?? {}) as { awsQueryError?: [string, number]; error?: string; httpError?: number };
  const fault = traits.error === 'server' ? 'Receiver' : 'Sender';
  if (traits.awsQueryError) {
    const [code, status] = traits.awsQueryError;
    return { code, status, fault };
  }
  return { code: name, status: traits.httpError ?? (fault === 'Receiver' ? 500 : 400), fault };
}
