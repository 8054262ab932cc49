import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RawRequest } from './raw-request';
import { ENVIRONMENT } from '../../environment';
import { AccessDeniedException, ServiceError } from '../../jobs/shared/errors';
import { toRawRequest } from './request';
import { errorResponse, jsonResponse } from './response';

export type RouteHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Wraps one operation as an API Gateway handler: parse the event, run the
 * operation, map its result or its error. Every response carries the request ID.
 */
export function routeHandler(operation: string, run: (request: RawRequest) => Promise<object>, options: { maxBodyBytes?: number } = {}): RouteHandler {
  return async (event) => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    let request: RawRequest | undefined;
    try {
      request = toRawRequest(event, options.maxBodyBytes);
      return jsonResponse(200, await run(request), requestId);
    } catch (error) {
      log(operation, requestId, error, request);
      return errorResponse(error, requestId);
    }
  };
}

/** One JSON line per failed request; full detail only for unexpected errors, which the response hides. */
function log(operation: string, requestId: string, error: unknown, request?: RawRequest): void {
  const expected = error instanceof ServiceError;
  // A refused identity is logged always, with who tried what: it may be an attack.
  const denied = error instanceof AccessDeniedException;
  if (expected && !denied && process.env[ENVIRONMENT.logLevel] === 'error') return;
  const line = {
    level: denied ? 'warn' : expected ? 'info' : 'error',
    operation,
    requestId,
    error: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
    // What lay under it (DynamoDB's own error under a 503): for the operator, never in the response.
    ...(error instanceof Error && error.cause !== undefined ? { cause: describeCause(error.cause) } : {}),
    ...(denied && request ? { clientCertificateSubject: request.clientCertificateSubject ?? null, path: request.path } : {}),
    ...(!expected && error instanceof Error ? { stack: error.stack } : {}),
  };
  (denied ? console.warn : expected ? console.info : console.error)(JSON.stringify(line));
}

const describeCause = (cause: unknown): string => (cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));
