import { get } from 'node:http';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer } from '../../local/dashboard/dashboard-server';
import { signedRequest } from '../../local/http/signed-fetch';
import { launchChromium } from '../support/browser';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * The dashboard in a real headless Chromium, against the local runner that
 * serves it: a job for 20 things, 7 succeeded and 3 failed by their devices;
 * the page's numbers and bar widths, the filter, the live refresh, and one
 * execution's timeline. DASHBOARD_SCREENSHOT=<file> also saves the job page.
 */
let f: WireFixture;
let browser: Browser;
let page: Page;
const THINGS = Array.from({ length: 20 }, (_, i) => `dash-${String(i + 1).padStart(2, '0')}`);

async function finish(thingName: string, status: 'SUCCEEDED' | 'FAILED'): Promise<void> {
  await f.device.send(new StartNextPendingJobExecutionCommand({ thingName, statusDetails: { step: 'download' } }));
  await f.device.send(
    new UpdateJobExecutionCommand({
      thingName,
      jobId: 'fw-2',
      status,
      statusDetails: { step: status === 'FAILED' ? 'checksum' : 'done' },
    }),
  );
}

/** Each legend entry's number, by status. */
const legendOf = (within: string) =>
  page.$$eval(`${within} .legend li`, (items) =>
    Object.fromEntries(
      items.map((li) => [li.getAttribute('data-status'), Number(li.querySelector('.count')!.textContent)]),
    ),
  );

/** Each segment's share of its bar's width, as the page lays it out, by status. */
const barShares = (bar: string) =>
  page.$eval(bar, (element) =>
    Object.fromEntries(
      [...element.querySelectorAll('.segment')].map((s) => [
        s.getAttribute('data-status'),
        s.getBoundingClientRect().width / element.clientWidth,
      ]),
    ),
  );

beforeAll(async () => {
  f = await startWireFixture();
  await f.iot.send(
    new CreateJobCommand({
      jobId: 'fw-2',
      description: 'Firmware 2.0 to the test bench',
      targets: THINGS.map(thingArn),
      document: '{"firmware":"2.0"}',
    }),
  );
  for (const thing of THINGS.slice(0, 7)) await finish(thing, 'SUCCEEDED');
  for (const thing of THINGS.slice(7, 10)) await finish(thing, 'FAILED');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await f?.stop();
});

