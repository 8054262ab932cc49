import { beforeEach, describe, expect, it } from 'vitest';
import { NEXT_JOB_ID } from '../../lambdas/jobs/device/inputs';
import type { ExecutionStatus } from '../../lambdas/jobs/execution/execution';
import { MINUTE_MS } from '../../lambdas/jobs/shared/clock';
import {
  InvalidRequestException,
  InvalidStateTransitionException,
  ResourceNotFoundException,
  type ServiceError,
  VersionConflictException,
} from '../../lambdas/jobs/shared/errors';
import { createServices, update } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
type ErrorType = new (...args: never[]) => ServiceError;

beforeEach(async () => {
  s = await createServices();
});

/** Brings t1's execution of j1 into a state, the way devices and timers would. */
async function executionIn(state: 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'EXPIRED' | 'CANCELED') {
  await s.createJob('j1', ['t1']);
  if (state === 'QUEUED') return;
  if (state === 'CANCELED')
    return void (await s.management.cancelExecution({ thingName: 't1', jobId: 'j1', force: false }));
  await s.device.startNext({ thingName: 't1', ...(state === 'EXPIRED' ? { stepTimeoutInMinutes: 1 } : {}) });
  if (state === 'SUCCEEDED') await s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }));
  if (state === 'EXPIRED') s.clock.advance(MINUTE_MS);
}

const outcome = (call: Promise<unknown>) =>
  call.then(
    () => 'ok' as const,
    (error: unknown) => error,
  );

describe('CancelJobExecution', () => {
  it.each<
    [
      string,
      Parameters<typeof executionIn>[0],
      { force: boolean; expectedVersion?: number },
      ErrorType | { status: ExecutionStatus; forceCanceled: boolean },
    ]
  >([
    ['QUEUED', 'QUEUED', { force: false }, { status: 'CANCELED', forceCanceled: false }],
    ['QUEUED, forced', 'QUEUED', { force: true }, { status: 'CANCELED', forceCanceled: true }],
    [
      'QUEUED at the expected version',
      'QUEUED',
      { force: false, expectedVersion: 1 },
      { status: 'CANCELED', forceCanceled: false },
    ],
    ['QUEUED at a stale version', 'QUEUED', { force: false, expectedVersion: 7 }, VersionConflictException],
    ['IN_PROGRESS without force', 'IN_PROGRESS', { force: false }, InvalidStateTransitionException],
    ['IN_PROGRESS, forced', 'IN_PROGRESS', { force: true }, { status: 'CANCELED', forceCanceled: true }],
    [
      'IN_PROGRESS, forced, at a stale version',
      'IN_PROGRESS',
      { force: true, expectedVersion: 1 },
      VersionConflictException,
    ],
    [
      'IN_PROGRESS past its deadline, forced: it is TIMED_OUT already',
      'EXPIRED',
      { force: true },
      InvalidStateTransitionException,
    ],
    ['SUCCEEDED, forced', 'SUCCEEDED', { force: true }, InvalidStateTransitionException],
    ['CANCELED already', 'CANCELED', { force: true }, InvalidStateTransitionException],
  ])('%s', async (_name, state, request, expected) => {
    await executionIn(state);
    const result = await outcome(s.management.cancelExecution({ thingName: 't1', jobId: 'j1', ...request }));
    if (typeof expected === 'function') {
      expect(result).toBeInstanceOf(expected);
      return;
    }
    expect(result).toBe('ok');
    expect(await s.executions.get('t1', 'j1')).toMatchObject(expected);
  });

  it('is ResourceNotFoundException without an execution', async () => {
    await expect(s.management.cancelExecution({ thingName: 't1', jobId: 'j1', force: true })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('replaces statusDetails, counts a version, leaves the pending set, and refuses the device afterwards', async () => {
    await executionIn('IN_PROGRESS');
    await s.management.cancelExecution({
      thingName: 't1',
      jobId: 'j1',
      force: true,
      statusDetails: { why: 'recalled' },
    });
    expect(await s.executions.get('t1', 'j1')).toMatchObject({
      status: 'CANCELED',
      statusDetails: { why: 'recalled' },
      versionNumber: 3,
    });
    expect(await s.device.getPending({ thingName: 't1' })).toEqual({ inProgressJobs: [], queuedJobs: [] });
    await expect(s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }))).rejects.toBeInstanceOf(
      InvalidStateTransitionException,
    );
  });
});

