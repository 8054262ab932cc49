import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { APIGatewayEventClientCertificate, APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteDefinition } from '../../lambdas/api/routes';

/**
 * The verified client certificate as API Gateway hands it over (subject as `CN=t1,O=Acme`), if the connection has one:
 * for HTTP and MQTT alike.
 */
export function clientCertificateOf(socket: TLSSocket): APIGatewayEventClientCertificate | undefined {
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
  const peer = socket.getPeerCertificate();
  if (!peer?.subject) return undefined;
  // RFC 4514: special characters anywhere, and a leading or trailing space, are escaped.
  const escapeDnValue = (value: string) => value.replace(/([,\\+"<>;=])/g, '\\$1').replace(/^ | $/g, '\\ ');
  const dn = (names: object) =>
    Object.entries(names as Record<string, string | string[]>)
      .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}=${escapeDnValue(v)}`))
      .join(',');
  return {
    clientCertPem: `-----BEGIN CERTIFICATE-----\n${peer.raw.toString('base64')}\n-----END CERTIFICATE-----`,
    subjectDN: dn(peer.subject),
    issuerDN: dn(peer.issuer),
    serialNumber: peer.serialNumber,
    validity: { notBefore: peer.valid_from, notAfter: peer.valid_to },
  };
}

/** What a local adapter (HTTP, MQTT) knows of a request, for the API Gateway (payload 2.0) event of it. */
export interface GatewayRequest {
  route: RouteDefinition;
  apiId: string;
  method: string;
  path: string;
  rawQueryString: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  pathParameters: Record<string, string>;
  protocol: string;
  sourceIp: string;
  clientCert?: APIGatewayEventClientCertificate;
  body?: string;
}

/**
 * The API Gateway (payload 2.0) event Lambda would get for the request: what every local adapter hands the route
 * handlers.
 */
export function gatewayEvent(request: GatewayRequest): APIGatewayProxyEventV2 {
  const routeKey = `${request.route.method} ${request.route.path}`;
  const now = new Date();
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    ...(Object.keys(request.query).length ? { queryStringParameters: request.query } : {}),
    ...(Object.keys(request.pathParameters).length ? { pathParameters: request.pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: request.apiId,
      domainName: request.headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method,
        path: request.path,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      ...(request.clientCert ? { authentication: { clientCert: request.clientCert } } : {}),
      ...iamAuthorizerOf(request),
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}

/**
 * What API Gateway's IAM authorizer puts in the event of a management
 * request: here only the access key ID the request was signed with (the
 * signature itself is not checked locally, and no account knows its ARN).
 */
function iamAuthorizerOf(request: GatewayRequest): { authorizer?: { iam: { accessKey: string } } } {
  if (request.route.api !== 'management') return {};
  const accessKey = /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1];
  return accessKey ? { authorizer: { iam: { accessKey } } } : {};
}
