import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { InternalFailureException, ServiceError } from '../../jobs/shared/errors';

export function jsonResponse(
  statusCode: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId, ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The single mapping from errors to restJson1 error responses: status code,
 * `x-amzn-ErrorType`, and a body with `message` (plus any members the error
 * carries). Anything that is not a ServiceError is a bug: it becomes a fixed
 * 500 so no internals leak.
 */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  const serviceError = error instanceof ServiceError ? error : new InternalFailureException();
  return jsonResponse(
    serviceError.statusCode,
    { message: serviceError.message, ...serviceError.extraBody },
    requestId,
    {
      'x-amzn-ErrorType': serviceError.name,
    },
  );
}
