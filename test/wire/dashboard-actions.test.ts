import {
  AddThingToThingGroupCommand,
  CreateJobCommand,
  CreateJobTemplateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeJobExecutionCommand as DescribeForOperator,
  DescribeJobCommand,
  GetJobDocumentCommand,
  type JobExecutionStatus,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openDashboard } from '../support/browser';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { failure } from '../support/sdk-failure';
import { within } from '../support/within';

/**
 * The dashboard's job actions in a real Chromium, against the local runner: each button opens a dialog, its confirming
 * button makes the call, and the job's or the execution's state is then read back with the official IoT client. Half
 * run at a desktop's width, half at a phone's (420 px). DASHBOARD_SCREENSHOTS=<folder> saves the dialogs.
 */
let f: WireFixture;
let browser: Browser;
let desktop: Page;
let phone: Page;

const jobOf = async (jobId: string) => (await f.iot.send(new DescribeJobCommand({ jobId }))).job!;
const executionStatus = async (jobId: string, thingName: string) =>
  (await f.iot.send(new DescribeForOperator({ jobId, thingName }))).execution?.status;

async function createJob(jobId: string, things: string[]): Promise<void> {
  await f.iot.send(new CreateJobCommand({ jobId, targets: things.map(thingArn), document: '{"v":1}' }));
}

async function start(thingName: string): Promise<void> {
  await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
}

async function expectExecution(jobId: string, thingName: string, status: JobExecutionStatus): Promise<void> {
  expect(await within(10_000, async () => (await executionStatus(jobId, thingName)) === status)).toBe(true);
}

/** Opens a page of the dashboard and waits for it to show that address. */
const open = (page: Page, hash: string, heading: string) => openDashboard(page, f.service.dashboardUrl, hash, heading);

async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.DASHBOARD_SCREENSHOTS;
  if (folder) await page.screenshot({ path: `${folder}/${name}.png` });
}

