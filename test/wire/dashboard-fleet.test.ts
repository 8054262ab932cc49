import {
  AddThingToThingGroupCommand,
  AttachThingPrincipalCommand,
  CreateDynamicThingGroupCommand,
  CreateJobCommand,
  CreateJobTemplateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeprecateThingTypeCommand,
  RegisterCertificateWithoutCACommand,
  UpdateIndexingConfigurationCommand,
} from '@aws-sdk/client-iot';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openDashboard } from '../support/browser';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { certificateIdOf, makeTestCertificates } from '../support/test-certificates';

/**
 * The dashboard's registry pages in Chromium, at a desktop's width and at 420 px: things searched by name, type and
 * attribute, or by a fleet query; a thing's certificates, groups and executions across jobs; the groups as a tree with their members; the
 * job templates with their documents. DASHBOARD_SCREENSHOTS=<folder> saves the thing page at both widths.
 */
let f: WireFixture;
let browser: Browser;
let desktop: Page;
let phone: Page;
let certificateId: string;

/** Waits until the Things table lists exactly `names` (in any order): a new search redraws it a moment later. */
const listed = (page: Page, names: string[]) =>
  page.waitForFunction(
    `JSON.stringify([...document.querySelectorAll('table[aria-label="Things"] tbody tr[data-thing]')].map((tr) => tr.dataset.thing).sort()) === ${JSON.stringify(JSON.stringify([...names].sort()))}`,
  );

/** Opens a page of the dashboard and waits for it to show that address. */
const open = (page: Page, hash: string, heading: string) => openDashboard(page, f.service.dashboardUrl, hash, heading);

const fitsWidth = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

