import { beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionStatus } from '../../lambdas/jobs/execution/execution';
import { MINUTE_MS } from '../../lambdas/jobs/shared/clock';
import { InvalidRequestException, ResourceNotFoundException } from '../../lambdas/jobs/shared/errors';
import { createServices, update } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;

beforeEach(async () => {
  s = await createServices();
});

const things = (n: number) => Array.from({ length: n }, (_, i) => `thing-${String(i).padStart(3, '0')}`);

/** Every item of a list, following nextToken page by page. */
async function collect<T>(fetchPage: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>) {
  const items: T[] = [];
  const pageSizes: number[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    pageSizes.push(page.items.length);
    token = page.nextToken;
  } while (token);
  return { items, pageSizes };
}

describe('DescribeJob and GetJobDocument', () => {
  it('describes the job as created, with its counts block, in fractional epoch seconds', async () => {
    s.clock.set(1_700_000_000_250);
    await s.createJob('j1', ['t1', 't2'], {
      description: 'flash v2',
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    });
    const { job } = await s.management.describeJob({ jobId: 'j1' });
    expect(job).toMatchObject({
      jobArn: 'arn:aws:iot:us-east-1:123456789012:job/j1',
      jobId: 'j1',
      targetSelection: 'SNAPSHOT',
      status: 'IN_PROGRESS',
      targets: ['arn:aws:iot:us-east-1:123456789012:thing/t1', 'arn:aws:iot:us-east-1:123456789012:thing/t2'],
      description: 'flash v2',
      createdAt: 1_700_000_000.25,
      lastUpdatedAt: 1_700_000_000.25,
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    });
    expect(Object.keys(job.jobProcessDetails).sort()).toEqual([
      'numberOfCanceledThings',
      'numberOfFailedThings',
      'numberOfInProgressThings',
      'numberOfQueuedThings',
      'numberOfRejectedThings',
      'numberOfRemovedThings',
      'numberOfSucceededThings',
      'numberOfTimedOutThings',
    ]);
  });

  it('returns the document', async () => {
    await s.createJob('j1', ['t1']);
    expect(await s.management.getJobDocument({ jobId: 'j1' })).toEqual({ document: '{"job":"j1"}' });
  });

  it.each([
    ['DescribeJob', () => s.management.describeJob({ jobId: 'nope' })],
    ['GetJobDocument', () => s.management.getJobDocument({ jobId: 'nope' })],
    ['ListJobExecutionsForJob', () => s.management.listExecutionsForJob({ jobId: 'nope', maxResults: 10 })],
  ])('%s of an unknown job is ResourceNotFoundException', async (_op, call) => {
    await expect(call()).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('ListJobs', () => {
  it('lists newest first, page by page, each job once', async () => {
    for (const jobId of ['a', 'b', 'c', 'd', 'e']) {
      await s.createJob(jobId, ['t1']);
      s.clock.advance(1000);
    }
    const { items, pageSizes } = await collect(async (nextToken) => {
      const page = await s.management.listJobs({ maxResults: 2, ...(nextToken ? { nextToken } : {}) });
      return { items: page.jobs, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    });
    expect(items.map((j) => j.jobId)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(items[0]).toEqual({
      jobArn: 'arn:aws:iot:us-east-1:123456789012:job/e',
      jobId: 'e',
      targetSelection: 'SNAPSHOT',
      status: 'IN_PROGRESS',
      createdAt: expect.any(Number),
      lastUpdatedAt: expect.any(Number),
    });
  });

  it('filters by status', async () => {
    await s.createJob('keep', ['t1']);
    await s.createJob('drop', ['t1']);
    await s.management.cancelJob({ jobId: 'drop', force: false });
    expect((await s.management.listJobs({ maxResults: 10, status: 'CANCELED' })).jobs.map((j) => j.jobId)).toEqual([
      'drop',
    ]);
    expect((await s.management.listJobs({ maxResults: 10, status: 'IN_PROGRESS' })).jobs.map((j) => j.jobId)).toEqual([
      'keep',
    ]);
  });

  it.each([
    ['a made-up token', 'bm90LWEtdG9rZW4'],
    ['a token of another list', undefined],
  ])('refuses %s with InvalidRequestException', async (_name, token) => {
    await s.createJob('j1', things(3));
    await s.createJob('j2', ['t1']);
    const foreign = (await s.management.listExecutionsForJob({ jobId: 'j1', maxResults: 1 })).nextToken!;
    await expect(s.management.listJobs({ maxResults: 1, nextToken: token ?? foreign })).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
  });
});

describe('a forged nextToken', () => {
  const forge = (body: object) => Buffer.from(JSON.stringify(body)).toString('base64url');
  const execution = (thing: string, jobId: string, shard: string) => ({
    pk: `THING#${thing}`,
    sk: `JOB#${jobId}`,
    jobShard: `${jobId}#${shard}`,
    thingName: thing,
  });

  it.each<[string, () => Promise<unknown>]>([
    [
      'a start key that does not fit the index',
      () => s.management.listJobs({ maxResults: 1, nextToken: forge({ list: 'jobs/', key: { pk: 'JOB#j1' } }) }),
    ],
    [
      'a start key of the wrong type',
      () =>
        s.management.listJobs({
          maxResults: 1,
          nextToken: forge({ list: 'jobs/', key: { pk: 1, sk: 2, jobListPartition: 'JOBS', jobListKey: 3 } }),
        }),
    ],
    [
      'a start key in another partition of the job list',
      () =>
        s.management.listJobs({
          maxResults: 1,
          nextToken: forge({
            list: 'jobs/',
            key: { pk: 'JOB#j1', sk: 'JOB', jobListPartition: 'OTHER', jobListKey: 'x' },
          }),
        }),
    ],
    [
      "a start key in another thing's partition",
      () =>
        s.management.listExecutionsForThing({
          thingName: 't1',
          maxResults: 1,
          nextToken: forge({ list: 'thing/t1//', key: { pk: 'THING#t2', sk: 'JOB#j1' } }),
        }),
    ],
    [
      'a negative shard',
      () =>
        s.management.listExecutionsForJob({
          jobId: 'j1',
          maxResults: 1,
          nextToken: forge({ list: 'job/j1/', key: {}, shard: -1 }),
        }),
    ],
    [
      'a shard past the last',
      () =>
        s.management.listExecutionsForJob({
          jobId: 'j1',
          maxResults: 1,
          nextToken: forge({ list: 'job/j1/', key: {}, shard: 8 }),
        }),
    ],
    [
      "a start key in another job's shard",
      () =>
        s.management.listExecutionsForJob({
          jobId: 'j1',
          maxResults: 1,
          nextToken: forge({ list: 'job/j1/', key: execution('t1', 'j2', '03'), shard: 3 }),
        }),
    ],
    [
      'a start key in another shard than it says',
      () =>
        s.management.listExecutionsForJob({
          jobId: 'j1',
          maxResults: 1,
          nextToken: forge({ list: 'job/j1/', key: execution('t1', 'j1', '03'), shard: 4 }),
        }),
    ],
  ])('is refused with InvalidRequestException: %s', async (_name, list) => {
    await s.createJob('j1', things(3));
    await expect(list()).rejects.toBeInstanceOf(InvalidRequestException);
  });
});

describe('ListJobExecutionsForJob', () => {
  it('pages through every execution of a job exactly once, across the index shards', async () => {
    const targets = things(40);
    await s.createJob('big', targets);
    const { items } = await collect(async (nextToken) => {
      const page = await s.management.listExecutionsForJob({
        jobId: 'big',
        maxResults: 7,
        ...(nextToken ? { nextToken } : {}),
      });
      return { items: page.executionSummaries, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    });
    expect(items.map((e) => e.thingArn.split('/')[1]).sort()).toEqual(targets);
    expect(items[0]!.jobExecutionSummary).toEqual({
      status: 'QUEUED',
      queuedAt: expect.any(Number),
      lastUpdatedAt: expect.any(Number),
      executionNumber: 1,
    });
  });

  it('filters by status', async () => {
    await s.createJob('j1', things(6));
    await s.device.update(update('thing-001', 'j1', { status: 'SUCCEEDED' }));
    await s.device.update(update('thing-004', 'j1', { status: 'SUCCEEDED' }));
    const page = await s.management.listExecutionsForJob({ jobId: 'j1', maxResults: 250, status: 'SUCCEEDED' });
    expect(page.executionSummaries.map((e) => e.thingArn.split('/')[1]).sort()).toEqual(['thing-001', 'thing-004']);
  });

  it('shows an execution past its deadline as TIMED_OUT, and writes it so', async () => {
    await s.createJob('j1', ['t1']);
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 1 });
    s.clock.advance(MINUTE_MS);
    const page = await s.management.listExecutionsForJob({ jobId: 'j1', maxResults: 10 });
    expect(page.executionSummaries[0]!.jobExecutionSummary.status).toBe('TIMED_OUT');
    expect((await s.executions.get('t1', 'j1'))?.status).toBe('TIMED_OUT');
  });
});

describe('ListJobExecutionsForThing', () => {
  beforeEach(async () => {
    for (const jobId of ['j1', 'j2', 'j3', 'j4']) await s.createJob(jobId, ['t1', 't2']);
    await s.device.update(update('t1', 'j2', { status: 'FAILED' }));
  });

  it('lists every job of the thing, page by page', async () => {
    const { items } = await collect(async (nextToken) => {
      const page = await s.management.listExecutionsForThing({
        thingName: 't1',
        maxResults: 3,
        ...(nextToken ? { nextToken } : {}),
      });
      return { items: page.executionSummaries, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    });
    expect(items.map((e) => e.jobId)).toEqual(['j1', 'j2', 'j3', 'j4']);
  });

  it.each<[string, { status?: ExecutionStatus; jobId?: string }, string[]]>([
    ['by status', { status: 'FAILED' }, ['j2']],
    ['by job', { jobId: 'j3' }, ['j3']],
    ['by job and a status it is not in', { jobId: 'j3', status: 'FAILED' }, []],
  ])('filters %s', async (_name, filter, expected) => {
    const page = await s.management.listExecutionsForThing({ thingName: 't1', maxResults: 10, ...filter });
    expect(page.executionSummaries.map((e) => e.jobId)).toEqual(expected);
  });

  it('answers an empty list for a thing never seen', async () => {
    expect(await s.management.listExecutionsForThing({ thingName: 'ghost', maxResults: 10 })).toEqual({
      executionSummaries: [],
    });
  });
});

describe('DescribeJobExecution (management)', () => {
  it('shows the execution with its thing ARN and statusDetails as detailsMap', async () => {
    s.clock.set(1_700_000_000_500);
    await s.createJob('j1', ['t1']);
    await s.device.startNext({ thingName: 't1', statusDetails: { step: 'download' }, stepTimeoutInMinutes: 5 });
    expect((await s.management.describeExecution({ thingName: 't1', jobId: 'j1' })).execution).toEqual({
      jobId: 'j1',
      status: 'IN_PROGRESS',
      statusDetails: { detailsMap: { step: 'download' } },
      thingArn: 'arn:aws:iot:us-east-1:123456789012:thing/t1',
      queuedAt: 1_700_000_000.5,
      startedAt: 1_700_000_000.5,
      lastUpdatedAt: 1_700_000_000.5,
      executionNumber: 1,
      versionNumber: 2,
      approximateSecondsBeforeTimedOut: 300,
    });
  });

  it.each([
    ['no execution', { thingName: 't9', jobId: 'j1' }],
    ['another execution number', { thingName: 't1', jobId: 'j1', executionNumber: 2 }],
  ])('is ResourceNotFoundException for %s', async (_name, input) => {
    await s.createJob('j1', ['t1']);
    await expect(s.management.describeExecution(input)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
