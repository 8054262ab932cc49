import { beforeEach, describe, expect, it } from 'vitest';
import { NEXT_JOB_ID } from '../../lambdas/jobs/device/inputs';
import type { JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import {
  assumptionsHold,
  STOPPED_TIMERS,
  type StepTimerRequest,
  unreadInProgressTimers,
} from '../../lambdas/jobs/execution/timers';
import { MINUTE_MS } from '../../lambdas/jobs/shared/clock';
import { InvalidStateTransitionException } from '../../lambdas/jobs/shared/errors';
import { executionRecord, seedExecutions } from '../support/seed';
import { createServices, update } from '../support/services';

type Services = Awaited<ReturnType<typeof createServices>>;
let s: Services;
const seconds = (ms: number) => Math.floor(ms / 1000);
const describeJ1 = { thingName: 't1', jobId: 'j1', includeJobDocument: false };

beforeEach(async () => {
  s = await createServices();
});

async function rejection(promise: Promise<unknown>): Promise<InvalidStateTransitionException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidStateTransitionException);
  return error as InvalidStateTransitionException;
}

describe('step timers', () => {
  it('StartNext starts one and Describe counts it down', async () => {
    await s.createJob('j1', ['t1']);
    const { execution } = await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 10 });
    expect(execution?.approximateSecondsBeforeTimedOut).toBe(600);
    s.clock.advance(4 * MINUTE_MS + 500);
    expect((await s.device.describe(describeJ1)).execution?.approximateSecondsBeforeTimedOut).toBe(359);
  });

  it('an Update with a new step timeout restarts the clock from the update', async () => {
    await s.createJob('j1', ['t1']);
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 10 });
    s.clock.advance(9 * MINUTE_MS);
    await s.device.update(update('t1', 'j1', { stepTimeoutInMinutes: 10 }));
    s.clock.advance(9 * MINUTE_MS); // 18 minutes after the start: past the first deadline, not the second
    const { execution } = await s.device.describe(describeJ1);
    expect(execution).toMatchObject({ status: 'IN_PROGRESS', approximateSecondsBeforeTimedOut: 60 });
  });

  it('an Update without a step timeout keeps the running one', async () => {
    await s.createJob('j1', ['t1']);
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 10 });
    s.clock.advance(5 * MINUTE_MS);
    await s.device.update(update('t1', 'j1', { statusDetails: { progress: '50' } }));
    expect((await s.device.describe(describeJ1)).execution?.approximateSecondsBeforeTimedOut).toBe(300);
  });

  it('-1 removes the step timer: no countdown, never times out', async () => {
    await s.createJob('j1', ['t1']);
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 1 });
    await s.device.update(update('t1', 'j1', { stepTimeoutInMinutes: -1 }));
    s.clock.advance(10_000 * MINUTE_MS);
    const { execution } = await s.device.describe(describeJ1);
    expect(execution?.status).toBe('IN_PROGRESS');
    expect(execution).not.toHaveProperty('approximateSecondsBeforeTimedOut');
  });

  it('an Update(IN_PROGRESS) on a QUEUED execution may start a step timer itself', async () => {
    await s.createJob('j1', ['t1']);
    await s.device.update(update('t1', 'j1', { stepTimeoutInMinutes: 2 }));
    expect((await s.device.describe(describeJ1)).execution?.approximateSecondsBeforeTimedOut).toBe(120);
  });
});