describe('DeleteJobExecution', () => {
  it.each<
    [string, Parameters<typeof executionIn>[0], { force: boolean; executionNumber?: number }, ErrorType | 'deleted']
  >([
    ['SUCCEEDED', 'SUCCEEDED', { force: false }, 'deleted'],
    ['CANCELED', 'CANCELED', { force: false }, 'deleted'],
    ['IN_PROGRESS past its deadline (TIMED_OUT)', 'EXPIRED', { force: false }, 'deleted'],
    ['QUEUED without force', 'QUEUED', { force: false }, InvalidStateTransitionException],
    ['IN_PROGRESS without force', 'IN_PROGRESS', { force: false }, InvalidStateTransitionException],
    ['IN_PROGRESS, forced', 'IN_PROGRESS', { force: true }, 'deleted'],
    ['QUEUED, forced', 'QUEUED', { force: true }, 'deleted'],
    ['another execution number', 'SUCCEEDED', { force: true, executionNumber: 2 }, ResourceNotFoundException],
  ])('%s', async (_name, state, request, expected) => {
    await executionIn(state);
    const result = await outcome(
      s.management.deleteExecution({
        thingName: 't1',
        jobId: 'j1',
        executionNumber: request.executionNumber ?? 1,
        force: request.force,
      }),
    );
    if (expected === 'deleted') {
      expect(result).toBe('ok');
      expect(await s.executions.get('t1', 'j1')).toBeUndefined();
    } else {
      expect(result).toBeInstanceOf(expected);
      expect(await s.executions.get('t1', 'j1')).toBeDefined();
    }
  });
});

describe('CancelJob', () => {
  /** j1 on three things: t1 QUEUED, t2 IN_PROGRESS, t3 SUCCEEDED. */
  async function mixedJob() {
    await s.createJob('j1', ['t1', 't2', 't3']);
    await s.device.startNext({ thingName: 't2' });
    await s.device.update(update('t3', 'j1', { status: 'SUCCEEDED' }));
  }
  const statuses = async () =>
    Promise.all(['t1', 't2', 't3'].map(async (t) => (await s.executions.get(t, 'j1'))?.status));

  it('without force: the job and its QUEUED executions are CANCELED; running and finished ones keep going', async () => {
    await mixedJob();
    const answer = await s.management.cancelJob({
      jobId: 'j1',
      force: false,
      reasonCode: 'BAD_BUILD',
      comment: 'recalled',
    });
    expect(answer).toEqual({ jobArn: 'arn:aws:iot:us-east-1:123456789012:job/j1', jobId: 'j1' });
    expect(await statuses()).toEqual(['CANCELED', 'IN_PROGRESS', 'SUCCEEDED']);
    expect((await s.executions.get('t1', 'j1'))?.forceCanceled).toBe(false);
    expect((await s.management.describeJob({ jobId: 'j1' })).job).toMatchObject({
      status: 'CANCELED',
      forceCanceled: false,
      reasonCode: 'BAD_BUILD',
      comment: 'recalled',
    });
  });

  it('with force: the IN_PROGRESS executions are canceled too, marked forceCanceled', async () => {
    await mixedJob();
    await s.management.cancelJob({ jobId: 'j1', force: true });
    expect(await statuses()).toEqual(['CANCELED', 'CANCELED', 'SUCCEEDED']);
    expect((await s.executions.get('t2', 'j1'))?.forceCanceled).toBe(true);
  });

  it('again with force after a cancel without: reaches what the first left running, and stays forced', async () => {
    await mixedJob();
    await s.management.cancelJob({ jobId: 'j1', force: false });
    await s.management.cancelJob({ jobId: 'j1', force: true });
    await s.management.cancelJob({ jobId: 'j1', force: false });
    expect(await statuses()).toEqual(['CANCELED', 'CANCELED', 'SUCCEEDED']);
    expect((await s.management.describeJob({ jobId: 'j1' })).job.forceCanceled).toBe(true);
  });

  it.each<[string, () => Promise<void>, ErrorType]>([
    ['an unknown job', async () => undefined, ResourceNotFoundException],
    [
      'a job being deleted',
      async () => void (await s.jobs.startJobDeletion('j1', { force: true, serial: 'died', now: s.clock() })),
      InvalidRequestException,
    ],
  ])('refuses %s', async (_name, arrange, type) => {
    if (type !== ResourceNotFoundException) await s.createJob('j1', ['t1']);
    await arrange();
    await expect(s.management.cancelJob({ jobId: 'j1', force: false })).rejects.toBeInstanceOf(type);
  });

  it('races devices: no execution stays QUEUED, and none a device started is canceled without force', async () => {
    const fleet = Array.from({ length: 60 }, (_, i) => `dev-${i}`);
    await s.createJob('j1', fleet);
    const [starts] = await Promise.all([
      Promise.all(fleet.map((thingName) => s.device.startNext({ thingName }))),
      s.management.cancelJob({ jobId: 'j1', force: false }),
    ]);
    const finals = await Promise.all(fleet.map((t) => s.executions.get(t, 'j1')));
    finals.forEach((final, i) => {
      const started = starts[i]!.execution !== undefined;
      // A device that got the job keeps it; one that did not finds it canceled.
      expect(final?.status).toBe(started ? 'IN_PROGRESS' : 'CANCELED');
    });
    expect(await s.device.describe({ thingName: fleet[0]!, jobId: NEXT_JOB_ID, includeJobDocument: false })).toEqual(
      starts[0]!.execution ? { execution: expect.objectContaining({ status: 'IN_PROGRESS' }) } : {},
    );
  });

  it('races devices with force: every execution ends CANCELED, and a device update after it is refused', async () => {
    const fleet = Array.from({ length: 40 }, (_, i) => `dev-${i}`);
    await s.createJob('j1', fleet);
    await Promise.all(fleet.slice(0, 20).map((thingName) => s.device.startNext({ thingName })));
    const updates = Promise.all(
      fleet.slice(0, 20).map((t) => outcome(s.device.update(update(t, 'j1', { statusDetails: { p: '50' } })))),
    );
    await s.management.cancelJob({ jobId: 'j1', force: true });
    await updates;
    const finals = await Promise.all(fleet.map((t) => s.executions.get(t, 'j1')));
    expect(new Set(finals.map((f) => f?.status))).toEqual(new Set(['CANCELED']));
    await expect(s.device.update(update('dev-0', 'j1', { status: 'SUCCEEDED' }))).rejects.toBeInstanceOf(
      InvalidStateTransitionException,
    );
  });
});

