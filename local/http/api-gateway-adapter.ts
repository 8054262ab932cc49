import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { answerUnsupported } from '../../lambdas/api/handlers/unsupported-operation';
import { errorResponse } from '../../lambdas/api/http/response';
import type { RouteHandler } from '../../lambdas/api/http/route-handler';
import type { RouteDefinition } from '../../lambdas/api/routes';
import { InvalidRequestException } from '../../lambdas/jobs/shared/errors';
import type { LocalHandler } from '../clock/clock-control';
import { clientCertificateOf, gatewayEvent } from './gateway-event';
import { type OwnAddress, refusalOf } from './own-origin';

/** API Gateway's own payload ceiling; the handlers apply the service's tighter one. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface MountedRoute {
  route: RouteDefinition;
  handler: RouteHandler;
}

interface Match {
  mounted: MountedRoute;
  pathParameters: Record<string, string>;
}

/**
 * Matches like an HTTP API: segment by segment, `{label}` takes one segment,
 * literal segments win over labels. Labels are handed over percent-decoded.
 */
export function matchRoute(routes: readonly MountedRoute[], method: string, rawPath: string): Match | undefined {
  const segments = rawPath.split('/').slice(1);
  let best: { match: Match; literals: number } | undefined;
  for (const mounted of routes) {
    if (mounted.route.method !== method) continue;
    const template = mounted.route.path.split('/').slice(1);
    if (template.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    let literals = 0;
    const fits = template.every((part, i) => {
      const segment = segments[i] ?? '';
      const label = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!label) return part === segment && ++literals > 0;
      if (segment === '') return false;
      pathParameters[label] = decodeURIComponent(segment);
      return true;
    });
    if (fits && (!best || literals > best.literals)) best = { match: { mounted, pathParameters }, literals };
  }
  return best?.match;
}

/** What an API server is besides its routes. */
export interface ApiServerOptions {
  apiId: string;
  /** The address it listens on (--host): a request must be addressed to it (own-origin.ts). */
  host: string;
  /** Paths the runner serves itself (the local-only clock control); they see no API route. */
  localHandler?: LocalHandler;
  tls?: MutualTlsOptions;
  /** Files served on GET before any route (the dashboard's page). */
  files?: FileHandler;
}

/**
 * An HTTP server that turns requests into API Gateway (payload 2.0) events for
 * the very handlers Lambda runs. A request not addressed to the runner, or sent
 * by a web page of another origin, is refused first (own-origin.ts). Then
 * `files` (GET only) and `localHandler` may claim paths (the dashboard's page;
 * the local-only clock control); they see no API route.
 */
export function createApiServer(routes: readonly MountedRoute[], options: ApiServerOptions): Server {
  const { apiId, localHandler, tls, files } = options;
  const own: OwnAddress = { scheme: tls ? 'https' : 'http', listenHost: options.host };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusalOf(req.headers, req.socket.localPort ?? 0, own);
    if (refused) {
      req.resume(); // its body is not read, but drained, so the answer is not cut off by a reset
      return send(res, refused.statusCode ?? 403, refused.headers ?? {}, refused.body ?? '');
    }
    serveFile(req, res, files)
      .then((served) => (served ? undefined : handle(routes, apiId, req, res, localHandler)))
      .catch((error: unknown) => {
        console.error(JSON.stringify({ level: 'error', message: 'local adapter failure', error: String(error) }));
        if (!res.headersSent)
          send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Internal Server Error' }));
      });
  };
  // Mutual TLS as API Gateway does it: a client without a certificate from the truststore's CA never gets past the
  // handshake.
  const server = tls
    ? createHttpsServer(
        { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true },
        listener,
      )
    : createServer(listener);
  // Node closes a kept-alive connection after 5 s idle; a client that sends on it as it closes reads ECONNRESET (the
  // AWS SDKs keep sockets without an idle limit of their own). API Gateway keeps idle connections far longer.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  return server;
}

/** How long an idle kept-alive connection stays open (API Gateway's idle timeout is minutes, not seconds). */
const KEEP_ALIVE_MS = 120_000;

/**
 * Files served beside the API on GET (the dashboard's page): the file for a path, or undefined for a path that is not
 * one.
 */
export type FileHandler = (
  pathname: string,
) => Promise<{ statusCode: number; headers: Record<string, string>; body: Buffer | string } | undefined>;

async function serveFile(req: IncomingMessage, res: ServerResponse, files: FileHandler | undefined): Promise<boolean> {
  if (!files || req.method !== 'GET') return false;
  const file = await files(new URL(req.url ?? '/', 'http://localhost').pathname);
  if (!file) return false;
  res.writeHead(file.statusCode, file.headers).end(file.body);
  return true;
}

/** The server's own key and certificate, and the CA bundle that client certificates must chain to. */
export interface MutualTlsOptions {
  key: Buffer;
  cert: Buffer;
  ca: Buffer;
}

async function handle(
  routes: readonly MountedRoute[],
  apiId: string,
  req: IncomingMessage,
  res: ServerResponse,
  localHandler?: LocalHandler,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  const gatewayHeaders = { 'content-type': 'application/json', 'x-amzn-RequestId': randomUUID() };
  if (body === 'too-large')
    return send(res, 413, gatewayHeaders, JSON.stringify({ message: 'Request Entity Too Large' }));

  const local = await localHandler?.(method, url.pathname, body);
  if (local) return send(res, local.statusCode, gatewayHeaders, JSON.stringify(local.body));

  let match: Match | undefined;
  try {
    match = matchRoute(routes, method, url.pathname);
  } catch {
    // A malformed percent-escape in a path label.
    const response = errorResponse(
      new InvalidRequestException('path: contains an invalid percent-encoding'),
      gatewayHeaders['x-amzn-RequestId'],
    );
    return send(res, response.statusCode ?? 400, response.headers ?? {}, response.body ?? '');
  }
  // What the deployed API's catch-all route answers for a path no route takes: an AWS operation we lack, by name; else
  // API Gateway's 404.
  if (!match) {
    const api = routes[0]?.route.api;
    if (!api) return send(res, 404, gatewayHeaders, JSON.stringify({ message: 'Not Found' }));
    const unmatched = {
      rawPath: url.pathname,
      requestContext: { requestId: gatewayHeaders['x-amzn-RequestId'], http: { method } },
    } as unknown as APIGatewayProxyEventV2;
    const answer = await answerUnsupported(api)(unmatched);
    return send(res, answer.statusCode ?? 404, answer.headers ?? {}, answer.body ?? '');
  }

  const event = toEvent(req, url, method, body, match, apiId);
  const result = await match.mounted.handler(event);
  send(res, result.statusCode ?? 200, result.headers ?? {}, result.body ?? '');
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  body: Buffer,
  match: Match,
  apiId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const clientCert = clientCertificateOf(req.socket as TLSSocket);
  return gatewayEvent({
    route: match.mounted.route,
    apiId,
    method,
    path: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    query,
    headers,
    pathParameters: match.pathParameters,
    protocol: `HTTP/${req.httpVersion}`,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    ...(clientCert ? { clientCert } : {}),
    ...(body.length ? { body: body.toString('utf8') } : {}),
  });
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number | boolean>,
  body: string,
): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