describe('in-progress timeout (the job timeoutConfig)', () => {
  const withTimeout = { timeoutConfig: { inProgressTimeoutInMinutes: 30 } };

  it('starts when StartNext starts the execution', async () => {
    await s.createJob('j1', ['t1'], withTimeout);
    s.clock.advance(60 * MINUTE_MS); // time spent QUEUED does not count
    const { execution } = await s.device.startNext({ thingName: 't1' });
    expect(execution?.approximateSecondsBeforeTimedOut).toBe(1800);
  });

  it('starts when a device Update moves the execution to IN_PROGRESS', async () => {
    await s.createJob('j1', ['t1'], withTimeout);
    await s.device.update(update('t1', 'j1'));
    expect((await s.device.describe(describeJ1)).execution?.approximateSecondsBeforeTimedOut).toBe(1800);
  });

  it('caps step timers: a longer step timer does not move the deadline', async () => {
    await s.createJob('j1', ['t1'], withTimeout);
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 20 });
    s.clock.advance(15 * MINUTE_MS);
    await s.device.update(update('t1', 'j1', { stepTimeoutInMinutes: 60 }));
    expect((await s.device.describe(describeJ1)).execution?.approximateSecondsBeforeTimedOut).toBe(900);
    s.clock.advance(15 * MINUTE_MS);
    expect((await s.device.describe(describeJ1)).execution?.status).toBe('TIMED_OUT');
  });

  it('is not restarted by later IN_PROGRESS updates, and survives -1', async () => {
    await s.createJob('j1', ['t1'], withTimeout);
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 5 });
    s.clock.advance(4 * MINUTE_MS);
    await s.device.update(update('t1', 'j1', { stepTimeoutInMinutes: -1 }));
    s.clock.advance(6 * MINUTE_MS); // past where the removed step timer would have fired
    await s.device.update(update('t1', 'j1', { statusDetails: { still: 'working' } }));
    expect((await s.device.describe(describeJ1)).execution?.approximateSecondsBeforeTimedOut).toBe(1200);
  });
});

describe('exactness: past its deadline an execution is TIMED_OUT for everyone, before any sweep', () => {
  /** j1 IN_PROGRESS on t1 with a 10-minute step timer, j2 QUEUED behind it. */
  async function runningWithDeadline() {
    await s.createJob('j1', ['t1']);
    s.clock.advance(1000);
    await s.createJob('j2', ['t1']);
    const started = s.clock();
    await s.device.startNext({ thingName: 't1', stepTimeoutInMinutes: 10, statusDetails: { step: 'flashing' } });
    return started + 10 * MINUTE_MS;
  }

  it('Describe shows TIMED_OUT at the deadline, as one new version stamped with the deadline, and persists it', async () => {
    const deadline = await runningWithDeadline();
    s.clock.set(deadline - 1);
    expect((await s.device.describe(describeJ1)).execution?.status).toBe('IN_PROGRESS');
    s.clock.set(deadline);
    const { execution } = await s.device.describe(describeJ1);
    expect(execution).toMatchObject({
      status: 'TIMED_OUT',
      versionNumber: 3,
      lastUpdatedAt: seconds(deadline),
      statusDetails: { step: 'flashing' },
    });
    expect(execution).not.toHaveProperty('approximateSecondsBeforeTimedOut');
    expect(await s.executions.get('t1', 'j1')).toMatchObject({ status: 'TIMED_OUT', versionNumber: 3 });
  });

  it('GetPending leaves it out and persists it', async () => {
    const deadline = await runningWithDeadline();
    s.clock.set(deadline + 5 * MINUTE_MS);
    const pending = await s.device.getPending({ thingName: 't1' });
    expect(pending.inProgressJobs).toEqual([]);
    expect(pending.queuedJobs.map((j) => j.jobId)).toEqual(['j2']);
    expect((await s.executions.get('t1', 'j1'))?.status).toBe('TIMED_OUT');
  });

  it('StartNext skips it and starts the next QUEUED execution', async () => {
    const deadline = await runningWithDeadline();
    s.clock.set(deadline);
    const { execution } = await s.device.startNext({ thingName: 't1' });
    expect(execution).toMatchObject({ jobId: 'j2', status: 'IN_PROGRESS' });
    expect((await s.executions.get('t1', 'j1'))?.status).toBe('TIMED_OUT');
  });

  it('Describe $next skips it too', async () => {
    const deadline = await runningWithDeadline();
    s.clock.set(deadline);
    expect(
      (await s.device.describe({ thingName: 't1', jobId: NEXT_JOB_ID, includeJobDocument: false })).execution,
    ).toMatchObject({
      jobId: 'j2',
      status: 'QUEUED',
    });
  });

  it('an Update a millisecond before the deadline lands', async () => {
    const deadline = await runningWithDeadline();
    s.clock.set(deadline - 1);
    await s.device.update(update('t1', 'j1', { status: 'SUCCEEDED' }));
    s.clock.set(deadline + MINUTE_MS);
    expect((await s.device.describe(describeJ1)).execution?.status).toBe('SUCCEEDED');
  });

  it.each([
    ['at the deadline', 0],
    ['an hour later', 60 * MINUTE_MS],
  ])('an Update %s is rejected as on a terminal execution, with the TIMED_OUT state to resync', async (_when, late) => {
    const deadline = await runningWithDeadline();
    s.clock.set(deadline + late);
    const error = await rejection(s.device.update(update('t1', 'j1', { status: 'SUCCEEDED', expectedVersion: 2 })));
    expect(error.message).toContain('TIMED_OUT');
    expect(error.extraBody).toEqual({
      executionState: { status: 'TIMED_OUT', statusDetails: { step: 'flashing' }, versionNumber: 3 },
    });
    expect((await s.executions.get('t1', 'j1'))?.status).toBe('TIMED_OUT');
  });

  it('a late Update that resets the step timer cannot revive it', async () => {
    const deadline = await runningWithDeadline();
    s.clock.set(deadline + 1);
    await rejection(s.device.update(update('t1', 'j1', { stepTimeoutInMinutes: 60 })));
    expect((await s.executions.get('t1', 'j1'))?.status).toBe('TIMED_OUT');
  });

  it('observers that race to persist it write it once: one version more, not one per observer', async () => {
    const deadline = await runningWithDeadline();
    s.clock.set(deadline);
    await Promise.all([
      s.device.describe(describeJ1),
      s.device.getPending({ thingName: 't1' }),
      s.device.startNext({ thingName: 't1' }),
      s.device.update(update('t1', 'j1')).catch(() => undefined),
      s.device.describe(describeJ1),
    ]);
    expect(await s.executions.get('t1', 'j1')).toMatchObject({ status: 'TIMED_OUT', versionNumber: 3 });
  });
});

