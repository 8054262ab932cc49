import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DASHBOARD_PATH, dashboardFile } from './site-files';

/** A GET of the management API, by path and query (signed for a deployed stack). */
export type ManagementGet = (pathAndQuery: string) => Promise<Response>;

/**
 * The dashboard for a management API elsewhere (a deployed stack): its page,
 * and every other GET forwarded to that API by `get` (which signs it with the
 * operator's credentials). On 127.0.0.1 only, and read-only: nothing but GET
 * is forwarded. A request naming another host is refused, so a web page
 * elsewhere cannot reach it by DNS rebinding and read the API as you.
 */
export async function startDashboardServer(get: ManagementGet, port: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const own = [
        `127.0.0.1:${(server.address() as AddressInfo).port}`,
        `localhost:${(server.address() as AddressInfo).port}`,
      ];
      if (!own.includes(req.headers.host ?? ''))
        return res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      if (req.method !== 'GET')
        return res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('The dashboard only reads');
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/') return res.writeHead(302, { location: DASHBOARD_PATH }).end();
      const file = await dashboardFile(url.pathname);
      if (file) return res.writeHead(file.statusCode, file.headers).end(file.body);
      const answer = await get(`${url.pathname}${url.search}`);
      res
        .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
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
