import { createServer, type Server } from 'node:http';
import {
  CreateJobCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  ListJobsCommand,
} from '@aws-sdk/client-iot';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer } from '../../local/dashboard/dashboard-server';
import { signedRequest } from '../../local/http/signed-fetch';
import { launchChromium } from '../support/browser';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * Who may act through the dashboard, in Chromium: `npm run dashboard` forwards the page's actions signed, and shows
 * IAM's refusal as the page's own; a page of another origin can trigger no action, neither on the local runner nor
 * through `npm run dashboard`, and cannot frame the dashboard to trick a click.
 */
let f: WireFixture;
let browser: Browser;
let proxy: { url: string; server: Server };
/** A page of another origin: a throwaway server on another port, reached by another name. */
let elsewhere: { server: Server; origin: string };
/** Whether the forwarder answers writes as IAM does for a caller without execute-api:Invoke on them. */
let denyWrites = false;
/** The writes the forwarder was asked to make, as `METHOD path body`. */
const forwarded: string[] = [];

const IAM_DENIAL =
  'User: arn:aws:iam::123456789012:user/viewer is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********7890:abc123/prod/PUT/jobs/{jobId}/cancel';

const jobOf = async (jobId: string) => (await f.iot.send(new DescribeJobCommand({ jobId }))).job!;

beforeAll(async () => {
  [f, browser] = await Promise.all([startWireFixture(), launchChromium()]);
  await f.iot.send(new CreateJobCommand({ jobId: 'kept', targets: [thingArn('k1')], document: '{"v":1}' }));
  proxy = await startDashboardServer(async (method, pathAndQuery, body) => {
    if (method !== 'GET') forwarded.push(`${method} ${pathAndQuery} ${body?.toString('utf8') ?? ''}`);
    if (method !== 'GET' && denyWrites)
      // What API Gateway's IAM authorizer answers: 403, the type in a header, and `Message` with a capital M.
      return new Response(JSON.stringify({ Message: IAM_DENIAL }), {
        status: 403,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
      });
    return await signedRequest(method, new URL(`${f.service.managementEndpoint}${pathAndQuery}`), 'us-east-1', body);
  }, 0);
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>a page elsewhere</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  elsewhere = { server, origin: `http://localhost:${(server.address() as { port: number }).port}` };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  proxy?.server.close();
  elsewhere?.server.close();
  await f?.stop();
});

describe('npm run dashboard, in Chromium', () => {
  it("forwards the page's Cancel job, signed; IAM's AccessDenied shows plainly in the dialog first", async () => {
    await f.iot.send(new CreateJobCommand({ jobId: 'via-proxy', targets: [thingArn('p1')], document: '{"v":1}' }));
    const page = await browser.newPage({ viewport: { width: 420, height: 860 } });
    await page.goto(`${proxy.url}#/jobs/via-proxy`);
    await page.getByRole('heading', { level: 1, name: 'via-proxy' }).waitFor();
    denyWrites = true;
    await page.getByRole('button', { name: 'Cancel job' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason code').fill('STOP');
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toBe(
      `403 AccessDeniedException: ${IAM_DENIAL} (PUT /jobs/via-proxy/cancel)`,
    );
    expect((await jobOf('via-proxy')).status).toBe('IN_PROGRESS');
    denyWrites = false;
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await page.getByRole('status').filter({ hasText: 'CancelJob: via-proxy' }).waitFor();
    expect(await jobOf('via-proxy')).toMatchObject({ status: 'CANCELED', reasonCode: 'STOP' });
    expect(forwarded.filter((call) => call.startsWith('PUT /jobs/via-proxy/cancel'))).toEqual([
      'PUT /jobs/via-proxy/cancel {"reasonCode":"STOP"}',
      'PUT /jobs/via-proxy/cancel {"reasonCode":"STOP"}',
    ]);
    await page.close();
  });
});

describe('a page of another origin, in Chromium', () => {
  /** Each of the dashboard's actions, as the page calls it. */
  const ACTIONS = [
    ['PUT', '/jobs/kept/cancel?force=true', '{"reasonCode":"PLANTED"}'],
    ['PATCH', '/jobs/kept', '{"description":"planted"}'],
    ['DELETE', '/jobs/kept?force=true', ''],
    ['PUT', '/things/k1/jobs/kept/cancel?force=true', '{}'],
    ['PUT', '/jobs/planted', `{"targets":["${thingArn('k1')}"],"document":"{}"}`],
  ] as const;

  /** What the page elsewhere got from each action sent to `base`: as the dashboard sends it, and as a simple POST. */
  async function tryEverything(page: Page, base: string): Promise<string[]> {
    return await page.evaluate(
      async ({ base, actions }) => {
        const outcome = (request: Promise<Response>) =>
          request.then(
            (response) => `${response.type} ${response.status}`,
            () => 'failed',
          );
        return await Promise.all(
          actions.flatMap(([method, path, body]) => [
            outcome(
              fetch(`${base}${path}`, {
                method,
                headers: { 'content-type': 'application/json' },
                ...(body ? { body } : {}),
              }),
            ),
            // A simple request, which the browser sends without asking first (what a form elsewhere can do).
            outcome(fetch(`${base}${path}`, { method: 'POST', mode: 'no-cors', body })),
          ]),
        );
      },
      { base, actions: ACTIONS as unknown as string[][] },
    );
  }

  it('cannot cancel, update, delete or create a job, nor cancel an execution: on the runner or through npm run dashboard', async () => {
    const page = await browser.newPage();
    await page.goto(`${elsewhere.origin}/`);
    const before = forwarded.length;
    for (const base of [f.service.managementEndpoint, new URL(proxy.url).origin]) {
      const outcomes = await tryEverything(page, base);
      // The preflighted calls never leave the browser; the simple ones are refused unread (opaque).
      expect(outcomes).toEqual(ACTIONS.flatMap(() => ['failed', 'opaque 0']));
    }
    expect(forwarded.length).toBe(before);
    expect(await jobOf('kept')).toMatchObject({ status: 'IN_PROGRESS' });
    expect((await jobOf('kept')).description).toBeUndefined();
    const execution = await f.iot.send(new DescribeJobExecutionCommand({ jobId: 'kept', thingName: 'k1' }));
    expect(execution.execution?.status).toBe('QUEUED');
    const jobs = (await f.iot.send(new ListJobsCommand({}))).jobs!.map((job) => job.jobId);
    expect(jobs).not.toContain('planted');
    await page.close();
  });

  it('cannot frame the dashboard to trick a click: neither the runner nor npm run dashboard lets it load', async () => {
    const page = await browser.newPage();
    await page.goto(`${elsewhere.origin}/`);
    for (const url of [`${f.service.dashboardUrl}#/jobs/kept`, `${proxy.url}#/jobs/kept`]) {
      const refused = page.waitForResponse((response) => response.url().startsWith(url.split('#')[0]!));
      await page.evaluate(
        `document.body.append(Object.assign(document.createElement('iframe'), { src: ${JSON.stringify(url)} }))`,
      );
      // Refused as a request of another site, before any frame-ancestors rule would have to stop it.
      expect((await refused).status()).toBe(403);
    }
    // Neither frame runs the dashboard: no button of it exists in any frame.
    for (const frame of page.frames().slice(1))
      expect(
        await frame
          .locator('button')
          .count()
          .catch(() => 0),
      ).toBe(0);
    await page.close();
  });
});