describe('DeleteJob', () => {
  it.each<[string, 'IN_PROGRESS' | 'CANCELED' | 'DELETION_IN_PROGRESS', boolean, ErrorType | 'deleted']>([
    ['IN_PROGRESS without force', 'IN_PROGRESS', false, InvalidStateTransitionException],
    ['IN_PROGRESS, forced', 'IN_PROGRESS', true, 'deleted'],
    ['CANCELED', 'CANCELED', false, 'deleted'],
    ['left DELETION_IN_PROGRESS by a deletion that died: it resumes', 'DELETION_IN_PROGRESS', false, 'deleted'],
  ])('%s', async (_name, status, force, expected) => {
    await s.createJob('j1', ['t1', 't2', 't3']);
    await s.device.startNext({ thingName: 't1' });
    if (status === 'CANCELED') await s.management.cancelJob({ jobId: 'j1', force: false });
    if (status === 'DELETION_IN_PROGRESS')
      await s.jobs.startJobDeletion('j1', { force: true, serial: 'died', now: s.clock() });
    const result = await outcome(s.management.deleteJob({ jobId: 'j1', force }));
    if (expected !== 'deleted') {
      expect(result).toBeInstanceOf(expected);
      expect((await s.management.describeJob({ jobId: 'j1' })).job.status).toBe(status);
      return;
    }
    expect(result).toBe('ok');
    await expect(s.management.describeJob({ jobId: 'j1' })).rejects.toBeInstanceOf(ResourceNotFoundException);
    for (const thing of ['t1', 't2', 't3']) expect(await s.executions.get(thing, 'j1')).toBeUndefined();
    expect(await s.device.getPending({ thingName: 't1' })).toEqual({ inProgressJobs: [], queuedJobs: [] });
  });

  it('is ResourceNotFoundException for an unknown job', async () => {
    await expect(s.management.deleteJob({ jobId: 'nope', force: true })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('frees the jobId: a new job under it serves its own document', async () => {
    await s.createJob('j1', ['t1']);
    await s.management.deleteJob({ jobId: 'j1', force: true });
    await s.management.createJob({
      jobId: 'j1',
      targets: ['arn:aws:iot:us-east-1:123456789012:thing/t1'],
      thingNames: ['t1'],
      groupNames: [],
      document: '{"v":2}',
    });
    expect((await s.device.startNext({ thingName: 't1' })).execution).toMatchObject({
      jobId: 'j1',
      jobDocument: '{"v":2}',
      versionNumber: 2,
    });
  });
});
