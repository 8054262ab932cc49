import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENVIRONMENT } from '../../environment';
import { AccessDeniedException, ServiceError } from '../../jobs/shared/errors';
import type { RawRequest } from './raw-request';
import { toRawRequest } from './request';
import type { RequestLogSink } from './request-log';
import { errorResponse, jsonResponse } from './response';

export type RouteHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Wraps one operation as an API Gateway handler: parse the event, run the
 * operation, map its result or its error. Every response carries the request
 * ID; every request gets one line in the request log, when there is one.
 */
export function routeHandler(
  operation: string,
  run: (request: RawRequest) => Promise<object>,
  options: { maxBodyBytes?: number; requestLog?: RequestLogSink } = {},
): RouteHandler {
  return async (event) => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId ?? 'unknown';
    let request: RawRequest | undefined;
    let response: APIGatewayProxyStructuredResultV2;
    try {
      request = toRawRequest(event, options.maxBodyBytes);
      response = jsonResponse(200, await run(request), requestId);
    } catch (error) {
      log(operation, requestId, error, request);
      response = errorResponse(error, requestId);
    }
    options.requestLog?.({
      time: new Date(event.requestContext?.timeEpoch ?? Date.now()).toISOString(),
      level: 'info',
      operation,
      requestId,
      status: response.statusCode ?? 200,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      ...(event.pathParameters?.thingName ? { thingName: event.pathParameters.thingName } : {}),
      ...(event.pathParameters?.jobId ? { jobId: event.pathParameters.jobId } : {}),
    });
    return response;
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
    ...(denied && request
      ? { clientCertificateSubject: request.clientCertificateSubject ?? null, path: request.path }
      : {}),
    ...(!expected && error instanceof Error ? { stack: error.stack } : {}),
  };
  (denied ? console.warn : expected ? console.info : console.error)(JSON.stringify(line));
}

const describeCause = (cause: unknown): string =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
