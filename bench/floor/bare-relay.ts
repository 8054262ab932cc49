import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP hop with nothing else: a server that hands each request's bytes to
 * DynamoDB Local on a kept-alive connection and its answer back, unread. Run
 * in the runner's process, it shows what one more process in the path costs
 * on this machine, apart from anything the service does.
 */
export async function startBareRelay(dynamoEndpoint: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const target = new URL(dynamoEndpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          agent,
          headers: { ...incoming.headers, host: target.host, 'content-length': body.length },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const payload = Buffer.concat(parts);
            outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': payload.length });
            outgoing.end(payload);
          });
        },
      );
      upstream.on('error', () => outgoing.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
