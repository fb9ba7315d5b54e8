/**
 * AWS SDK clients that answer on this machine and count what they send: a middleware records
 * each request (one per HTTP attempt) with its billed units, and a custom `requestHandler`
 * answers it from fake data in the service's wire protocol. The SDK's own serializers and
 * deserializers run, so pagination and batching are exactly what the code under test does.
 */
import type { DeserializeMiddleware, MiddlewareStack } from '@smithy/types';

export interface ApiCall {
  service: string;
  operation: string;
  /** What the call is billed by: 1 per request, or e.g. metrics requested for GetMetricData. */
  units: number;
}

export class CallLog {
  readonly calls: ApiCall[] = [];

  requests(service: string, operation: string): number {
    return this.calls.filter((c) => c.service === service && c.operation === operation).length;
  }

  units(service: string, operation: string): number {
    return this.calls
      .filter((c) => c.service === service && c.operation === operation)
      .reduce((sum, c) => sum + c.units, 0);
  }
}

/** Billed units of a request from its input; 1 unless the price is per item. */
export type UnitsOf = (operation: string, input: Record<string, unknown>) => number;

/** Adds the counting middleware, closest to the wire (after retries), to a client's stack. */
export function recordCalls<I extends object, O extends object>(
  stack: MiddlewareStack<I, O>,
  service: string,
  log: CallLog,
  unitsOf: UnitsOf = () => 1,
): void {
  const middleware: DeserializeMiddleware<I, O> = (next, context) => async (args) => {
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    log.calls.push({
      service,
      operation,
      units: unitsOf(operation, args.input as Record<string, unknown>),
    });
    return next(args);
  };
  stack.add(middleware, { step: 'deserialize', name: 'benchRecordCalls', priority: 'low' });
}

interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** What a fake service answers: the operation's output as a plain object. */
export type Answer = (operation: string, input: Record<string, unknown>) => unknown;

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  // TextDecoder, not Buffer.from: the SDK's JSON body is a Uint8Array subclass whose valueOf
  // (which Buffer.from calls) logs a deprecation warning.
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return '';
}

/** AWS JSON protocols send and expect timestamps as epoch seconds. */
function toWireJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

/**
 * A request handler for the AWS JSON protocols (CloudWatch and Step Functions use 1.0, SSM
 * 1.1): the operation is the `X-Amz-Target` header's suffix, input and output are JSON.
 */
export function jsonProtocolHandler(answer: Answer, version: '1.0' | '1.1') {
  return {
    async handle(request: WireRequest) {
      const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '';
      const operation = target.slice(target.lastIndexOf('.') + 1);
      const input = JSON.parse(bodyText(request.body) || '{}') as Record<string, unknown>;
      const output = await answer(operation, input);
      return {
        response: {
          statusCode: 200,
          headers: {
            'content-type': `application/x-amz-json-${version}`,
            'x-amzn-requestid': 'bench-request',
          },
          body: Buffer.from(toWireJson(output)),
        },
      };
    },
  };
}

/**
 * An S3 endpoint that accepts every PutObject and DeleteObject, and holds no object: a GET (the
 * Post step's delivery record) answers NoSuchKey.
 */
export function s3PutHandler() {
  return {
    async handle(request: WireRequest) {
      if (request.method === 'GET') {
        return {
          response: {
            statusCode: 404,
            headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'bench-request' },
            body: Buffer.from('<Error><Code>NoSuchKey</Code><Message>none</Message></Error>'),
          },
        };
      }
      if (request.method !== 'PUT' && request.method !== 'DELETE') {
        throw new Error(`fake S3: unexpected ${request.method}`);
      }
      return {
        response: {
          statusCode: 200,
          headers: { etag: '"bench"', 'x-amz-request-id': 'bench-request' },
          body: Buffer.alloc(0),
        },
      };
    },
  };
}

/** Static credentials for clients that never leave this machine. */
export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIABENCHFAKE0000000',
  secretAccessKey: 'bench-secret-access-key-not-real-000000000',
};
