import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { NEXT_JOB_ID } from '../../lambdas/jobs/device/inputs';
import {
  InvalidStateTransitionException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '../../lambdas/jobs/shared/errors';
import { buildServices, DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { createServices, update } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
const seconds = (ms: number) => Math.floor(ms / 1000);
const describeOpts = { includeJobDocument: true };

beforeEach(async () => {
  s = await createServices();
});

describe('GetPendingJobExecutions', () => {
  it('answers two empty lists for a thing never seen', async () => {
    expect(await s.device.getPending({ thingName: 'nobody' })).toEqual({ inProgressJobs: [], queuedJobs: [] });
  });

  it('lists IN_PROGRESS and QUEUED apart, each in the order the jobs were created, within one second too', async () => {
    s.clock.set(1_700_000_000_100);
    await s.createJob('job-b', ['t1']);
    s.clock.set(1_700_000_000_900); // same second as job-b
    await s.createJob('job-a', ['t1']);
    s.clock.set(1_700_000_050_000);
    await s.createJob('job-c', ['t1', 't2']);
    await s.device.update(update('t1', 'job-c')); // IN_PROGRESS out of order

    const pending = await s.device.getPending({ thingName: 't1' });
    expect(pending.inProgressJobs.map((j) => j.jobId)).toEqual(['job-c']);
    expect(pending.queuedJobs.map((j) => j.jobId)).toEqual(['job-b', 'job-a']);
    expect(pending.queuedJobs[1]).toEqual({
      jobId: 'job-a',
      queuedAt: 1_700_000_000,
      lastUpdatedAt: 1_700_000_000,
      versionNumber: 1,
      executionNumber: 1,
    });
    expect(pending.inProgressJobs[0]).toMatchObject({ startedAt: 1_700_000_050, versionNumber: 2 });
  });

  it('drops executions that reached a terminal status', async () => {
    await s.createJob('j1', ['t1']);
    await s.createJob('j2', ['t1']);
    await s.device.update(update('t1', 'j1', { status: 'REJECTED' }));
    const pending = await s.device.getPending({ thingName: 't1' });
    expect([...pending.inProgressJobs, ...pending.queuedJobs].map((j) => j.jobId)).toEqual(['j2']);
  });
});

describe('StartNextPendingJobExecution', () => {
  it('answers {} and writes nothing when nothing is pending', async () => {
    expect(await s.device.startNext({ thingName: 't1' })).toEqual({});
    expect(s.table.commands).not.toContain('UpdateItem');
  });

  it('starts the oldest QUEUED execution: version 2, startedAt, the request statusDetails and the document', async () => {
    await s.createJob('old', ['t1']);
    s.clock.advance(5_000);
    await s.createJob('new', ['t1']);
    s.clock.advance(3_000);
    const { execution } = await s.device.startNext({ thingName: 't1', statusDetails: { phase: 'download' } });
    expect(execution).toMatchObject({
      jobId: 'old',
      thingName: 't1',
      status: 'IN_PROGRESS',
      statusDetails: { phase: 'download' },
      versionNumber: 2,
      executionNumber: 1,
      startedAt: seconds(s.clock()),
      lastUpdatedAt: seconds(s.clock()),
      jobDocument: '{"job":"old"}',
    });
  });

  it('hands back the IN_PROGRESS execution unchanged, ignoring new statusDetails', async () => {
    await s.createJob('j1', ['t1']);
    await s.createJob('j2', ['t1']);
    const first = await s.device.startNext({ thingName: 't1', statusDetails: { a: '1' } });
    s.clock.advance(60_000);
    const again = await s.device.startNext({ thingName: 't1', statusDetails: { a: '2' } });
    expect(again).toEqual(first);
  });

  it('serves an IN_PROGRESS execution before an older QUEUED one', async () => {
    await s.createJob('older', ['t1']);
    s.clock.advance(2_000);
    await s.createJob('newer', ['t1']);
    await s.device.update(update('t1', 'newer'));
    expect((await s.device.startNext({ thingName: 't1' })).execution?.jobId).toBe('newer');
  });

  it('moves on once the current execution is finished', async () => {
    await s.createJob('j1', ['t1']);
    s.clock.advance(1_000);
    await s.createJob('j2', ['t1']);
    await s.device.startNext({ thingName: 't1' });
    await s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }));
    expect((await s.device.startNext({ thingName: 't1' })).execution?.jobId).toBe('j2');
  });

  it('sets a step deadline and reports the seconds left', async () => {
    await s.createJob('j1', ['t1']);
    const { execution } = await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 3 });
    expect(execution?.approximateSecondsBeforeTimedOut).toBe(180);
  });
});

