import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionStatus } from '../../lambdas/jobs/execution/execution';
import { toJobProcessDetails } from '../../lambdas/jobs/management/views';
import { type StreamPoller, startStreamPoller } from '../../local/stream/stream-poller';
import { asDeviceRetries } from '../support/device-retry';
import { createServices, update } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
let poller: StreamPoller;
let batches: _Record[][];

/** The services on DynamoDB Local with the aggregator fed by the table's real stream, as the local runner does. */
beforeEach(async () => {
  s = await createServices();
  batches = [];
  poller = await startStreamPoller({
    endpoint: s.table.endpoint,
    tableName: s.table.tableName,
    intervalMs: 50,
    onBatch: async (records) => {
      batches.push(records);
      await s.services.aggregateCounts(records);
    },
  });
});

afterEach(() => poller.stop());

/** Counts by status from the executions themselves. */
async function recount(jobId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let nextToken: string | undefined;
  do {
    const page = await s.management.listExecutionsForJob({
      jobId,
      maxResults: 250,
      ...(nextToken ? { nextToken } : {}),
    });
    for (const e of page.executionSummaries)
      counts[e.jobExecutionSummary.status] = (counts[e.jobExecutionSummary.status] ?? 0) + 1;
    nextToken = page.nextToken;
  } while (nextToken);
  return counts;
}

/** The jobProcessDetails a recount implies (field names are checked against the SDK in the wire tests). */
const asProcessDetails = (counts: Record<string, number>) =>
  toJobProcessDetails({ executionCounts: counts }, undefined);

const jobOf = async (jobId: string) => (await s.management.describeJob({ jobId })).job;

describe('job counts from the stream', () => {
  it("counts a new job's executions as QUEUED", async () => {
    await s.createJob('j1', ['t1', 't2', 't3']);
    await poller.drain();
    expect((await jobOf('j1')).jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 3,
      numberOfInProgressThings: 0,
    });
  });

  it('agrees with a recount after 200 concurrent device updates, and completes the job when all are final', async () => {
    const fleet = Array.from({ length: 50 }, (_, i) => `dev-${i}`);
    await s.createJob('j1', fleet);
    const finals: ExecutionStatus[] = ['SUCCEEDED', 'FAILED', 'REJECTED'];
    // 4 updates per device, all devices at once: start, progress twice, a final status (each retried as a device would
    // on a 503).
    await Promise.all(
      fleet.map(async (thingName, i) => {
        await asDeviceRetries(() => s.device.startNext({ thingName }));
        await asDeviceRetries(() => s.device.update(update(thingName, 'j1', { statusDetails: { p: '30' } })));
        await asDeviceRetries(() => s.device.update(update(thingName, 'j1', { statusDetails: { p: '60' } })));
        if (i % 10 !== 0)
          await asDeviceRetries(() =>
            s.device.update(update(thingName, 'j1', { status: finals[i % 3] as 'SUCCEEDED' })),
          );
      }),
    );
    await poller.drain();
    const midway = await jobOf('j1');
    expect(midway.jobProcessDetails).toEqual(asProcessDetails(await recount('j1')));
    expect(midway.status).toBe('IN_PROGRESS');

    await Promise.all(
      fleet
        .filter((_, i) => i % 10 === 0)
        .map((thingName) => asDeviceRetries(() => s.device.update(update(thingName, 'j1', { status: 'SUCCEEDED' })))),
    );
    await poller.drain();
    const done = await jobOf('j1');
    expect(done.jobProcessDetails).toEqual(asProcessDetails(await recount('j1')));
    const { numberOfSucceededThings, numberOfFailedThings, numberOfRejectedThings } = done.jobProcessDetails;
    expect((numberOfSucceededThings ?? 0) + (numberOfFailedThings ?? 0) + (numberOfRejectedThings ?? 0)).toBe(50);
    expect(done).toMatchObject({ status: 'COMPLETED', completedAt: expect.any(Number) });
  });

  it('counts a batch delivered twice once', async () => {
    await s.createJob('j1', ['t1', 't2']);
    await s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }));
    await poller.drain();
    const before = (await jobOf('j1')).jobProcessDetails;
    for (const batch of batches) await s.services.aggregateCounts(batch);
    expect((await jobOf('j1')).jobProcessDetails).toEqual(before);
    expect(before).toMatchObject({ numberOfQueuedThings: 1, numberOfSucceededThings: 1 });
  });

  it('counts each record once when its batch comes back split, one record at a time, or all together in a different batch', async () => {
    await s.createJob('j1', ['t1', 't2', 't3']);
    await s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }));
    await s.device.update(update('t2', 'j1', { status: 'FAILED' }));
    await poller.drain();
    const before = (await jobOf('j1')).jobProcessDetails;
    const all = batches.flat();
    // Halves of everything, then each record alone, then everything in one batch.
    await s.services.aggregateCounts(all.slice(0, Math.ceil(all.length / 2)));
    await s.services.aggregateCounts(all.slice(Math.ceil(all.length / 2)));
    for (const record of all) await s.services.aggregateCounts([record]);
    await s.services.aggregateCounts(all);
    expect((await jobOf('j1')).jobProcessDetails).toEqual(before);
    expect(before).toMatchObject({ numberOfQueuedThings: 1, numberOfSucceededThings: 1, numberOfFailedThings: 1 });
  });

  it('takes deleted executions out of the counts', async () => {
    await s.createJob('j1', ['t1', 't2']);
    await s.device.update(update('t1', 'j1', { status: 'FAILED' }));
    await s.management.deleteExecution({ thingName: 't1', jobId: 'j1', executionNumber: 1, force: false });
    await poller.drain();
    expect((await jobOf('j1')).jobProcessDetails).toMatchObject({ numberOfQueuedThings: 1, numberOfFailedThings: 0 });
  });

  it('counts cancels and timeouts, and never completes a CANCELED job', async () => {
    await s.createJob('j1', ['t1', 't2']);
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 1 });
    s.clock.advance(60_000);
    await s.management.cancelJob({ jobId: 'j1', force: false });
    await s.management.describeExecution({ thingName: 't1', jobId: 'j1' }); // observes, and writes, the timeout
    await poller.drain();
    expect(await jobOf('j1')).toMatchObject({
      status: 'CANCELED',
      jobProcessDetails: { numberOfCanceledThings: 1, numberOfTimedOutThings: 1 },
    });
  });
});