beforeAll(async () => {
  [f, browser] = await Promise.all([startWireFixture({ controllableClock: true }), launchChromium()]);
  desktop = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  phone = await browser.newPage({ viewport: { width: 420, height: 860 }, isMobile: true, hasTouch: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await f?.stop();
});

describe("the dashboard's job actions, in Chromium", () => {
  it('Cancel job: a dialog with reason code and comment, then CancelJob; the job is CANCELED with both', async () => {
    await createJob('cancel-me', ['c1', 'c2', 'c3']);
    await open(desktop, '#/jobs/cancel-me', 'cancel-me');
    await desktop.getByRole('button', { name: 'Cancel job' }).click();
    const dialog = desktop.getByRole('dialog', { name: 'Cancel job cancel-me?' });
    await dialog.getByLabel('Reason code').fill('BAD_ROLLOUT');
    await dialog.getByLabel('Comment').fill('devices reboot in a loop');
    await screenshot(desktop, 'dashboard-cancel-job');
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await desktop.getByRole('status').filter({ hasText: 'CancelJob: cancel-me' }).waitFor();
    expect(await dialog.count()).toBe(0);
    expect(await jobOf('cancel-me')).toMatchObject({
      status: 'CANCELED',
      reasonCode: 'BAD_ROLLOUT',
      comment: 'devices reboot in a loop',
    });
    await expectExecution('cancel-me', 'c1', 'CANCELED');
    // The page reads it again: the job is shown canceled, and only Delete job is left.
    await desktop.locator('h1 .status', { hasText: 'CANCELED' }).waitFor();
    expect(await desktop.locator('.actions button').allTextContents()).toEqual(['Delete job']);
  });

  it('shows a refusal plainly in the dialog, and changes nothing: a reason code CancelJob does not accept', async () => {
    await createJob('refuse-me', ['r1']);
    await open(phone, '#/jobs/refuse-me', 'refuse-me');
    await phone.getByRole('button', { name: 'Cancel job' }).click();
    const dialog = phone.getByRole('dialog');
    await dialog.getByLabel('Reason code').fill('not a code!');
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /^400 InvalidRequestException: .*reasonCode.* \(PUT \/jobs\/refuse-me\/cancel\)$/,
    );
    await screenshot(phone, 'dashboard-refused-phone');
    expect((await jobOf('refuse-me')).status).toBe('IN_PROGRESS');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await dialog.count()).toBe(0);
  });

  it('Force cancel: the execution a device is working on is canceled too', async () => {
    await createJob('force-me', ['f1', 'f2']);
    await start('f1');
    await open(phone, '#/jobs/force-me', 'force-me');
    await phone.getByRole('button', { name: 'Force cancel', exact: true }).click();
    const dialog = phone.getByRole('dialog', { name: 'Force cancel job force-me?' });
    await dialog.getByLabel('Comment').fill('pulled');
    await dialog.getByRole('button', { name: 'Force cancel', exact: true }).click();
    await phone.getByRole('status').filter({ hasText: 'CancelJob (force): force-me' }).waitFor();
    expect(await jobOf('force-me')).toMatchObject({ status: 'CANCELED', forceCanceled: true, comment: 'pulled' });
    await expectExecution('force-me', 'f1', 'CANCELED');
    await expectExecution('force-me', 'f2', 'CANCELED');
  });

  it('Update job: rollout rate, abort criterion and timeout, sent by UpdateJob', async () => {
    await createJob('update-me', ['u1']);
    await open(desktop, '#/jobs/update-me', 'update-me');
    await desktop.getByRole('button', { name: 'Update job' }).click();
    const dialog = desktop.getByRole('dialog', { name: 'Update job update-me' });
    await dialog.getByLabel('Description').fill('slower now');
    await dialog.getByLabel('Releases per minute').fill('50');
    await dialog.getByLabel('Failure type').selectOption('FAILED');
    await dialog.getByLabel('Threshold (%)').fill('20');
    await dialog.getByLabel('After at least (things)').fill('5');
    await dialog.getByLabel('In progress for at most (minutes)').fill('30');
    await screenshot(desktop, 'dashboard-update-job');
    await dialog.getByRole('button', { name: 'Update job' }).click();
    await desktop.getByRole('status').filter({ hasText: 'UpdateJob: update-me updated.' }).waitFor();
    expect(await jobOf('update-me')).toMatchObject({
      description: 'slower now',
      jobExecutionsRolloutConfig: { maximumPerMinute: 50 },
      abortConfig: {
        criteriaList: [
          { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 20, minNumberOfExecutedThings: 5 },
        ],
      },
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    });
    // Opened again, the form shows the job's settings as they now are.
    await desktop.getByRole('button', { name: 'Update job' }).click();
    expect(await dialog.getByLabel('Releases per minute').inputValue()).toBe('50');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('Cancel execution, from its page; one its device started meanwhile is a conflict, then Force cancel execution', async () => {
    await createJob('one-of', ['e1', 'e2']);
    await open(phone, '#/jobs/one-of/things/e1', 'e1 in one-of');
    await phone.getByRole('button', { name: 'Cancel execution', exact: true }).click();
    await phone.getByRole('dialog').getByRole('button', { name: 'Cancel execution' }).click();
    await phone.getByRole('status').filter({ hasText: 'CancelJobExecution: e1 in one-of canceled.' }).waitFor();
    await expectExecution('one-of', 'e1', 'CANCELED');

    await open(phone, '#/jobs/one-of/things/e2', 'e2 in one-of');
    await phone.getByRole('button', { name: 'Cancel execution', exact: true }).click();
    // The device starts it while the operator reads the dialog.
    await start('e2');
    const dialog = phone.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Cancel execution' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^409 (VersionConflictException|InvalidStateTransitionException): /);
    expect(await executionStatus('one-of', 'e2')).toBe('IN_PROGRESS');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await phone.locator('h1 .status', { hasText: 'IN_PROGRESS' }).waitFor();
    await phone.getByRole('button', { name: 'Force cancel execution' }).click();
    await phone.getByRole('dialog').getByRole('button', { name: 'Force cancel execution' }).click();
    await phone.getByRole('status').filter({ hasText: 'CancelJobExecution (force)' }).waitFor();
    await expectExecution('one-of', 'e2', 'CANCELED');
  });

  it("Cancel and Force cancel from an execution's row of the job's table: only that thing's execution changes", async () => {
    await createJob('rows', ['r1', 'r2', 'r3']);
    await start('r2');
    await open(desktop, '#/jobs/rows', 'rows');
    await desktop.getByRole('button', { name: 'Cancel the execution on r1' }).click();
    await desktop
      .getByRole('dialog', { name: 'Cancel the execution of rows on r1?' })
      .getByRole('button', { name: 'Cancel execution' })
      .click();
    await desktop.getByRole('status').filter({ hasText: 'CancelJobExecution: r1 in rows canceled.' }).waitFor();
    await expectExecution('rows', 'r1', 'CANCELED');
    // A row in progress offers only Force cancel; a canceled one, nothing.
    expect(await desktop.getByRole('button', { name: 'Cancel the execution on r2', exact: true }).count()).toBe(0);
    await desktop.locator('tr[data-thing="r1"] .status', { hasText: 'CANCELED' }).waitFor();
    expect(await desktop.locator('tr[data-thing="r1"] button').count()).toBe(0);
    await desktop.getByRole('button', { name: 'Force cancel the execution on r2' }).click();
    await desktop
      .getByRole('dialog', { name: 'Force cancel the execution of rows on r2?' })
      .getByRole('button', { name: 'Force cancel execution' })
      .click();
    await desktop.getByRole('status').filter({ hasText: 'CancelJobExecution (force): r2 in rows canceled.' }).waitFor();
    await expectExecution('rows', 'r2', 'CANCELED');
    expect(await executionStatus('rows', 'r3')).toBe('QUEUED');
  });

  it('Delete job: refused while in progress without force, then deleted with it; the page goes back to the jobs', async () => {
    await createJob('delete-me', ['d1']);
    await start('d1');
    await open(desktop, '#/jobs/delete-me', 'delete-me');
    await desktop.getByRole('button', { name: 'Delete job' }).click();
    const dialog = desktop.getByRole('dialog', { name: 'Delete job delete-me?' });
    await dialog.getByRole('button', { name: 'Delete job' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/^409 InvalidStateTransitionException: /);
    expect((await jobOf('delete-me')).status).toBe('IN_PROGRESS');
    await dialog.getByLabel('Also while executions are in progress (force)').check();
    await dialog.getByRole('button', { name: 'Delete job' }).click();
    await desktop.getByRole('status').filter({ hasText: 'DeleteJob: delete-me' }).waitFor();
    await desktop.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
    expect(
      await within(10_000, async () => (await failure(jobOf('delete-me')))?.name === 'ResourceNotFoundException'),
    ).toBe(true);
  });
});

describe('the Create job page, in Chromium', () => {
  beforeAll(async () => {
    for (const thingName of ['pick-1', 'pick-2', 'pick-3']) await f.iot.send(new CreateThingCommand({ thingName }));
    await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'lab' }));
    await f.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'lab', thingName: 'pick-3' }));
    await f.iot.send(
      new CreateJobTemplateCommand({ jobTemplateId: 'reboot', description: 'reboot', document: '{"op":"reboot"}' }),
    );
  });

  it('creates a job from a document, for a thing and a group picked from the lists, with every setting', async () => {
    // An hour from now on the service's clock, as the form's UTC field takes it.
    const start = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
    await desktop.goto(f.service.dashboardUrl);
    await desktop.getByRole('link', { name: 'Create job' }).click();
    await desktop.getByRole('heading', { level: 1, name: 'Create job' }).waitFor();
    await desktop.getByLabel('Job ID').fill('made-here');
    await desktop.getByLabel('Description').fill('from the dashboard');
    await desktop.getByLabel('Document (JSON)').fill('{"firmware":"3.1"}');
    await desktop.getByRole('group', { name: 'Target things' }).getByLabel('pick-1').check();
    await desktop.getByRole('group', { name: 'Target groups' }).getByLabel('lab').check();
    await desktop.getByLabel('Target selection').selectOption('CONTINUOUS');
    await desktop.getByLabel('Releases per minute').fill('10');
    await desktop.getByRole('group', { name: 'Abort when' }).getByLabel('Failure type').selectOption('ALL');
    await desktop.getByLabel('Threshold (%)').fill('50');
    await desktop.getByLabel('After at least (things)').fill('2');
    await desktop.getByLabel('In progress for at most (minutes)').fill('15');
    await desktop.getByLabel('Retries').fill('2');
    await desktop.getByLabel('Start').fill(start);
    await screenshot(desktop, 'dashboard-create-job');
    await desktop.getByRole('button', { name: 'Create job' }).click();
    await desktop.getByRole('heading', { level: 1, name: 'made-here' }).waitFor();
    await desktop.getByRole('status').filter({ hasText: 'CreateJob: made-here created.' }).waitFor();
    const job = await jobOf('made-here');
    expect(job).toMatchObject({
      status: 'SCHEDULED',
      description: 'from the dashboard',
      targetSelection: 'CONTINUOUS',
      jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
      abortConfig: {
        criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 2 }],
      },
      timeoutConfig: { inProgressTimeoutInMinutes: 15 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
      schedulingConfig: { startTime: start, endBehavior: 'STOP_ROLLOUT' },
    });
    expect(job.targets).toEqual([thingArn('pick-1'), 'arn:aws:iot:us-east-1:123456789012:thinggroup/lab']);
    expect((await f.iot.send(new GetJobDocumentCommand({ jobId: 'made-here' }))).document).toBe('{"firmware":"3.1"}');
  });

  it('creates a job from a template at a phone’s width; a job ID taken already is refused plainly', async () => {
    await open(phone, '#/new', 'Create job');
    await phone.getByLabel('Job ID').fill('made-here');
    await phone.getByLabel('Template').selectOption({ label: 'reboot' });
    await phone.getByRole('group', { name: 'Target things' }).getByLabel('pick-2').check();
    await phone.getByRole('button', { name: 'Create job' }).click();
    const alert = phone.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^409 ResourceAlreadyExistsException: /);
    await phone.getByLabel('Job ID').fill('rebooted');
    await phone.getByRole('button', { name: 'Create job' }).click();
    await phone.getByRole('heading', { level: 1, name: 'rebooted' }).waitFor();
    expect(await jobOf('rebooted')).toMatchObject({
      jobTemplateArn: 'arn:aws:iot:us-east-1:123456789012:jobtemplate/reboot',
      targets: [thingArn('pick-2')],
      status: 'IN_PROGRESS',
    });
    expect((await f.iot.send(new GetJobDocumentCommand({ jobId: 'rebooted' }))).document).toBe('{"op":"reboot"}');
  });
});