describe('DescribeJobExecution', () => {
  it('describes by jobId with the document by default, and without it on request', async () => {
    await s.createJob('j1', ['t1']);
    expect((await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).execution).toMatchObject({
      status: 'QUEUED',
      jobDocument: '{"job":"j1"}',
    });
    const bare = await s.device.describe({ thingName: 't1', jobId: 'j1', includeJobDocument: false });
    expect(bare.execution).not.toHaveProperty('jobDocument');
  });

  it('describes $next without starting it, and answers {} when nothing is pending', async () => {
    expect(await s.device.describe({ thingName: 't1', jobId: NEXT_JOB_ID, ...describeOpts })).toEqual({});
    await s.createJob('j1', ['t1']);
    expect((await s.device.describe({ thingName: 't1', jobId: NEXT_JOB_ID, ...describeOpts })).execution).toMatchObject(
      { jobId: 'j1', status: 'QUEUED', versionNumber: 1 },
    );
    expect((await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).execution?.versionNumber).toBe(
      1,
    );
  });

  it('still describes a terminal execution by its jobId', async () => {
    await s.createJob('j1', ['t1']);
    await s.device.update(update('t1', 'j1', { status: 'FAILED', statusDetails: { reason: 'disk' } }));
    expect((await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).execution).toMatchObject({
      status: 'FAILED',
      statusDetails: { reason: 'disk' },
      versionNumber: 2,
    });
  });

  it.each([
    ['an unknown job', { thingName: 't1', jobId: 'nope' }],
    ['a job that does not target the thing', { thingName: 't9', jobId: 'j1' }],
    ['another execution number', { thingName: 't1', jobId: 'j1', executionNumber: 2 }],
  ])('answers ResourceNotFoundException for %s', async (_name, input) => {
    await s.createJob('j1', ['t1']);
    await expect(s.device.describe({ ...describeOpts, ...input })).rejects.toThrow(ResourceNotFoundException);
  });

  it('never serves a document of a deleted job to an execution of a new job under the same ID', async () => {
    await s.createJob('j1', ['t1']);
    expect((await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).execution?.jobDocument).toBe(
      '{"job":"j1"}',
    );
    await s.table.client.send(new DeleteCommand({ TableName: s.table.tableName, Key: { pk: 'JOB#j1', sk: 'JOB' } }));
    await s.createJob('j1', ['t1'], { document: '{"v":2}' });
    expect((await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).execution?.jobDocument).toBe(
      '{"v":2}',
    );
  });

  it('answers ResourceNotFoundException for the document of an execution whose job is gone', async () => {
    await s.createJob('j1', ['t1']);
    await s.table.client.send(new DeleteCommand({ TableName: s.table.tableName, Key: { pk: 'JOB#j1', sk: 'JOB' } }));
    await expect(s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).rejects.toThrow(
      'Job j1 no longer exists',
    );
    expect(
      (await s.device.describe({ thingName: 't1', jobId: 'j1', includeJobDocument: false })).execution?.status,
    ).toBe('QUEUED');
  });
});

