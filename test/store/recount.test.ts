import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RecountOptions, recountJob } from '../../lambdas/jobs/counts/recount';
import { ResourceNotFoundException } from '../../lambdas/jobs/shared/errors';
import { type StreamPoller, startStreamPoller } from '../../local/stream/stream-poller';
import { createServices, update } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
let poller: StreamPoller;

beforeEach(async () => {
  s = await createServices();
  poller = await startStreamPoller({
    endpoint: s.table.endpoint,
    tableName: s.table.tableName,
    intervalMs: 50,
    onBatch: (records) => s.services.aggregateCounts(records),
  });
});

afterEach(() => poller.stop());

const jobOf = async (jobId: string) => (await s.management.describeJob({ jobId })).job;

/** Counts gone wrong, as after a batch the aggregator gave up on: what the recount is for. */
const spoilCounts = (jobId: string, counts: Record<string, number>) =>
  s.table.client.send(
    new UpdateCommand({
      TableName: s.table.tableName,
      Key: { pk: `JOB#${jobId}`, sk: 'JOB' },
      UpdateExpression: `SET ${Object.keys(counts)
        .map((_, i) => `#c${i} = :c${i}`)
        .join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(
        Object.keys(counts).map((status, i) => [`#c${i}`, `count_${status}`]),
      ),
      ExpressionAttributeValues: Object.fromEntries(Object.values(counts).map((n, i) => [`:c${i}`, n])),
    }),
  );

const options = (over: Partial<RecountOptions> = {}): RecountOptions => ({
  clock: s.clock,
  settleMs: 0,
  wait: async () => undefined,
  ...over,
});

describe('recount', () => {
  it('writes the counts the executions say, and completes a job that was stuck waiting for them', async () => {
    const things = ['t1', 't2', 't3', 't4'];
    await s.createJob('j1', things);
    for (const thing of things)
      await s.device.update(update(thing, 'j1', { status: thing === 't4' ? 'FAILED' : 'SUCCEEDED' }));
    await poller.drain();
    // The last two changes lost, as if their batch had gone to the destination, and the job never completed.
    await spoilCounts('j1', { SUCCEEDED: 2, FAILED: 0, QUEUED: 2 });
    await s.table.client.send(
      new UpdateCommand({
        TableName: s.table.tableName,
        Key: { pk: 'JOB#j1', sk: 'JOB' },
        UpdateExpression: 'REMOVE completedAt SET #s = :p',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':p': 'IN_PROGRESS' },
      }),
    );

    const report = await recountJob(s.stores.counts, 'j1', options());

    expect(report).toMatchObject({
      corrected: true,
      completed: true,
      before: { SUCCEEDED: 2, QUEUED: 2 },
      after: { SUCCEEDED: 3, FAILED: 1 },
    });
    const job = await jobOf('j1');
    expect(job.status).toBe('COMPLETED');
    expect(job.jobProcessDetails).toMatchObject({
      numberOfSucceededThings: 3,
      numberOfFailedThings: 1,
      numberOfQueuedThings: 0,
    });
  });

  it('leaves right counts as they are', async () => {
    await s.createJob('j1', ['t1', 't2']);
    await s.device.update(update('t1', 'j1'));
    await poller.drain();
    const before = await jobOf('j1');
    const report = await recountJob(s.stores.counts, 'j1', options());
    expect(report).toMatchObject({ corrected: false, completed: false, after: { QUEUED: 1, IN_PROGRESS: 1 } });
    expect((await jobOf('j1')).jobProcessDetails).toEqual(before.jobProcessDetails);
  });

  it('looks again when the job changes during its settle window, and the counts end exact', async () => {
    await s.createJob('j1', ['t1', 't2']);
    await poller.drain();
    await spoilCounts('j1', { QUEUED: 7 });
    let waits = 0;
    const report = await recountJob(
      s.stores.counts,
      'j1',
      options({
        settleMs: 1,
        // During the first window a device reports, and the aggregator counts it.
        wait: async () => {
          if (waits++ === 0) {
            await s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }));
            await poller.drain();
          }
        },
      }),
    );
    expect(waits).toBe(2);
    expect(report.after).toEqual({ QUEUED: 1, SUCCEEDED: 1 });
    expect((await jobOf('j1')).jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 1,
      numberOfSucceededThings: 1,
    });
  });

  it('agrees with the aggregator on retries: a failure retried, and one left with a retry its canceled job will never write', async () => {
    await s.createJob('r1', ['t1', 't2', 't3'], {
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
    });
    await s.device.update(update('t1', 'r1', { status: 'FAILED' }));
    await poller.drain();
    expect(await s.executions.get('t1', 'r1')).toMatchObject({ status: 'QUEUED', executionNumber: 2, retryAttempt: 1 });
    await s.device.update(update('t2', 'r1', { status: 'IN_PROGRESS' }));
    await s.management.cancelJob({ jobId: 'r1', force: false });
    await s.workDone();
    // t2 was running, so the cancel left it; its failure now has a retry left that the canceled job refuses.
    await s.device.update(update('t2', 'r1', { status: 'FAILED' }));
    await poller.drain();
    expect(await s.executions.get('t2', 'r1')).toMatchObject({ status: 'FAILED', executionNumber: 1 });
    expect((await s.jobs.getJob('r1'))!.executionCounts).toMatchObject({ CANCELED: 2, FAILED: 1, RETRYING_FAILED: 1 });
    expect(await recountJob(s.stores.counts, 'r1', options())).toMatchObject({ corrected: false });
  });

  it('refuses to write over counts the aggregator moved after the recount read them', async () => {
    await s.createJob('j1', ['t1', 't2']);
    await poller.drain();
    const job = (await s.stores.counts.getJob('j1'))!;
    await s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }));
    await poller.drain();
    const written = await s.stores.counts.writeCounts(
      { jobId: 'j1', incarnation: job.incarnation },
      { QUEUED: 2 },
      job.countsRevision,
    );
    expect(written.outcome).toBe('counts-moved');
    expect((await jobOf('j1')).jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 1,
      numberOfSucceededThings: 1,
    });
  });

  it('names a job that does not exist', async () => {
    await expect(recountJob(s.stores.counts, 'nope', options())).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
