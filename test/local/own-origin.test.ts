import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createApiServer } from '../../local/http/api-gateway-adapter';
import { type OwnAddress, refusalOf } from '../../local/http/own-origin';

/**
 * Which requests the local runner answers: those addressed to its own host and port (loopback, its --host, and when it
 * listens on every interface, each interface's address), and none a web page of another origin sent.
 */
const PORT = 8091;
const local: OwnAddress = { scheme: 'http', listenHost: '127.0.0.1' };
const statusOf = (headers: Record<string, string>, own = local, port = PORT) =>
  refusalOf(headers, port, own)?.statusCode ?? 200;

/** An address of this machine that is not loopback (and needs no zone), if it has one. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && !address.internal && !address.scopeid);

describe('the Host a request is addressed to', () => {
  it.each(['127.0.0.1:8091', 'localhost:8091', '[::1]:8091', 'LOCALHOST:8091'])(
    'serves %s, its own name and port',
    (host) => {
      expect(statusOf({ host })).toBe(200);
    },
  );

  it.each([
    ['a name that resolves here (DNS rebinding)', 'rebind.attacker.example:8091'],
    ['its own name on another port', '127.0.0.1:8090'],
    ['its own name with no port (80)', '127.0.0.1'],
    ['a name with credentials before it', 'x@127.0.0.1:8091'],
    ['the address of another interface, when it listens on loopback', `${external?.address ?? '192.0.2.1'}:8091`],
    ['no name at all', ''],
  ])('refuses %s: 421', (_name, host) => {
    expect(statusOf({ host })).toBe(421);
    expect(JSON.parse(refusalOf({ host }, PORT, local)!.body!)).toEqual({
      message: expect.stringMatching(/^Misdirected Request/),
    });
  });

  it('serves the name it was bound to with --host, and still refuses another', () => {
    const bound: OwnAddress = { scheme: 'http', listenHost: 'Jobs.Lan' };
    expect(statusOf({ host: 'jobs.lan:8091' }, bound)).toBe(200);
    expect(statusOf({ host: 'localhost:8091' }, bound)).toBe(200);
    expect(statusOf({ host: 'other.lan:8091' }, bound)).toBe(421);
    expect(statusOf({ host: '[fd00::2]:8091' }, { scheme: 'http', listenHost: 'fd00::2' })).toBe(200);
  });

  it.skipIf(!external)("serves each interface's address when it listens on every one (0.0.0.0, ::)", () => {
    const name = external!.family === 'IPv6' ? `[${external!.address}]` : external!.address;
    for (const listenHost of ['0.0.0.0', '::']) {
      const everywhere: OwnAddress = { scheme: 'http', listenHost };
      expect(statusOf({ host: `${name}:8091` }, everywhere)).toBe(200);
      expect(statusOf({ host: 'rebind.attacker.example:8091' }, everywhere)).toBe(421);
    }
  });

  it("takes a Host without a port as the scheme's own: 443 over https", () => {
    const https: OwnAddress = { scheme: 'https', listenHost: '127.0.0.1' };
    expect(statusOf({ host: '127.0.0.1' }, https, 443)).toBe(200);
    expect(statusOf({ host: '127.0.0.1', origin: 'https://127.0.0.1' }, https, 443)).toBe(200);
  });
});

describe('the origin a browser sent it for', () => {
  const host = '127.0.0.1:8091';

  it.each([
    ['its own origin (its dashboard)', { origin: 'http://127.0.0.1:8091' }],
    ['its own origin by another of its names', { host: 'localhost:8091', origin: 'http://localhost:8091' }],
    ['its own page', { 'sec-fetch-site': 'same-origin' }],
    ['an address typed in', { 'sec-fetch-site': 'none' }],
    ['no mark at all (the AWS SDKs and CLI)', {}],
  ])('serves %s', (_name, headers) => {
    expect(statusOf({ host, ...headers })).toBe(200);
  });

  it.each([
    ['a web site', { origin: 'https://evil.example' }],
    ['an opaque origin', { origin: 'null' }],
    ['another of its own names (another origin all the same)', { origin: 'http://localhost:8091' }],
    ['another port of the same host', { origin: 'http://127.0.0.1:8090' }],
    ['another site, with no Origin', { 'sec-fetch-site': 'cross-site' }],
    ['a site of the same domain, with no Origin', { 'sec-fetch-site': 'same-site' }],
    ['its own Origin, yet sent from another site', { origin: 'http://127.0.0.1:8091', 'sec-fetch-site': 'cross-site' }],
  ])('refuses %s: 403 AccessDeniedException', (_name, headers) => {
    const refusal = refusalOf({ host, ...headers }, PORT, local);
    expect(refusal).toMatchObject({ statusCode: 403, headers: { 'x-amzn-ErrorType': 'AccessDeniedException' } });
    expect(Object.keys(refusal!.headers!).map((name) => name.toLowerCase())).not.toContain(
      'access-control-allow-origin',
    );
  });
});

describe('an API server', () => {
  it('checks requests against the --host it is given, on the port it listens on', async () => {
    const server = createApiServer([], {
      apiId: 'test',
      host: 'jobs.test',
      localHandler: async () => ({ statusCode: 200, body: { served: true } }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const statusFor = (host: string) =>
      new Promise<number | undefined>((resolve, reject) =>
        request({ port, host: '127.0.0.1', path: '/', headers: { host }, agent: false }, (res) =>
          resolve(res.resume().statusCode),
        )
          .on('error', reject)
          .end(),
      );
    try {
      expect(await statusFor(`jobs.test:${port}`)).toBe(200);
      expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
      expect(await statusFor(`jobs.test:${port + 1}`)).toBe(421);
      expect(await statusFor(`rebind.attacker.example:${port}`)).toBe(421);
    } finally {
      server.close();
    }
  });
});