describe('an execution whose job is gone', () => {
  const deleteJobItem = (jobId: string) =>
    s.table.client.send(new DeleteCommand({ TableName: s.table.tableName, Key: { pk: `JOB#${jobId}`, sk: 'JOB' } }));

  it.each([
    ['QUEUED', async () => undefined],
    ['IN_PROGRESS', async () => void (await s.device.startNext({ thingName: 't1' }))],
  ])('is skipped and removed when %s, so the thing gets its next job', async (_status, bringToStatus) => {
    await s.createJob('gone', ['t1']);
    s.clock.advance(1000);
    await s.createJob('next', ['t1']);
    await bringToStatus();
    await deleteJobItem('gone');

    // Another container (a cold document cache), as Lambda would route the device's next call.
    const { device } = buildServices({
      tableName: s.table.tableName,
      dynamoEndpoint: s.table.endpoint,
      ...DEFAULT_ARN_CONTEXT,
      clock: s.clock,
    });
    expect(
      (await device.describe({ thingName: 't1', jobId: NEXT_JOB_ID, includeJobDocument: false })).execution?.jobId,
    ).toBe('next');
    const started = await device.startNext({ thingName: 't1' });
    expect(started.execution).toMatchObject({ jobId: 'next', status: 'IN_PROGRESS', jobDocument: '{"job":"next"}' });
    expect((await s.executions.get('t1', 'gone'))?.status).toBe('REMOVED');
    expect((await s.device.getPending({ thingName: 't1' })).inProgressJobs.map((j) => j.jobId)).toEqual(['next']);
  });

  it('is skipped when a new job of the same jobId replaced it without targeting this thing', async () => {
    await s.createJob('reused', ['t1']);
    await deleteJobItem('reused');
    await s.createJob('reused', ['t2']);
    expect(await s.device.startNext({ thingName: 't1' })).toEqual({});
    expect((await s.executions.get('t1', 'reused'))?.status).toBe('REMOVED');
    expect((await s.device.startNext({ thingName: 't2' })).execution?.jobId).toBe('reused');
  });
});