describe("a job's page: what it shows beyond the counts", () => {
  it('the document as stored, each execution’s retry attempt and statusDetails, and the targets not yet released', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'slow',
        targets: ['s1', 's2', 's3', 's4', 's5'].map(thingArn),
        document: '{"firmware":"4.0","url":"https://example.com/fw"}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
      }),
    );
    // The first minute's two; which two is the service's choice.
    const released = (await f.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'slow' }))).executionSummaries!.map(
      (summary) => summary.thingArn!.split('/').pop()!,
    );
    expect(released).toHaveLength(2);
    const [failing, working] = released as [string, string];
    await start(failing);
    await f.device.send(
      new UpdateJobExecutionCommand({
        thingName: failing,
        jobId: 'slow',
        status: 'FAILED',
        statusDetails: { why: 'disk' },
      }),
    );
    await f.device.send(
      new StartNextPendingJobExecutionCommand({ thingName: working, statusDetails: { step: 'download', pct: '40' } }),
    );
    await open(desktop, '#/jobs/slow', 'slow');
    expect(await desktop.locator('pre.document').textContent()).toBe(
      '{"firmware":"4.0","url":"https://example.com/fw"}',
    );
    const row = (thing: string) => desktop.locator(`table[aria-label="Executions"] tr[data-thing="${thing}"]`);
    await row(working).locator('td.details', { hasText: '"pct":"40"' }).waitFor();
    expect(JSON.parse((await row(working).locator('td.details').textContent())!)).toEqual({
      step: 'download',
      pct: '40',
    });
    // The failed attempt was retried: the thing's execution is its second attempt.
    expect(await row(failing).locator('td.numeric').nth(1).textContent()).toBe('1');
    const legend = desktop.locator('#progress .legend li[data-status="UNRELEASED"]');
    expect(await legend.locator('.count').textContent()).toBe('3');
    expect(await desktop.locator('#progress .progress').getAttribute('aria-label')).toMatch(
      /^2 executions: .*; 3 targets not yet released$/,
    );
    const share = await desktop.$eval(
      '#progress .progress',
      (bar) => bar.querySelector('[data-status="UNRELEASED"]')!.getBoundingClientRect().width / bar.clientWidth,
    );
    expect(share).toBeCloseTo(0.6, 2);
    await screenshot(desktop, 'dashboard-job-extras');
  });

  it('the chart of a rate-limited job: what was released, and how many in the last minute', async () => {
    // A minute on, the rollout's next window releases two more (the controllable clock runs the release at once).
    const answer = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
      method: 'POST',
      body: '{"seconds":60}',
    });
    expect(answer.status).toBe(200);
    const released = async () =>
      (await f.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'slow' }))).executionSummaries!.length;
    expect(await within(10_000, async () => (await released()) === 4)).toBe(true);
    await open(desktop, '#/jobs/slow', 'slow');
    const rate = desktop.locator('.chart p.rate', { hasText: '4 released' });
    await rate.waitFor({ timeout: 15_000 });
    expect(await rate.textContent()).toMatch(/^Releases per minute: 4 released; 2 in the minute to \S+ \S+Z\.$/);
    expect(await desktop.locator('.chart polyline[data-status="RELEASED"]').count()).toBe(1);
    expect(await desktop.locator('#progress .legend li[data-status="UNRELEASED"] .count').textContent()).toBe('1');
  });

  it("the header's clock is the service's: moved a day on, it says tomorrow", async () => {
    await open(desktop, '#/', 'Jobs');
    const clock = desktop.locator('header time');
    const today = new Date().toISOString().slice(0, 10);
    await clock.filter({ hasText: `service time ${today}` }).waitFor();
    const answer = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
      method: 'POST',
      body: '{"seconds":86400}',
    });
    expect(answer.status).toBe(200);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await clock.filter({ hasText: `service time ${tomorrow}` }).waitFor();
    expect(await clock.getAttribute('datetime')).toMatch(new RegExp(`^${tomorrow}T`));
  });
});
