import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type _Record, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_COUNTS_AGGREGATOR } from '../../lambdas/api/routes';
import { recountJob } from '../../lambdas/jobs/counts/recount';
import { ServiceUnavailableException } from '../../lambdas/jobs/shared/errors';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lambdas/store/table/dynamo-client';
import { jobsOfBatch } from '../../local/stream/failed-batch-jobs';
import { type BatchRetryPolicy, failedBatchList, handleRetrying } from '../../local/stream/failed-batches';
import { type StreamPoller, startStreamPoller } from '../../local/stream/stream-poller';
import { createServices, update } from '../support/services';

const noWait = async () => undefined;

describe('handleRetrying', () => {
  const policy: BatchRetryPolicy = { bisect: true, retryAttempts: 3 };

  it('splits a failing batch down to the one record that keeps failing, retries it, sets it aside, and handles every other record in order', async () => {
    const handled: number[] = [];
    const tries = new Map<number, number>();
    const setAside: { records: number[]; invocations: number }[] = [];
    await handleRetrying([1, 2, 3, 4, 5, 6, 7, 8], {
      policy,
      wait: noWait,
      handle: (records) => {
        if (records.includes(6)) {
          tries.set(records.length, (tries.get(records.length) ?? 0) + 1);
          return Promise.reject(new Error('poison'));
        }
        handled.push(...records);
        return Promise.resolve();
      },
      setAside: async (records, _error, invocations) => void setAside.push({ records, invocations }),
    });
    expect(handled).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(setAside).toEqual([{ records: [6], invocations: 4 }]);
    // Split 8 -> 4 -> 2 -> 1, and the single record tried once plus three retries.
    expect(Object.fromEntries(tries)).toEqual({ 8: 1, 4: 1, 2: 1, 1: 4 });
  });

  it('waits for a store that does not answer without counting it against the batch', async () => {
    let calls = 0;
    const setAside: number[][] = [];
    await handleRetrying([1, 2], {
      policy: { bisect: true, retryAttempts: 0 },
      wait: noWait,
      handle: () =>
        ++calls <= 20
          ? Promise.reject(new ServiceUnavailableException('The job store is unavailable; retry'))
          : Promise.resolve(),
      setAside: async (records) => void setAside.push(records),
    });
    expect(calls).toBe(21);
    expect(setAside).toEqual([]);
  });

  it('gives up waiting for the store when the runner stops, leaving the batch unhandled', async () => {
    await expect(
      handleRetrying([1], {
        policy,
        wait: noWait,
        stopping: () => true,
        handle: () => Promise.reject(new ServiceUnavailableException('down')),
        setAside: async () => expect.unreachable(),
      }),
    ).rejects.toBeInstanceOf(ServiceUnavailableException);
  });

  it('follows the aggregator settings the stack deploys', () => {
    expect(JOB_COUNTS_AGGREGATOR.failedBatches).toEqual({ bisect: true, retryAttempts: 10 });
  });
});

describe('a batch that fails every time, read from the real stream', () => {
  type Services = Awaited<ReturnType<typeof createServices>>;
  let s: Services;
  let poller: StreamPoller;
  const sink = failedBatchList();

  const touchesJob = (records: _Record[], jobId: string) =>
    records.some((record) => {
      const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
      return image && unmarshall(image as Record<string, AttributeValue>).jobId === jobId;
    });

  beforeEach(async () => {
    s = await createServices();
    sink.messages.length = 0;
    poller = await startStreamPoller({
      endpoint: s.table.endpoint,
      tableName: s.table.tableName,
      intervalMs: 50,
      // The aggregator, except that any batch holding a change of job "poison" fails.
      onBatch: async (records) => {
        if (touchesJob(records, 'poison')) throw new Error('cannot count this');
        await s.services.aggregateCounts(records);
      },
      failures: { policy: { bisect: true, retryAttempts: 2 }, sink, wait: noWait },
    });
  });

  afterEach(() => poller.stop());

  it('ends in the destination without holding up the batches after it, and the recount repairs its job from there', async () => {
    await s.createJob('before', ['t1']);
    await s.createJob('poison', ['t1', 't2']);
    await s.createJob('after', ['t3', 't4']);
    await s.device.update(update('t3', 'after', { status: 'SUCCEEDED' }));
    await poller.drain();

    // Everything else is counted...
    expect((await s.management.describeJob({ jobId: 'before' })).job.jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 1,
    });
    expect((await s.management.describeJob({ jobId: 'after' })).job.jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 1,
      numberOfSucceededThings: 1,
    });
    // ...and the poison job's changes were set aside, not counted.
    expect((await s.management.describeJob({ jobId: 'poison' })).job.jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 0,
    });
    expect(sink.messages.length).toBeGreaterThan(0);
    expect(sink.messages[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      DDBStreamBatchInfo: { batchSize: 1 },
    });

    // The message names a range of the stream; read again, it leads to the job to recount.
    const streams = new DynamoDBStreamsClient({
      endpoint: s.table.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const jobs = new Set<string>();
    for (const message of sink.messages)
      for (const jobId of await jobsOfBatch(streams, message.DDBStreamBatchInfo)) jobs.add(jobId);
    streams.destroy();
    expect([...jobs]).toEqual(['poison']);
    const report = await recountJob(s.stores.counts, 'poison', { clock: s.clock, settleMs: 0, wait: noWait });
    expect(report).toMatchObject({ corrected: true, after: { QUEUED: 2 } });
    expect((await s.management.describeJob({ jobId: 'poison' })).job.jobProcessDetails).toMatchObject({
      numberOfQueuedThings: 2,
    });
  });
});
