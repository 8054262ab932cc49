import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import {
  CreateJobCommand,
  CreateThingCommand,
  DescribeThingCommand,
  IoTClient,
  ListThingsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand, IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import type { BuildMiddleware, MetadataBearer } from '@smithy/types';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * The local runner (npm start) answers only requests addressed to its own host and port, and none a web page of
 * another origin sends: a page elsewhere, in a real Chromium, tries to create a thing, finish a device's execution and
 * move the clock; a name that resolves to this machine (DNS rebinding) gets nothing on any port; the dashboard, on the
 * runner's own origin, still works; and the official SDK clients, which send no Origin, are served as before.
 */
let f: WireFixture;
let browser: Browser;
/** A page of another origin: a throwaway server on another port, reached by another name. */
let elsewhere: { server: Server; origin: string };
const DOCUMENT = '{"secret":"s3cr3t-firmware-key"}';

const portOf = (endpoint: string) => Number(new URL(endpoint).port);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request by plain node http (or https with `tls`), with exactly the headers given besides node's own. */
function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; tls?: object } = {},
): Promise<Answer> {
  const target = new URL(url);
  const requestOf = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = requestOf(
      target,
      { method: init.method ?? 'GET', headers: init.headers ?? {}, agent: false, ...init.tls },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

async function thingExists(thingName: string): Promise<boolean> {
  try {
    await f.iot.send(new DescribeThingCommand({ thingName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

const victimExecution = async () =>
  (await f.device.send(new DescribeJobExecutionCommand({ thingName: 'victim', jobId: 'j1' }))).execution;

/** The status of the page's response from each URL, as the network saw it (a no-cors answer is opaque to the page). */
const statusesFrom = (page: Page, urls: readonly string[]) =>
  Promise.all(urls.map(async (url) => (await page.waitForResponse(url)).status()));

beforeAll(async () => {
  [f, browser] = await Promise.all([startWireFixture({ controllableClock: true }), launchChromium()]);
  await f.iot.send(new CreateThingCommand({ thingName: 'victim' }));
  await f.iot.send(new CreateThingCommand({ thingName: 'keeper' }));
  await f.iot.send(new CreateJobCommand({ jobId: 'j1', targets: [thingArn('victim')], document: DOCUMENT }));
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>a page elsewhere</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  // localhost, not 127.0.0.1: another origin and another site than the runner's, as any web site is.
  elsewhere = { server, origin: `http://localhost:${port}` };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  elsewhere?.server.close();
  await f?.stop();
});

describe('a web page of another origin, in Chromium', () => {
  it('cannot create a thing, finish a device execution or move the clock: each no-cors POST is refused 403', async () => {
    const page = await browser.newPage();
    await page.goto(`${elsewhere.origin}/`);
    const targets = {
      createThing: `${f.service.managementEndpoint}/things/planted`,
      updateExecution: `${f.service.deviceEndpoint}/things/victim/jobs/j1`,
      advanceClock: `${f.service.managementEndpoint}/_local/clock/advance`,
    };
    const bodies = { createThing: '{}', updateExecution: '{"status":"SUCCEEDED"}', advanceClock: '{"seconds":86400}' };
    const statuses = statusesFrom(page, Object.values(targets));
    // What the attacker's page did: simple requests, which a browser sends without asking (no preflight).
    const outcomes = await page.evaluate(
      async ({ targets, bodies }) =>
        Object.fromEntries(
          await Promise.all(
            Object.entries(targets).map(async ([name, url]) => {
              const outcome = await fetch(url, {
                method: 'POST',
                mode: 'no-cors',
                headers: { 'content-type': 'text/plain' },
                body: bodies[name as keyof typeof bodies],
              }).then(
                (response) => response.type,
                (error: Error) => `failed: ${error.message}`,
              );
              return [name, outcome];
            }),
          ),
        ),
      { targets, bodies },
    );
    // Each reached the runner and was answered (an opaque answer, not a network failure)...
    expect(outcomes).toEqual({ createThing: 'opaque', updateExecution: 'opaque', advanceClock: 'opaque' });
    // ... which changed nothing.
    expect(await thingExists('planted')).toBe(false);
    expect(await victimExecution()).toMatchObject({ status: 'QUEUED', versionNumber: 1 });
    expect(f.service.clock!.offsetMs()).toBe(0);
    // The runner refused them (the shape of its answer is checked below, by plain HTTP).
    expect(await statuses).toEqual([403, 403, 403]);
    await page.close();
  });

  it('gets no answer to a GET either, which Chromium sends without an Origin (Sec-Fetch-Site tells)', async () => {
    const page = await browser.newPage();
    await page.goto(`${elsewhere.origin}/`);
    const urls = [
      `${f.service.deviceEndpoint}/things/victim/jobs/j1?includeJobDocument=true`,
      `${f.service.managementEndpoint}/things`,
      `${f.service.managementEndpoint}/_local/clock`,
    ];
    const statuses = statusesFrom(page, urls);
    const outcomes = await page.evaluate(
      (urls) =>
        Promise.all(
          urls.map((url) =>
            fetch(url, { mode: 'no-cors' }).then(
              (response) => response.type,
              (error: Error) => `failed: ${error.message}`,
            ),
          ),
        ),
      urls,
    );
    expect(outcomes).toEqual(['opaque', 'opaque', 'opaque']);
    expect(await statuses).toEqual([403, 403, 403]);
    await page.close();
  });

  it("leaves the dashboard working from its own origin: it loads and shows the runner's jobs", async () => {
    const page = await browser.newPage();
    for (const url of [f.service.dashboardUrl, f.service.dashboardUrl.replace('127.0.0.1', 'localhost')]) {
      await page.goto(url);
      const row = page.locator('tr[data-job-id="j1"]');
      await row.waitFor({ timeout: 15_000 });
      expect(await row.locator('td.numeric').textContent()).toBe('1');
    }
    // Its own origin is the runner's: a request it sends with its Origin is served.
    const created = await page.evaluate(async () => {
      const response = await fetch('/things/from-own-origin', { method: 'POST', body: '{}' });
      return response.status;
    });
    await page.close();
    expect(created).toBe(200);
    expect(await thingExists('from-own-origin')).toBe(true);
  });
});

describe('a request addressed to another host (DNS rebinding), by plain node http', () => {
  const rebound = (endpoint: string) => `rebind.attacker.example:${portOf(endpoint)}`;

  it.each([
    ['device API: a job document', 'device', 'GET', '/things/victim/jobs/j1?includeJobDocument=true'],
    ['management API: DeleteThing', 'management', 'DELETE', '/things/keeper'],
    ['management API: ListThings', 'management', 'GET', '/things'],
    ['the dashboard', 'management', 'GET', '/dashboard/'],
    ['the clock', 'management', 'GET', '/_local/clock'],
    ['the clock advance', 'management', 'POST', '/_local/clock/advance'],
  ] as const)('is refused 421 on %s', async (_name, api, method, path) => {
    const endpoint = api === 'device' ? f.service.deviceEndpoint : f.service.managementEndpoint;
    const answer = await send(`${endpoint}${path}`, {
      method,
      headers: { host: rebound(endpoint), 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: '{"seconds":86400}' } : {}),
    });
    expect(answer.status).toBe(421);
    expect(answer.body).not.toContain('s3cr3t');
    expect(answer.body).not.toContain('<html');
    expect(await thingExists('keeper')).toBe(true);
    expect(f.service.clock!.offsetMs()).toBe(0);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])('serves its own name %s on its own port', async (name) => {
    for (const endpoint of [f.service.deviceEndpoint, f.service.managementEndpoint]) {
      const path = endpoint === f.service.deviceEndpoint ? '/things/victim/jobs' : '/_local/clock';
      const answer = await send(`${endpoint}${path}`, { headers: { host: `${name}:${portOf(endpoint)}` } });
      expect(answer.status, `${name} ${path}`).toBe(200);
    }
  });

  it('refuses its own name with another port (what the client thought it was talking to)', async () => {
    const answer = await send(`${f.service.managementEndpoint}/things`, {
      headers: { host: `127.0.0.1:${portOf(f.service.managementEndpoint) + 1}` },
    });
    expect(answer.status).toBe(421);
  });
});

describe('a request with the marks of another origin, by plain node http', () => {
  const management = () => f.service.managementEndpoint;

  it.each([
    ['a web site', 'http://evil.example'],
    ['an opaque origin (a sandboxed frame, a file)', 'null'],
    ['the same host on another port', 'http://127.0.0.1:1'],
    ['the same host and port over another scheme', 'https://MANAGEMENT'],
  ])('refuses an Origin of %s: 403 AccessDeniedException, and nothing is written', async (_name, origin) => {
    const answer = await send(`${management()}/things/by-origin`, {
      method: 'POST',
      headers: { origin: origin.replace('MANAGEMENT', new URL(management()).host), 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(answer.body)).toEqual({ message: expect.stringMatching(/another origin/) });
    expect(await thingExists('by-origin')).toBe(false);
  });

  it.each(['cross-site', 'same-site'])('refuses Sec-Fetch-Site: %s with no Origin', async (site) => {
    const answer = await send(`${f.service.deviceEndpoint}/things/victim/jobs/j1?includeJobDocument=true`, {
      headers: { 'sec-fetch-site': site },
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(answer.body).not.toContain('s3cr3t');
  });

  it.each(['same-origin', 'none'])('serves Sec-Fetch-Site: %s (its own page; an address typed in)', async (site) => {
    const answer = await send(`${management()}/_local/clock`, { headers: { 'sec-fetch-site': site } });
    expect(answer.status).toBe(200);
  });

  it('serves the official SDK clients as before, and they read a refusal as AccessDeniedException', async () => {
    expect((await f.iot.send(new ListThingsCommand({}))).things?.map((t) => t.thingName)).toContain('victim');
    // What a browser would add: an Origin of another site.
    const foreignOrigin =
      <I extends object, O extends MetadataBearer>(): BuildMiddleware<I, O> =>
      (next) =>
      async (args) => {
        (args.request as { headers: Record<string, string> }).headers.origin = 'http://evil.example';
        return await next(args);
      };
    const iot = new IoTClient({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.managementEndpoint });
    const device = new IoTJobsDataPlaneClient({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.deviceEndpoint });
    iot.middlewareStack.add(foreignOrigin(), { step: 'build' });
    device.middlewareStack.add(foreignOrigin(), { step: 'build' });
    try {
      await expect(iot.send(new CreateThingCommand({ thingName: 'by-sdk' }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        device.send(new DescribeJobExecutionCommand({ thingName: 'victim', jobId: 'j1' })),
      ).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    } finally {
      iot.destroy();
      device.destroy();
    }
    expect(await thingExists('by-sdk')).toBe(false);
  });
});

describe('with --tls, the device API over HTTPS', () => {
  let tlsFixture: WireFixture;
  let tls: object;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jobs-origin-tls-'));
    tlsFixture = await startWireFixture({ tls: { dir, deviceCertificates: ['t1'] } });
    const t1 = tlsFixture.service.certificates!.devices.t1!;
    tls = {
      ca: readFileSync(tlsFixture.service.certificates!.caFile),
      cert: readFileSync(t1.certFile),
      key: readFileSync(t1.keyFile),
      // The server is checked against the address dialled, not the Host header (which node would check by default).
      checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity('127.0.0.1', cert),
    };
  }, 60_000);

  afterAll(() => tlsFixture?.stop());

  it("serves t1's certificate at its own address, and refuses another Host (421) and another Origin (403)", async () => {
    const url = `${tlsFixture.service.deviceEndpoint}/things/t1/jobs`;
    const port = portOf(tlsFixture.service.deviceEndpoint);
    expect((await send(url, { tls })).status).toBe(200);
    expect((await send(url, { tls, headers: { host: `rebind.attacker.example:${port}` } })).status).toBe(421);
    const foreign = await send(url, { tls, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    // Its own origin is https: the same host and port over http is another.
    expect((await send(url, { tls, headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(403);
    expect((await send(url, { tls, headers: { origin: `https://127.0.0.1:${port}` } })).status).toBe(200);
  });
});