beforeAll(async () => {
  [f, browser] = await Promise.all([startWireFixture({ implicitThings: false }), launchChromium()]);
  await f.iot.send(new CreateThingTypeCommand({ thingTypeName: 'sensor' }));
  await f.iot.send(
    new CreateThingCommand({
      thingName: 'sensor-a',
      thingTypeName: 'sensor',
      attributePayload: { attributes: { site: 'lyon' } },
    }),
  );
  await f.iot.send(
    new CreateThingCommand({
      thingName: 'sensor-b',
      thingTypeName: 'sensor',
      attributePayload: { attributes: { site: 'oslo' } },
    }),
  );
  await f.iot.send(
    new CreateThingCommand({ thingName: 'gateway-1', attributePayload: { attributes: { site: 'lyon' } } }),
  );
  await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'plant' }));
  await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'line-1', parentGroupName: 'plant' }));
  await f.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'line-1', thingName: 'sensor-a' }));
  await f.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'line-1', thingName: 'gateway-1' }));
  const pem = makeTestCertificates(['sensor-a']).devices['sensor-a']!.pem;
  const { certificateArn } = await f.iot.send(
    new RegisterCertificateWithoutCACommand({ certificatePem: pem, status: 'ACTIVE' }),
  );
  certificateId = certificateIdOf(pem);
  await f.iot.send(new AttachThingPrincipalCommand({ thingName: 'sensor-a', principal: certificateArn }));
  await f.iot.send(new CreateJobCommand({ jobId: 'fw-a', targets: [thingArn('sensor-a')], document: '{"v":1}' }));
  await f.iot.send(new CreateJobCommand({ jobId: 'cfg-a', targets: [thingArn('sensor-a')], document: '{"v":2}' }));
  await f.iot.send(
    new CreateJobTemplateCommand({ jobTemplateId: 'reboot', description: 'reboot it', document: '{"op":"reboot"}' }),
  );
  desktop = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  phone = await browser.newPage({ viewport: { width: 420, height: 860 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await f?.stop();
});

describe("the dashboard's registry pages, in Chromium", () => {
  it('Things: all of them, then searched by name, by type, and by attribute', async () => {
    await desktop.goto(f.service.dashboardUrl);
    await desktop.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Things' }).click();
    await desktop.getByRole('heading', { level: 1, name: 'Things' }).waitFor();
    await listed(desktop, ['gateway-1', 'sensor-a', 'sensor-b']);
    const search = desktop.getByRole('search', { name: 'Search things' });
    await search.getByLabel('Name contains').fill('SENSOR');
    await search.getByRole('button', { name: 'Search' }).click();
    await desktop.waitForURL(/#\/things\?name=SENSOR$/);
    await listed(desktop, ['sensor-a', 'sensor-b']);
    await desktop.goto(`${f.service.dashboardUrl}#/things?type=sensor&attribute=site&value=lyon`);
    await listed(desktop, ['sensor-a']);
    expect(await desktop.locator('tr[data-thing="sensor-a"] td[data-label="Attributes"]').textContent()).toBe(
      'site=lyon',
    );
    await phone.goto(`${f.service.dashboardUrl}#/things?attribute=site&value=lyon`);
    await listed(phone, ['gateway-1', 'sensor-a']);
    expect(await fitsWidth(phone)).toBe(true);
  });

  it('Things by fleet query: refused plainly while indexing is off, then found by the index', async () => {
    const searchFor = async (page: Page, queryString: string) => {
      await open(page, '#/things', 'Things');
      const search = page.getByRole('search', { name: 'Search things' });
      await search.getByLabel('Fleet query').fill(queryString);
      await search.getByRole('button', { name: 'Search' }).click();
    };
    await searchFor(desktop, 'attributes.site:lyon');
    await desktop.getByRole('alert').filter({ hasText: 'Fleet indexing is off' }).waitFor();
    await listed(desktop, []);
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }),
    );
    await searchFor(desktop, 'attributes.site:lyon AND thingTypeName:sensor');
    await desktop.waitForURL(/query=attributes\.site/);
    await listed(desktop, ['sensor-a']);
    await phone.goto(`${f.service.dashboardUrl}#/things?query=${encodeURIComponent('attributes.site:lyon')}`);
    await listed(phone, ['gateway-1', 'sensor-a']);
    expect(await fitsWidth(phone)).toBe(true);
    await searchFor(desktop, 'attributes.site:(');
    await desktop.getByRole('alert').filter({ hasText: 'InvalidQueryException' }).waitFor();
  });

  it("a thing's page: its certificate and its state, its groups, its executions across jobs", async () => {
    for (const page of [desktop, phone]) {
      await open(page, '#/things', 'Things');
      await page.getByRole('link', { name: 'sensor-a' }).click();
      await page.getByRole('heading', { level: 1, name: 'sensor-a' }).waitFor();
      expect(await page.locator(`li[data-certificate="${certificateId}"] .status`).textContent()).toBe('ACTIVE');
      expect(await page.getByRole('list', { name: 'Groups' }).textContent()).toBe('line-1');
      const jobs = await page.$$eval('table[aria-label="Executions of sensor-a"] tbody tr', (trs) =>
        trs.map((tr) => `${tr.getAttribute('data-job-id')} ${tr.querySelector('.status')?.textContent}`),
      );
      expect(jobs.sort()).toEqual(['cfg-a QUEUED', 'fw-a QUEUED']);
      expect(await fitsWidth(page)).toBe(true);
      const folder = process.env.DASHBOARD_SCREENSHOTS;
      if (folder) await page.screenshot({ path: `${folder}/dashboard-thing${page === phone ? '-phone' : ''}.png` });
    }
    await phone.getByRole('link', { name: 'fw-a' }).click();
    await phone.getByRole('heading', { level: 1, name: 'fw-a' }).waitFor();
  });

  it('Groups: a tree, each group under its parent, a dynamic one with its query; a group opened shows its members', async () => {
    // Indexing is on since the fleet query test: a dynamic group can be made.
    await f.iot.send(
      new CreateDynamicThingGroupCommand({ thingGroupName: 'in-lyon', queryString: 'attributes.site:lyon' }),
    );
    await open(desktop, '#/groups', 'Groups');
    expect(await desktop.locator('li[data-group="plant"] > ul > li[data-group="line-1"]').count()).toBe(1);
    expect(await desktop.locator('li[data-group="in-lyon"] code.query').textContent()).toBe('attributes.site:lyon');
    expect(await desktop.locator('li[data-group="line-1"] code.query').count()).toBe(0);
    await desktop.getByRole('link', { name: 'line-1' }).click();
    await desktop.getByRole('heading', { level: 2, name: 'Members of line-1' }).waitFor();
    expect((await desktop.locator('ul.members li').allTextContents()).sort()).toEqual(['gateway-1', 'sensor-a']);
    expect(await desktop.getByRole('link', { name: 'line-1' }).getAttribute('aria-current')).toBe('page');
    await open(phone, '#/groups/plant', 'Groups');
    await phone.getByRole('heading', { level: 2, name: 'Members of plant' }).waitFor();
    expect(await fitsWidth(phone)).toBe(true);
  });

  it('Thing types: each with its description, searchable attributes and state; a type lists its things', async () => {
    await f.iot.send(
      new CreateThingTypeCommand({
        thingTypeName: 'legacy',
        thingTypeProperties: { thingTypeDescription: 'old boards', searchableAttributes: ['site', 'rack'] },
      }),
    );
    await f.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'legacy' }));
    for (const page of [desktop, phone]) {
      await open(page, '#/types', 'Thing types');
      const cells = (type: string) =>
        page.locator(`tr[data-thing-type="${type}"] td`).evaluateAll((tds) => tds.map((td) => td.textContent?.trim()));
      const [name, description, searchable, state] = await cells('legacy');
      expect([name, description, searchable]).toEqual(['legacy', 'old boards', 'site, rack']);
      expect(state).toMatch(/^deprecated \d{4}-\d{2}-\d{2}/);
      expect((await cells('sensor'))[3]).toBe('active');
      expect(await fitsWidth(page)).toBe(true);
    }
    await desktop.getByRole('link', { name: 'sensor', exact: true }).click();
    await desktop.waitForURL(/#\/things\?type=sensor$/);
    await listed(desktop, ['sensor-a', 'sensor-b']);
  });

  it('Templates: each with its description and its document', async () => {
    for (const page of [desktop, phone]) {
      await open(page, '#/templates', 'Job templates');
      const template = page.locator('section[data-template="reboot"]');
      expect(await template.locator('pre.document').textContent()).toBe('{"op":"reboot"}');
      expect(await template.locator('p').first().textContent()).toBe('reboot it');
      expect(await fitsWidth(page)).toBe(true);
    }
  });

  it("does not redraw the search form under the operator's typing, though the things listed changed", async () => {
    await open(desktop, '#/things', 'Things');
    const name = desktop.getByRole('search', { name: 'Search things' }).getByLabel('Name contains');
    await name.fill('gate');
    const reads = () => desktop.evaluate<number>("Number(document.getElementById('view').dataset.reads)");
    const before = await reads();
    await f.iot.send(new CreateThingCommand({ thingName: 'sensor-c' }));
    // Two reads after the new thing: at least one saw a list other than the one shown.
    await desktop.waitForFunction(`Number(document.getElementById('view').dataset.reads) >= ${before + 2}`);
    expect(await name.inputValue()).toBe('gate');
    expect(await desktop.evaluate<boolean>("document.activeElement?.getAttribute('name') === 'name'")).toBe(true);
    await name.press('Enter');
    await listed(desktop, ['gateway-1']);
  });
});
