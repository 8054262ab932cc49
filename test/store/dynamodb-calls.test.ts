import { beforeEach, describe, expect, it } from 'vitest';
import { NEXT_JOB_ID } from '../../lambdas/jobs/device/inputs';
import { createServices, update } from '../support/services';

/**
 * The DynamoDB calls each device operation makes, counted as sent. These are
 * the floors documented in docs/data-model.md: a change here is a change there.
 */
type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

/** The commands one call sends, with the job documents already cached (as in a warm container). */
async function callsOf(run: () => Promise<unknown>): Promise<string[]> {
  s.table.commands.length = 0;
  await run();
  return [...s.table.commands];
}

beforeEach(async () => {
  s = await createServices();
  for (const jobId of ['j1', 'j2', 'j3']) {
    await s.createJob(jobId, ['t1', 't2', 'warm']);
    s.clock.advance(1_000);
  }
  // Warm the document cache the way a container does after its first few requests.
  for (const jobId of ['j1', 'j2', 'j3'])
    await s.device.describe({ thingName: 'warm', jobId, includeJobDocument: true });
});

describe('DynamoDB calls per operation', () => {
  it('GetPendingJobExecutions: 1 Query', async () => {
    expect(await callsOf(() => s.device.getPending({ thingName: 't1' }))).toEqual(['Query']);
  });

  it('StartNextPendingJobExecution: 1 Query + 1 conditional UpdateItem', async () => {
    expect(await callsOf(() => s.device.startNext({ thingName: 't1', statusDetails: { a: 'b' } }))).toEqual([
      'Query',
      'UpdateItem',
    ]);
  });

  it('StartNextPendingJobExecution with an execution already IN_PROGRESS: 1 Query, no write', async () => {
    await s.device.startNext({ thingName: 't1' });
    expect(await callsOf(() => s.device.startNext({ thingName: 't1' }))).toEqual(['Query']);
  });

  it('StartNextPendingJobExecution with nothing pending: 1 Query, no write', async () => {
    expect(await callsOf(() => s.device.startNext({ thingName: 'idle' }))).toEqual(['Query']);
  });

  it('DescribeJobExecution by jobId: 1 GetItem, document from the cache', async () => {
    expect(await callsOf(() => s.device.describe({ thingName: 't1', jobId: 'j2', includeJobDocument: true }))).toEqual([
      'GetItem',
    ]);
  });

  it('DescribeJobExecution $next: 1 Query, document from the cache', async () => {
    expect(
      await callsOf(() => s.device.describe({ thingName: 't1', jobId: NEXT_JOB_ID, includeJobDocument: true })),
    ).toEqual(['Query']);
  });

  it('UpdateJobExecution: 1 conditional UpdateItem, even with state and document asked for', async () => {
    expect(
      await callsOf(() =>
        s.device.update(update('t1', 'j1', { includeJobExecutionState: true, includeJobDocument: true })),
      ),
    ).toEqual(['UpdateItem']);
  });

  it('UpdateJobExecution rejected (VersionMismatch): still 1 UpdateItem, the state comes back with the failure', async () => {
    expect(
      await callsOf(() => s.device.update(update('t1', 'j1', { expectedVersion: 7 })).catch(() => undefined)),
    ).toEqual(['UpdateItem']);
  });

  it('UpdateJobExecution with a step timer inside the job timeout: 1 conditional UpdateItem', async () => {
    await s.createJob('capped', ['tc'], { timeoutConfig: { inProgressTimeoutInMinutes: 60 } });
    await s.device.startNext({ thingName: 'tc' });
    expect(await callsOf(() => s.device.update(update('tc', 'capped', { stepTimeoutInMinutes: 10 })))).toEqual([
      'UpdateItem',
    ]);
  });

  it("UpdateJobExecution whose plan needs the stored timers (a job timeout to start): 2 UpdateItems, the second from the first one's image", async () => {
    await s.createJob('timed', ['t9'], { timeoutConfig: { inProgressTimeoutInMinutes: 60 } });
    expect(await callsOf(() => s.device.update(update('t9', 'timed')))).toEqual(['UpdateItem', 'UpdateItem']);
  });

  it('DescribeJobExecution of an execution past its deadline: 1 GetItem + 1 conditional UpdateItem writing TIMED_OUT', async () => {
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 1 });
    s.clock.advance(60_000);
    expect(await callsOf(() => s.device.describe({ thingName: 't1', jobId: 'j1', includeJobDocument: true }))).toEqual([
      'GetItem',
      'UpdateItem',
    ]);
  });

  it('StartNextPendingJobExecution past the deadline of the running one: it is timed out on the way, then the next one starts', async () => {
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 1 });
    s.clock.advance(60_000);
    expect(await callsOf(() => s.device.startNext({ thingName: 't1' }))).toEqual([
      'Query',
      'Query',
      'UpdateItem',
      'UpdateItem',
    ]);
  });

  it('reads a job document once per container, however many devices ask', async () => {
    await s.createJob('fresh', ['t1', 't2', 't3']);
    const calls = await callsOf(async () => {
      await Promise.all(
        ['t1', 't2', 't3'].map((thingName) =>
          s.device.describe({ thingName, jobId: 'fresh', includeJobDocument: true }),
        ),
      );
    });
    expect(calls.filter((c) => c === 'GetItem')).toHaveLength(3 + 1);
  });
});

describe('DynamoDB calls of ListJobExecutionsForJob (docs/api.md)', () => {
  it('1 GetItem (the job) + 1 Query per index shard the page touches; a job with retries + 1 BatchGetItem per 100 executions listed (their retryAttempt, which the index does not project)', async () => {
    const list = (jobId: string) => s.management.listExecutionsForJob({ jobId, maxResults: 250 });
    const shardQueries = Array.from({ length: 8 }, () => 'Query');
    expect(await callsOf(() => list('j1'))).toEqual(['GetItem', ...shardQueries]);
    await s.createJob('retried', ['t1', 't2'], {
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
    });
    expect(await callsOf(() => list('retried'))).toEqual(['GetItem', ...shardQueries, 'BatchGetItem']);
  });
});
