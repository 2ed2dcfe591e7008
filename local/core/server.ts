import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, failure, success, type WireError } from './answer.js';
import { AwsError, internalFailure, unknownAction } from './errors.js';
import type { Faults } from './faults.js';
import { decodeJson } from './json.js';
import { decodeQuery } from './query.js';
import { bindHttp, matchRoute, restRoutes } from './rest.js';
import { errorShape, operationSchemas } from './schemas.js';
import type { RequestContext, ServiceDefinition } from './service.js';

/** Answers the stand-in's own control API (`/_dbaf/...`): JSON in, JSON out. */
export type ControlHandler = (method: string, path: string, body: unknown) => Promise<unknown>;

/** What an {@link AwsServer} serves, and where its log lines go. */
export interface AwsServerOptions {
  readonly services: readonly ServiceDefinition[];
  readonly faults: Faults;
  readonly control: ControlHandler;
  /** One line per request (never bodies: they can hold passwords). */
  readonly log: (line: string) => void;
}

const MAX_BODY = 10 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new AwsError('RequestEntityTooLarge', 'The request body is larger than 10 MiB.', 413));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The SigV4 signing name in the Authorization header's credential scope. */
function signingName(request: IncomingMessage): string | undefined {
  const auth = request.headers.authorization ?? '';
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1];
}

/**
 * The HTTP front of the stand-in: finds the service a request is for (SigV4 scope,
 * `X-Amz-Target`, query `Version` or REST path), decodes it with the SDK's schemas,
 * applies injected faults, runs the operation and answers in the service's protocol.
 */
export class AwsServer {
  private server: Server | undefined;
  /** Calls answered, by `service:Action`, for benchmarks and tests. */
  readonly calls = new Map<string, number>();
  private readonly routes = new Map<ServiceDefinition, ReturnType<typeof restRoutes>>();

  constructor(private readonly options: AwsServerOptions) {
    for (const service of options.services) {
      if (service.protocol === 'rest-json') this.routes.set(service, restRoutes(service.sdk));
    }
  }

  /** Listens on `host:port` (port 0 picks a free one) and resolves with the bound port. */
  listen(host: string, port: number): Promise<number> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.options.log(`stand-in: request failed to answer: ${String(error)}`);
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  }

  /** Stops accepting connections and closes the open ones. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const requestId = randomUUID();
    let answer: Answer;
    try {
      const body = await readBody(request);
      if (url.pathname.startsWith('/_dbaf/')) {
        answer = await this.control(request.method ?? 'GET', url.pathname, body);
      } else {
        answer = await this.dispatch(request, url, body, requestId);
      }
    } catch (error) {
      answer = {
        status: error instanceof AwsError ? error.status : 500,
        body: JSON.stringify({
          __type: error instanceof AwsError ? error.code : 'InternalFailure',
          message: String(error),
        }),
        contentType: 'application/json',
      };
    }
    response.writeHead(answer.status, {
      'content-type': answer.contentType,
      'x-amzn-requestid': requestId,
      ...answer.headers,
    });
    response.end(answer.body);
  }

  private async control(method: string, path: string, body: string): Promise<Answer> {
    try {
      const parsed = body.trim() === '' ? undefined : JSON.parse(body);
      const result = await this.options.control(method, path, parsed);
      return { status: 200, body: JSON.stringify(result ?? {}), contentType: 'application/json' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 400, body: JSON.stringify({ message }), contentType: 'application/json' };
    }
  }

  private findService(request: IncomingMessage, url: URL, form: URLSearchParams | undefined) {
    const { services } = this.options;
    const scope = signingName(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    return (
      services.find((s) => s.id === scope) ??
      services.find((s) => s.targetPrefix && target.startsWith(`${s.targetPrefix}.`)) ??
      services.find((s) => s.version && s.version === form?.get('Version')) ??
      services.find((s) => matchRoute(this.routes.get(s) ?? [], request.method ?? 'GET', url.pathname))
    );
  }

  private async dispatch(
    request: IncomingMessage,
    url: URL,
    body: string,
    requestId: string,
  ): Promise<Answer> {
    const contentType = String(request.headers['content-type'] ?? '');
    const form = contentType.includes('x-www-form-urlencoded')
      ? new URLSearchParams(body)
      : url.searchParams.has('Action')
        ? url.searchParams
        : undefined;
    const service = this.findService(request, url, form);
    if (!service) {
      return {
        status: 400,
        body: JSON.stringify({
          message: `No service of the local stand-in answers ${request.method} ${url.pathname}.`,
        }),
        contentType: 'application/json',
      };
    }
    let action = '';
    try {
      const resolved = await this.decode(service, request, url, body, form);
      action = resolved.action;
      const key = `${service.id}:${action}`;
      this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
      const context: RequestContext = { requestId, service: service.id, action };
      await this.options.faults.before(service.id, action);
      const operation = service.operations[action];
      if (!operation) throw unknownAction(service.id, action);
      const output = await operation(resolved.input, context);
      this.options.log(`${service.id} ${action} 200`);
      return success(service, action, resolved.output, output, requestId);
    } catch (thrown) {
      const error = this.describeError(service, thrown);
      this.options.log(`${service.id} ${action || '?'} ${error.status} ${error.code}`);
      return failure(service, error, requestId);
    }
  }

  private async decode(
    service: ServiceDefinition,
    request: IncomingMessage,
    url: URL,
    body: string,
    form: URLSearchParams | undefined,
  ) {
    const method = request.method ?? 'GET';
    let action: string;
    let labels: Record<string, string> = {};
    if (service.protocol === 'query' || service.protocol === 'ec2') {
      if (!form?.get('Action'))
        throw new AwsError('MissingAction', 'The request must contain the parameter Action.');
      action = form.get('Action') ?? '';
    } else if (service.protocol === 'rest-json') {
      const route = matchRoute(this.routes.get(service) ?? [], method, url.pathname);
      if (!route)
        throw new AwsError(
          'UnknownOperationException',
          `No operation answers ${method} ${url.pathname}.`,
          404,
        );
      ({ action, labels } = route);
    } else {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (!target.includes('.')) throw new AwsError('MissingAction', 'The X-Amz-Target header is missing.');
      action = target.slice(target.indexOf('.') + 1);
    }
    const schemas = operationSchemas(service.sdk, action);
    if (!schemas || !service.operations[action]) {
      const code = service.protocol.startsWith('json') ? 'UnknownOperationException' : 'InvalidAction';
      throw unknownAction(service.id, action, code);
    }
    let input: unknown;
    if (form) input = decodeQuery(schemas.input, form, { ec2: service.protocol === 'ec2' });
    else input = await decodeJson(schemas.input, body, service.protocol === 'rest-json');
    if (service.protocol === 'rest-json') {
      input = bindHttp(
        schemas.input,
        input as Record<string, unknown>,
        labels,
        url.searchParams,
        request.headers,
      );
    }
    return { action, input, output: schemas.output };
  }

  private describeError(service: ServiceDefinition, thrown: unknown): WireError {
    if (thrown instanceof AwsError)
      return { code: thrown.code, message: thrown.message, status: thrown.status, fault: thrown.fault };
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const shape = errorShape(service.sdk, error.name);
    if (shape) return { ...shape, message: error.message };
    this.options.log(`${service.id}: unexpected error: ${error.stack ?? error.message}`);
    const failure = internalFailure();
    return { code: failure.code, message: failure.message, status: 500, fault: 'Receiver' as const };
  }
}