describe('a job deleted and created again under its jobId', () => {
  it("gets none of the old job's counts, however late the stream delivers them, and completes", async () => {
    const t = await createServices();
    // The stream is read only when the test lets it: the old job's last records arrive after the new job exists.
    let open = true;
    let opened: () => void = () => undefined;
    let gate = Promise.resolve();
    const reader = await startStreamPoller({
      endpoint: t.table.endpoint,
      tableName: t.table.tableName,
      intervalMs: 50,
      onBatch: async (records) => {
        await gate;
        await t.services.aggregateCounts(records);
      },
    });
    try {
      await t.createJob('again', ['a1', 'a2', 'a3']);
      await t.device.update(update('a1', 'again', { status: 'SUCCEEDED' }));
      await reader.drain();
      expect((await t.management.describeJob({ jobId: 'again' })).job.jobProcessDetails).toMatchObject({
        numberOfQueuedThings: 2,
        numberOfSucceededThings: 1,
      });

      gate = new Promise((resolve) => (opened = resolve));
      open = false;
      await t.management.deleteJob({ jobId: 'again', force: true });
      await t.createJob('again', ['a1', 'a2']);
      for (const thingName of ['a1', 'a2']) await t.device.update(update(thingName, 'again', { status: 'SUCCEEDED' }));
      open = true;
      opened();
      await reader.drain();

      const { job } = await t.management.describeJob({ jobId: 'again' });
      expect(job.status).toBe('COMPLETED');
      expect(job.jobProcessDetails).toMatchObject({
        numberOfQueuedThings: 0,
        numberOfInProgressThings: 0,
        numberOfSucceededThings: 2,
      });
    } finally {
      if (!open) opened();
      await reader.stop();
    }
  });
});