describe('UpdateJobExecution', () => {
  beforeEach(async () => {
    await s.createJob('j1', ['t1']);
  });

  it('answers {} unless asked for state or document', async () => {
    expect(await s.device.update(update('t1', 'j1'))).toEqual({});
  });

  it('returns the new state and the document when asked', async () => {
    const result = await s.device.update(
      update('t1', 'j1', { statusDetails: { p: '10%' }, includeJobExecutionState: true, includeJobDocument: true }),
    );
    expect(result).toEqual({
      executionState: { status: 'IN_PROGRESS', statusDetails: { p: '10%' }, versionNumber: 2 },
      jobDocument: '{"job":"j1"}',
    });
  });

  it('stores statusDetails keys named like object members faithfully', async () => {
    const statusDetails = JSON.parse(
      '{"constructor":"c","toString":"t","hasOwnProperty":"h","valueOf":"v","prototype":"p"}',
    ) as Record<string, string>;
    const result = await s.device.update(update('t1', 'j1', { statusDetails, includeJobExecutionState: true }));
    expect(result.executionState?.statusDetails).toEqual(statusDetails);
    const { execution } = await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts });
    expect({ ...execution?.statusDetails }).toEqual(statusDetails);
  });

  it('replaces statusDetails when given and keeps them when absent', async () => {
    await s.device.update(update('t1', 'j1', { statusDetails: { a: '1', b: '2' } }));
    await s.device.update(update('t1', 'j1', { statusDetails: { c: '3' } }));
    const kept = await s.device.update(update('t1', 'j1', { includeJobExecutionState: true }));
    expect(kept.executionState).toEqual({ status: 'IN_PROGRESS', statusDetails: { c: '3' }, versionNumber: 4 });
  });

  it('lets a device finish a QUEUED execution directly, without a startedAt', async () => {
    await s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }));
    const { execution } = await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts });
    expect(execution).toMatchObject({ status: 'SUCCEEDED', versionNumber: 2 });
    expect(execution).not.toHaveProperty('startedAt');
  });

  it('keeps startedAt from the first IN_PROGRESS', async () => {
    await s.device.update(update('t1', 'j1'));
    const started = seconds(s.clock());
    s.clock.advance(90_000);
    await s.device.update(update('t1', 'j1', { statusDetails: { p: '50%' } }));
    expect((await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).execution).toMatchObject({
      startedAt: started,
      lastUpdatedAt: started + 90,
    });
  });

  it('rejects a stale expectedVersion with VersionMismatch and the current state, changing nothing', async () => {
    await s.device.update(update('t1', 'j1', { statusDetails: { p: '1' } }));
    const error = await s.device
      .update(update('t1', 'j1', { status: 'SUCCEEDED', expectedVersion: 1 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidStateTransitionException);
    expect((error as Error).message).toMatch(/^VersionMismatch/);
    expect((error as InvalidStateTransitionException).extraBody.executionState).toEqual({
      status: 'IN_PROGRESS',
      statusDetails: { p: '1' },
      versionNumber: 2,
    });
    expect((await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).execution?.status).toBe(
      'IN_PROGRESS',
    );
  });

  it('accepts the matching expectedVersion', async () => {
    const result = await s.device.update(
      update('t1', 'j1', { status: 'SUCCEEDED', expectedVersion: 1, includeJobExecutionState: true }),
    );
    expect(result.executionState?.versionNumber).toBe(2);
  });

  it.each(['SUCCEEDED', 'FAILED', 'REJECTED'] as const)('never changes a %s execution again', async (final) => {
    await s.device.update(update('t1', 'j1', { status: final }));
    for (const status of ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'] as const) {
      await expect(s.device.update(update('t1', 'j1', { status }))).rejects.toThrow(`is ${final}, a terminal status`);
    }
  });

  it('answers ResourceNotFoundException for an execution that does not exist, creating nothing', async () => {
    await expect(s.device.update(update('t1', 'missing'))).rejects.toThrow(ResourceNotFoundException);
    await expect(s.device.describe({ thingName: 't1', jobId: 'missing', ...describeOpts })).rejects.toThrow(
      ResourceNotFoundException,
    );
  });

  it('rejects another executionNumber as not found', async () => {
    await expect(s.device.update(update('t1', 'j1', { executionNumber: 2 }))).rejects.toThrow('Job execution number 2');
    expect(await s.device.update(update('t1', 'j1', { executionNumber: 1 }))).toEqual({});
  });

  it('moves, keeps and removes the step deadline', async () => {
    await s.device.update(update('t1', 'j1', { stepTimeoutInMinutes: 10 }));
    const describeNow = async () =>
      (await s.device.describe({ thingName: 't1', jobId: 'j1', ...describeOpts })).execution;
    expect((await describeNow())?.approximateSecondsBeforeTimedOut).toBe(600);
    s.clock.advance(60_000);
    await s.device.update(update('t1', 'j1'));
    expect((await describeNow())?.approximateSecondsBeforeTimedOut).toBe(540);
    await s.device.update(update('t1', 'j1', { stepTimeoutInMinutes: -1 }));
    expect(await describeNow()).not.toHaveProperty('approximateSecondsBeforeTimedOut');
  });
});

describe('CreateJob', () => {
  it('refuses a jobId that is taken, leaving the first job as it was', async () => {
    await s.createJob('j1', ['t1']);
    await expect(s.createJob('j1', ['t2'])).rejects.toThrow(ResourceAlreadyExistsException);
    expect((await s.device.getPending({ thingName: 't2' })).queuedJobs).toEqual([]);
  });

  it('queues one execution per target and marks the fan-out complete', async () => {
    const things = Array.from({ length: 60 }, (_, i) => `thing-${i}`);
    await s.createJob('wide', things);
    for (const thingName of [things[0]!, things[59]!]) {
      expect((await s.device.getPending({ thingName })).queuedJobs.map((j) => j.jobId)).toEqual(['wide']);
    }
    const job = await s.jobs.loadDocument('wide');
    expect(job?.document).toBe('{"job":"wide"}');
    // The job with its work record, one page of things with the cursor past them, then the finish: three transactions.
    expect(s.table.commands.filter((c) => c === 'TransactWriteItems')).toHaveLength(3);
    // The executions of a fresh page, 25 to a BatchWriteItem: none can exist yet, so none is written conditionally.
    expect(s.table.commands.filter((c) => c === 'BatchWriteItem')).toHaveLength(Math.ceil(things.length / 25));
    expect(s.table.commands).not.toContain('PutItem');
    expect((await s.management.describeJob({ jobId: 'wide' })).job.jobProcessDetails).not.toHaveProperty(
      'processingTargets',
    );
  });
});