describe('the dashboard, in headless Chromium', () => {
  it('lists the job with its status and a bar whose segments are 35% succeeded, 15% failed, 50% queued', async () => {
    await page.goto(f.service.dashboardUrl);
    const row = page.locator('tr[data-job-id="fw-2"]');
    await row.waitFor();
    expect(await row.locator('.status').textContent()).toBe('IN_PROGRESS');
    expect(await row.locator('td.numeric').textContent()).toBe('20');
    const shares = await barShares('tr[data-job-id="fw-2"] .progress');
    expect(Object.keys(shares)).toEqual(['SUCCEEDED', 'FAILED', 'QUEUED']);
    expect(shares.SUCCEEDED).toBeCloseTo(0.35, 2);
    expect(shares.FAILED).toBeCloseTo(0.15, 2);
    expect(shares.QUEUED).toBeCloseTo(0.5, 2);
    expect(await row.locator('.progress').getAttribute('aria-label')).toBe(
      '20 executions: 7 succeeded, 3 failed, 10 queued',
    );
  });

  it("opens the job's page: its numbers, its bar, its chart, its configuration and its executions", async () => {
    await page.locator('a', { hasText: 'fw-2' }).click();
    await page.locator('h1', { hasText: 'fw-2' }).waitFor();
    expect(await legendOf('#progress')).toEqual({ SUCCEEDED: 7, FAILED: 3, QUEUED: 10 });
    const shares = await barShares('#progress .progress');
    expect(shares.SUCCEEDED).toBeCloseTo(0.35, 2);
    expect(shares.FAILED).toBeCloseTo(0.15, 2);
    expect(shares.QUEUED).toBeCloseTo(0.5, 2);
    // The chart's lines, drawn from the job's counts over time.
    // (An IN_PROGRESS line only if a batch counted a device between its start and its finish.)
    expect(await page.$$eval('.chart polyline', (lines) => lines.map((l) => l.getAttribute('data-status')))).toEqual(
      expect.arrayContaining(['SUCCEEDED', 'FAILED', 'QUEUED']),
    );
    expect(await page.locator('.chart desc').textContent()).toMatch(
      /now 7 succeeded, 3 failed, (0 in progress, )?10 queued\.$/,
    );
    expect(await page.locator('dl.config').textContent()).toContain('arn:aws:iot:us-east-1:123456789012:thing/dash-01');
    expect(await page.locator('table[aria-label="Executions"] tbody tr').count()).toBe(20);
  });

  it('filters the executions by status, and pages through them', async () => {
    await page.selectOption('#status-filter', 'FAILED');
    await page.waitForFunction(`document.querySelectorAll('table[aria-label="Executions"] tbody tr').length === 3`);
    expect(
      await page.$$eval('table[aria-label="Executions"] tbody tr', (rows) =>
        rows.map((r) => r.getAttribute('data-thing')).sort(),
      ),
    ).toEqual(['dash-08', 'dash-09', 'dash-10']);
    await page.selectOption('#status-filter', '');
    await page.waitForFunction(`document.querySelectorAll('table[aria-label="Executions"] tbody tr').length === 20`);
    expect(await page.locator('button[data-action="next"]').isDisabled()).toBe(true);
  });

  it('refreshes live: a device that succeeds meanwhile shows without a reload', async () => {
    await finish('dash-11', 'SUCCEEDED');
    await page.waitForFunction(
      `document.querySelector('#progress .legend li[data-status="SUCCEEDED"] .count')?.textContent === '8'`,
      undefined,
      { timeout: 15_000 },
    );
    expect(await legendOf('#progress')).toEqual({ SUCCEEDED: 8, FAILED: 3, QUEUED: 9 });
    const screenshot = process.env.DASHBOARD_SCREENSHOT;
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  });

  it("clicks through to one execution's timeline: created by the operator, started and failed by its device", async () => {
    await page.locator('tr[data-thing="dash-08"] a').click();
    await page.locator('ol.timeline').waitFor();
    const entries = await page.$$eval('ol.timeline li', (items) =>
      items.map((li) => `${li.getAttribute('data-event')} ${li.querySelector('.actor')!.textContent}`),
    );
    expect(entries).toEqual(['CREATED operator local', 'STARTED device dash-08', 'FAILED device dash-08']);
    expect(await page.locator('ol.timeline li[data-event="FAILED"] pre').textContent()).toBe('{"step":"checksum"}');
    expect(await page.locator('h1 .status').textContent()).toBe('FAILED');
  });

  it('npm run dashboard: the same page for a management API elsewhere, each call signed; no change but from its page, only for this host', async () => {
    const seen: (string | undefined)[] = [];
    const { url, server } = await startDashboardServer(async (method, pathAndQuery, body) => {
      const answer = await signedRequest(
        method,
        new URL(`${f.service.managementEndpoint}${pathAndQuery}`),
        'us-east-1',
        body,
      );
      seen.push(pathAndQuery);
      return answer;
    }, 0);
    try {
      const other = await browser.newPage();
      await other.goto(url);
      await other.locator('tr[data-job-id="fw-2"]').waitFor();
      await other.close();
      expect(seen).toContain('/jobs?maxResults=25');
      expect(seen).toContain('/jobs/fw-2');
      // A change from anything but its own page (here: a client with no Origin) is refused, and not forwarded.
      const refused = await fetch(url.replace('/dashboard/', '/jobs/fw-2/cancel'), { method: 'PUT', body: '{}' });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
      expect(seen).not.toContain('/jobs/fw-2/cancel');
      // A name that resolves here but is not this host (DNS rebinding) gets nothing.
      const rebound = await new Promise<number | undefined>((resolve, reject) =>
        get(url.replace('/dashboard/', '/jobs'), { headers: { host: 'attacker.example' } }, (res) =>
          resolve(res.resume().statusCode),
        ).on('error', reject),
      );
      expect(rebound).toBe(421);
    } finally {
      server.close();
    }
  });

  it('at 420 px: no page scrolls sideways, dialogs included', async () => {
    // Not isMobile: a phone's browser would zoom out to show a page too wide, and the test would not see it.
    const phone = await browser.newPage({ viewport: { width: 420, height: 860 } });
    const fits = () =>
      phone.evaluate<{ scrollWidth: number; innerWidth: number }>(
        '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
      );
    for (const [hash, heading] of [
      ['#/', 'Jobs'],
      ['#/jobs/fw-2', 'fw-2'],
      ['#/jobs/fw-2/things/dash-08', 'dash-08 in fw-2'],
      ['#/new', 'Create job'],
    ]) {
      await phone.goto(`${f.service.dashboardUrl}${hash}`);
      await phone.getByRole('heading', { level: 1, name: heading }).waitFor();
      const { scrollWidth, innerWidth } = await fits();
      expect(scrollWidth, hash).toBeLessThanOrEqual(innerWidth);
    }
    await phone.goto(`${f.service.dashboardUrl}#/jobs/fw-2`);
    await phone.getByRole('button', { name: 'Update job' }).click();
    await phone.getByRole('dialog').waitFor();
    const { scrollWidth, innerWidth } = await fits();
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    const box = (await phone.getByRole('dialog').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(innerWidth);
    const screenshot = process.env.DASHBOARD_SCREENSHOT;
    if (screenshot) {
      await phone.keyboard.press('Escape');
      await phone.screenshot({ path: screenshot.replace(/\.png$/, '-phone.png') });
    }
    await phone.close();
  });

  it('by keyboard alone: Tab reaches Cancel job, Enter opens its dialog, Escape closes it and gives focus back', async () => {
    const keys = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await keys.goto(`${f.service.dashboardUrl}#/jobs/fw-2`);
    await keys.getByRole('heading', { level: 1, name: 'fw-2' }).waitFor();
    const focused = () => keys.evaluate<string>("document.activeElement?.textContent ?? ''");
    let presses = 0;
    while ((await focused()) !== 'Cancel job' && presses++ < 20) await keys.keyboard.press('Tab');
    expect(await focused()).toBe('Cancel job');
    await keys.keyboard.press('Enter');
    const dialog = keys.getByRole('dialog', { name: 'Cancel job fw-2?' });
    await dialog.waitFor();
    // Focus is in the dialog, on its first field; Tab goes on to its buttons.
    expect(await keys.evaluate<string>('document.activeElement?.id')).toBe('f-reasonCode');
    await keys.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused()).toBe('Cancel job');
    await keys.close();
  });

  it('shows what went wrong for a job that does not exist', async () => {
    await page.goto(`${f.service.dashboardUrl}#/jobs/nope`);
    await page.locator('[role="alert"]').waitFor();
    expect(await page.locator('[role="alert"]').textContent()).toMatch(/^404 .*nope/);
  });
});
