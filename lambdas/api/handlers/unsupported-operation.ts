import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENVIRONMENT } from '../../environment';
import { InvalidRequestException } from '../../jobs/shared/errors';
import { errorResponse, jsonResponse } from '../http/response';
import type { ApiName } from '../route-definition';
import { awsOperationAt } from '../unsupported-operation';

/**
 * The API's catch-all route (`ANY /{proxy+}`, below every real route): an
 * AWS operation this service does not implement is refused by name, with a
 * 400 a client does not retry; any other path gets API Gateway's own 404.
 */
export function answerUnsupported(
  api: ApiName,
): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> {
  return (event) => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = event.rawPath ?? '/';
    const operation = awsOperationAt(api, method, path);
    if (!operation) return Promise.resolve(jsonResponse(404, { message: 'Not Found' }, requestId));
    return Promise.resolve(
      errorResponse(
        new InvalidRequestException(
          `${operation} (${method} ${path}) is not an operation this service implements; ` +
            `docs/api.md lists those it does`,
        ),
        requestId,
      ),
    );
  };
}

/** Deployed: the stack tells each API's catch-all function which API it serves. */
export const handler = (event: APIGatewayProxyEventV2) =>
  answerUnsupported(process.env[ENVIRONMENT.apiName] === 'device' ? 'device' : 'management')(event);