describe('the store enforces what an update planned without reading assumed', () => {
  const NOW = 1_700_000_000_000;
  const stored: [string, JobExecutionRecord][] = [
    ['QUEUED, job without timeout', executionRecord('t1', 'j1')],
    ['QUEUED, job with timeout', executionRecord('t1', 'j1', { inProgressTimeoutMinutes: 30 })],
    ['IN_PROGRESS, no timers', executionRecord('t1', 'j1', { status: 'IN_PROGRESS', versionNumber: 2 })],
    [
      'IN_PROGRESS, far in-progress deadline',
      executionRecord('t1', 'j1', {
        status: 'IN_PROGRESS',
        versionNumber: 2,
        inProgressTimeoutMinutes: 600,
        inProgressDeadlineAt: NOW + 500 * MINUTE_MS,
      }),
    ],
    [
      'IN_PROGRESS, near in-progress deadline',
      executionRecord('t1', 'j1', {
        status: 'IN_PROGRESS',
        versionNumber: 2,
        inProgressTimeoutMinutes: 30,
        inProgressDeadlineAt: NOW + 2 * MINUTE_MS,
      }),
    ],
  ];
  const steps: StepTimerRequest[] = [undefined, 'clear', 5];
  const cases = stored.flatMap(([name, record]) => steps.map((step) => [name, String(step), record, step] as const));

  it.each(cases)(
    '%s, step %s: the write applies exactly when the assumption holds',
    async (_name, _step, record, step) => {
      await seedExecutions(s.table, [record]);
      const plan = unreadInProgressTimers(step, NOW);
      const outcome = await s.executions.applyDeviceUpdate({
        thingName: 't1',
        jobId: 'j1',
        status: 'IN_PROGRESS',
        now: NOW,
        timers: plan.write,
        assumes: plan.assumes,
        actor: { kind: 'device', name: 't1' },
      });
      expect(outcome.applied).toBe(assumptionsHold(plan.assumes, record));
    },
  );

  it('a final status needs no assumption', async () => {
    await seedExecutions(s.table, [stored[3]![1]]);
    const outcome = await s.executions.applyDeviceUpdate({
      thingName: 't1',
      jobId: 'j1',
      status: 'FAILED',
      now: NOW,
      timers: STOPPED_TIMERS,
      actor: { kind: 'device', name: 't1' },
    });
    expect(outcome.applied).toBe(true);
  });
});
