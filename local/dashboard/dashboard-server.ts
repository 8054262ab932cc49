import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DASHBOARD_PATH, dashboardFile } from './site-files';

/** A call of the management API, by method, path and query, and body (signed for a deployed stack). */
export type ManagementCall = (method: string, pathAndQuery: string, body?: Buffer) => Promise<Response>;

/** The methods the page's actions use: the management API's writes. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Far more than any CreateJob (a document is at most 32 KB, targets 100 ARNs): a bigger body is not the page's. */
const MAX_BODY_BYTES = 1024 * 1024;
/** What of the API's answer the page reads besides its body: how AWS names an error, and the request it was. */
const FORWARDED_HEADERS = ['content-type', 'x-amzn-errortype', 'x-amzn-requestid', 'date'];

/**
 * Why a request did not come from the dashboard's own page, or undefined when it did. A browser sends an Origin with
 * every write, and Sec-Fetch-Site with every request; a page of another origin cannot forge either, nor make the
 * browser send a write without its Origin. A write with no Origin (curl, a script) is not the page's either.
 */
function notFromOwnPage(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site: ${site}`;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) return `Origin ${origin}`;
  if (WRITES.has(req.method ?? '') && origin === undefined) return 'a write with no Origin';
  return undefined;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const refuse = (status: number, message: string, errorType?: string) => ({
  status,
  headers: { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}) },
  body: JSON.stringify({ message }),
});

/**
 * The dashboard for a management API elsewhere (a deployed stack): its page,
 * and every other request forwarded to that API by `call` (which signs it
 * with the operator's credentials, so IAM decides what the page may do). On
 * 127.0.0.1 only. A request naming another host is refused (421), so a web
 * page elsewhere cannot reach it by DNS rebinding; one a page of another
 * origin had the browser send is refused (403), and a write is forwarded only
 * with the dashboard's own Origin, so only its page acts, never a link or a
 * form elsewhere. Its files may not be framed by another page.
 */
export async function startDashboardServer(
  call: ManagementCall,
  port: number,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const own = [
        `127.0.0.1:${(server.address() as AddressInfo).port}`,
        `localhost:${(server.address() as AddressInfo).port}`,
      ];
      if (!own.includes(req.headers.host ?? ''))
        return res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      const method = req.method ?? 'GET';
      if (method !== 'GET' && !WRITES.has(method))
        return res.writeHead(405, { allow: 'GET, POST, PUT, PATCH, DELETE', 'content-type': 'text/plain' }).end();
      const stranger = notFromOwnPage(req);
      if (stranger) {
        const answer = refuse(
          403,
          `The dashboard forwards only what its own page sends (this request: ${stranger}); call the API with the AWS CLI or SDK instead`,
          'AccessDeniedException',
        );
        return res.writeHead(answer.status, answer.headers).end(answer.body);
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (method === 'GET' && url.pathname === '/') return res.writeHead(302, { location: DASHBOARD_PATH }).end();
      const file = method === 'GET' ? await dashboardFile(url.pathname) : undefined;
      if (file) return res.writeHead(file.statusCode, file.headers).end(file.body);
      const body = method === 'GET' ? undefined : await bodyOf(req);
      if (method !== 'GET' && !body) {
        const answer = refuse(413, `A request body is at most ${MAX_BODY_BYTES} bytes here`);
        return res.writeHead(answer.status, answer.headers).end(answer.body);
      }
      const answer = await call(method, `${url.pathname}${url.search}`, body);
      const headers = Object.fromEntries(
        FORWARDED_HEADERS.flatMap((name) => {
          const value = answer.headers.get(name);
          return value ? [[name, value]] : [];
        }),
      );
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...headers })
        .end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => {
      if (!res.headersSent)
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: String((error as Error).message ?? error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${DASHBOARD_PATH}`, server };
}
