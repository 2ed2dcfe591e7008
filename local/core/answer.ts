import { encodeJson } from './json.js';
import { encodeQueryError, encodeQueryResponse } from './query.js';
import type { ServiceDefinition } from './service.js';

// How the stand-in's HTTP front encodes an operation's answer, or its error, in the protocol of
// the service it came from.

/** An error as the wire carries it. */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';
}

/** An HTTP answer, before it is written. */
export interface Answer {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

/** Whether a service speaks XML (the query protocols) rather than JSON. */
function speaksXml(service: ServiceDefinition): boolean {
  return service.protocol === 'query' || service.protocol === 'ec2';
}

/** The XML options of a query-protocol service. */
function xmlOptionsOf(service: ServiceDefinition) {
  return { namespace: service.xmlNamespace ?? '', ec2: service.protocol === 'ec2' };
}

/** An operation's answer, encoded in its service's protocol. */
export function success(
  service: ServiceDefinition,
  action: string,
  schema: Parameters<typeof encodeJson>[0],
  output: unknown,
  requestId: string,
): Answer {
  if (speaksXml(service)) {
    const body = encodeQueryResponse(action, schema, output, requestId, xmlOptionsOf(service));
    return { status: 200, body, contentType: 'text/xml' };
  }
  return {
    status: 200,
    body: encodeJson(schema, output, service.protocol === 'rest-json'),
    contentType:
      service.protocol === 'rest-json'
        ? 'application/json'
        : `application/x-amz-${service.protocol.replace('.', '-')}`,
  };
}

/** An error, encoded as its service's protocol sends errors. */
export function failure(service: ServiceDefinition, error: WireError, requestId: string): Answer {
  if (speaksXml(service)) {
    return {
      status: error.status,
      body: encodeQueryError(error, requestId, xmlOptionsOf(service)),
      contentType: 'text/xml',
    };
  }
  const payload = JSON.stringify({ __type: error.code, message: error.message, Message: error.message });
  return {
    status: error.status,
    body: payload,
    contentType: service.protocol === 'rest-json' ? 'application/json' : 'application/x-amz-json-1.1',
    headers: { 'x-amzn-errortype': error.code },
  };
}
