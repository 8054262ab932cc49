import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorResponse, jsonResponse } from '../../lambdas/api/http/response';
import { AccessDeniedException } from '../../lambdas/jobs/shared/errors';

/**
 * Who may call the local runner: whatever addresses it by its own host and port, unless a web page of another origin
 * sent it. The runner checks no credentials, so without this any web page could drive it through the browser of
 * whoever runs it: write with simple requests a browser sends without asking (a no-cors POST with a text/plain body),
 * or read through a name of its own that it points at 127.0.0.1 (DNS rebinding).
 */
export interface OwnAddress {
  scheme: 'http' | 'https';
  /** The address the runner listens on (--host). */
  listenHost: string;
}

/** The names a client on this machine reaches any runner by. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
/** A listen address that is every interface: the runner is then reached by any of them. */
const EVERY_INTERFACE = new Set(['0.0.0.0', '::', '[::]']);
/** A Host header: a name or an IPv4 address, or an IPv6 one in brackets, and a port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/;

/** A name as a Host header writes it: lower case, an IPv6 address in brackets. */
const asHostName = (address: string) => {
  const name = address.toLowerCase();
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
};

/** The names the runner answers to: loopback, its --host, and each interface's address when it listens on all. */
function isOwnName(name: string, own: OwnAddress): boolean {
  if (LOOPBACK_NAMES.includes(name) || name === asHostName(own.listenHost)) return true;
  if (!EVERY_INTERFACE.has(own.listenHost)) return false;
  // Read at each request: an interface may come up (or get another address) while the runner runs. Link-local IPv6
  // addresses need a zone, which no Host header carries.
  return Object.values(networkInterfaces()).some((addresses) =>
    addresses?.some((address) => !address.scopeid && asHostName(address.address) === name),
  );
}

/** The host and port a request is addressed to (its Host header), if it names one plainly. */
function addressedTo(headers: IncomingHttpHeaders, own: OwnAddress): { name: string; port: number } | undefined {
  const match = HOST_HEADER.exec((headers.host ?? '').toLowerCase());
  if (!match) return undefined;
  return { name: match[1]!, port: match[2] ? Number(match[2]) : own.scheme === 'https' ? 443 : 80 };
}

/** Whether `origin` (an Origin header) is the origin of the address the request went to: scheme, name and port. */
function isOrigin(origin: string, own: OwnAddress, addressed: { name: string; port: number }): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null`: a sandboxed frame, a file, a redirect across origins
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return url.protocol === `${own.scheme}:` && url.hostname === addressed.name && port === addressed.port;
}

/**
 * The answer to a request the runner refuses before any route sees it, or undefined for one it serves:
 * - 421 Misdirected Request, as `npm run dashboard` answers, for a Host that is not the runner's own name and the port
 *   it came in on (`localPort`): a name that resolves here is not enough;
 * - 403 AccessDeniedException, as the AWS clients read an error, for a request a browser sent on behalf of a page of
 *   another origin: an Origin other than the runner's own (its dashboard's, which calls the API), or, where a browser
 *   sends none (a GET), a Sec-Fetch-Site of another site. The AWS SDKs and CLI send neither.
 * No CORS header is ever added: no other origin may read an answer.
 */
export function refusalOf(
  headers: IncomingHttpHeaders,
  localPort: number,
  own: OwnAddress,
): APIGatewayProxyStructuredResultV2 | undefined {
  const addressed = addressedTo(headers, own);
  if (!addressed || addressed.port !== localPort || !isOwnName(addressed.name, own))
    return jsonResponse(
      421,
      {
        message:
          'Misdirected Request: the local runner answers only requests addressed to its own host and port (127.0.0.1, localhost, [::1] or its --host)',
      },
      randomUUID(),
    );
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  if ((origin !== undefined && !isOrigin(origin, own, addressed)) || site === 'cross-site' || site === 'same-site')
    return errorResponse(
      new AccessDeniedException(
        'A web page of another origin sent this request: the local runner serves only its own pages, and clients that send no Origin (the AWS SDKs and CLI)',
      ),
      randomUUID(),
    );
  return undefined;
}
