import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteDefinition } from '../../lambdas/api/routes';

export interface EventParts {
  route?: Pick<RouteDefinition, 'method' | 'path'>;
  path?: Record<string, string>;
  query?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  requestId?: string;
  /** The verified client certificate's subject, as API Gateway passes it behind mutual TLS. */
  clientCertificateSubject?: string;
  /** Headers besides content-type (lower-case names, as API Gateway gives them). */
  headers?: Record<string, string>;
}

/** An API Gateway (payload 2.0) event, as Lambda hands one to a route's handler. */
export function gatewayEvent(parts: EventParts): APIGatewayProxyEventV2 {
  const method = parts.route?.method ?? 'GET';
  const rawPath = parts.route?.path ?? '/';
  return {
    version: '2.0',
    routeKey: parts.route ? `${method} ${rawPath}` : 'X',
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...parts.headers },
    ...(parts.path ? { pathParameters: parts.path } : {}),
    ...(parts.query ? { queryStringParameters: parts.query } : {}),
    requestContext: {
      requestId: parts.requestId ?? 'r1',
      http: { method, path: rawPath },
      ...(parts.clientCertificateSubject
        ? { authentication: { clientCert: { subjectDN: parts.clientCertificateSubject } } }
        : {}),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
    ...(parts.body !== undefined
      ? { body: typeof parts.body === 'string' ? parts.body : JSON.stringify(parts.body) }
      : {}),
    isBase64Encoded: false,
  };
}
