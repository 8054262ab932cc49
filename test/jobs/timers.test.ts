import { describe, expect, it } from 'vitest';
import { toExecutionView } from '../../lambdas/jobs/device/views';
import type { ExecutionStatus, JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import {
  assumptionsHold,
  effectiveDeadline,
  hasTimedOut,
  type StepTimerRequest,
  secondsBeforeTimedOut,
  type TimerWrite,
  timersWhileInProgress,
  unreadInProgressTimers,
} from '../../lambdas/jobs/execution/timers';
import { MINUTE_MS } from '../../lambdas/jobs/shared/clock';

const NOW = 1_700_000_000_000;
const min = (n: number) => n * MINUTE_MS;

const execution = (status: ExecutionStatus, over: Partial<JobExecutionRecord> = {}): JobExecutionRecord => ({
  thingName: 't1',
  jobId: 'j1',
  jobIncarnation: 'i',
  status,
  queuedAt: NOW - min(60),
  lastUpdatedAt: NOW - min(30),
  versionNumber: 2,
  executionNumber: 1,
  ...over,
});

describe('effective deadline', () => {
  it.each<[string, JobExecutionRecord, number | undefined]>([
    ['no timers', execution('IN_PROGRESS'), undefined],
    ['step timer only', execution('IN_PROGRESS', { stepDeadlineAt: NOW + 5 }), NOW + 5],
    ['in-progress timer only', execution('IN_PROGRESS', { inProgressDeadlineAt: NOW + 7 }), NOW + 7],
    [
      'both: the step timer is earlier',
      execution('IN_PROGRESS', { stepDeadlineAt: NOW + 5, inProgressDeadlineAt: NOW + 7 }),
      NOW + 5,
    ],
    [
      'both: the in-progress timer caps the step timer',
      execution('IN_PROGRESS', { stepDeadlineAt: NOW + 9, inProgressDeadlineAt: NOW + 7 }),
      NOW + 7,
    ],
    ['QUEUED runs no clock', execution('QUEUED', { inProgressTimeoutMinutes: 10 }), undefined],
    ['a terminal execution runs no clock', execution('SUCCEEDED', { stepDeadlineAt: NOW - 5 }), undefined],
  ])('%s', (_name, record, expected) => {
    expect(effectiveDeadline(record)).toBe(expected);
  });
});

describe('timed out', () => {
  const running = execution('IN_PROGRESS', { stepDeadlineAt: NOW });
  it.each<[string, JobExecutionRecord, number, boolean]>([
    ['a millisecond before the deadline', running, NOW - 1, false],
    ['at the deadline itself', running, NOW, true],
    ['after the deadline', running, NOW + min(1), true],
    ['without a deadline, ever', execution('IN_PROGRESS'), NOW + min(100_000), false],
    ['QUEUED, ever', execution('QUEUED'), NOW + min(100_000), false],
    ['already terminal', execution('FAILED', { stepDeadlineAt: NOW - 1 }), NOW, false],
  ])('%s', (_name, record, now, expected) => {
    expect(hasTimedOut(record, now)).toBe(expected);
  });
});

describe('approximateSecondsBeforeTimedOut', () => {
  it.each<[string, JobExecutionRecord, number | undefined]>([
    ['whole seconds, rounded down', execution('IN_PROGRESS', { stepDeadlineAt: NOW + 90_999 }), 90],
    [
      'from the earlier of the two deadlines',
      execution('IN_PROGRESS', { stepDeadlineAt: NOW + min(10), inProgressDeadlineAt: NOW + min(3) }),
      180,
    ],
    ['under a second left', execution('IN_PROGRESS', { stepDeadlineAt: NOW + 999 }), 0],
    ['absent without a deadline', execution('IN_PROGRESS'), undefined],
    ['absent while QUEUED', execution('QUEUED', { inProgressTimeoutMinutes: 5 }), undefined],
    ['absent once terminal', execution('SUCCEEDED', { stepDeadlineAt: NOW + min(1) }), undefined],
  ])('%s', (_name, record, expected) => {
    expect(secondsBeforeTimedOut(record, NOW)).toBe(expected);
    expect(toExecutionView(record, NOW).approximateSecondsBeforeTimedOut).toBe(expected);
  });
});

describe('timers of a write that goes or stays IN_PROGRESS', () => {
  it.each<[string, JobExecutionRecord, StepTimerRequest, TimerWrite]>([
    [
      'start without timers',
      execution('QUEUED'),
      undefined,
      { stepDeadlineAt: null, inProgressDeadlineAt: null, deadlineAt: null },
    ],
    [
      'start with a step timer',
      execution('QUEUED'),
      10,
      { stepDeadlineAt: NOW + min(10), inProgressDeadlineAt: null, deadlineAt: NOW + min(10) },
    ],
    [
      'start of a job with an in-progress timeout fixes its deadline',
      execution('QUEUED', { inProgressTimeoutMinutes: 30 }),
      undefined,
      { stepDeadlineAt: null, inProgressDeadlineAt: NOW + min(30), deadlineAt: NOW + min(30) },
    ],
    [
      'the in-progress timeout caps a longer step timer',
      execution('QUEUED', { inProgressTimeoutMinutes: 30 }),
      60,
      { stepDeadlineAt: NOW + min(60), inProgressDeadlineAt: NOW + min(30), deadlineAt: NOW + min(30) },
    ],
    [
      'a new step timer replaces the old one, counted from now',
      execution('IN_PROGRESS', { stepDeadlineAt: NOW + min(1) }),
      5,
      { stepDeadlineAt: NOW + min(5), inProgressDeadlineAt: null, deadlineAt: NOW + min(5) },
    ],
    [
      'a step reset may also shorten the deadline',
      execution('IN_PROGRESS', { stepDeadlineAt: NOW + min(50) }),
      1,
      { stepDeadlineAt: NOW + min(1), inProgressDeadlineAt: null, deadlineAt: NOW + min(1) },
    ],
    [
      'omitting the step timeout keeps the current one',
      execution('IN_PROGRESS', { stepDeadlineAt: NOW + min(4) }),
      undefined,
      { stepDeadlineAt: NOW + min(4), inProgressDeadlineAt: null, deadlineAt: NOW + min(4) },
    ],
    [
      '-1 removes the step timer and leaves no deadline',
      execution('IN_PROGRESS', { stepDeadlineAt: NOW + min(4) }),
      'clear',
      { stepDeadlineAt: null, inProgressDeadlineAt: null, deadlineAt: null },
    ],
    [
      '-1 leaves the in-progress deadline running',
      execution('IN_PROGRESS', {
        stepDeadlineAt: NOW + min(4),
        inProgressDeadlineAt: NOW + min(20),
        inProgressTimeoutMinutes: 30,
      }),
      'clear',
      { stepDeadlineAt: null, inProgressDeadlineAt: NOW + min(20), deadlineAt: NOW + min(20) },
    ],
    [
      'step timers cannot extend the in-progress deadline',
      execution('IN_PROGRESS', { inProgressDeadlineAt: NOW + min(2), inProgressTimeoutMinutes: 30 }),
      10080,
      { stepDeadlineAt: NOW + min(10080), inProgressDeadlineAt: NOW + min(2), deadlineAt: NOW + min(2) },
    ],
    [
      'staying IN_PROGRESS never restarts the in-progress timer',
      execution('IN_PROGRESS', { inProgressDeadlineAt: NOW + min(2), inProgressTimeoutMinutes: 30 }),
      undefined,
      { stepDeadlineAt: null, inProgressDeadlineAt: NOW + min(2), deadlineAt: NOW + min(2) },
    ],
  ])('%s', (_name, current, step, expected) => {
    expect(timersWhileInProgress(current, step, NOW)).toEqual(expected);
  });
});

describe('an update planned without reading the execution', () => {
  // Every kind of stored execution a device update can meet while it is pending.
  const stored: [string, JobExecutionRecord][] = [
    ['QUEUED, job without timeout', execution('QUEUED')],
    ['QUEUED, job with timeout', execution('QUEUED', { inProgressTimeoutMinutes: 30 })],
    ['IN_PROGRESS, no timers', execution('IN_PROGRESS')],
    ['IN_PROGRESS, step timer', execution('IN_PROGRESS', { stepDeadlineAt: NOW + min(3) })],
    [
      'IN_PROGRESS, far in-progress deadline',
      execution('IN_PROGRESS', { inProgressTimeoutMinutes: 600, inProgressDeadlineAt: NOW + min(500) }),
    ],
    [
      'IN_PROGRESS, near in-progress deadline',
      execution('IN_PROGRESS', { inProgressTimeoutMinutes: 30, inProgressDeadlineAt: NOW + min(2) }),
    ],
    [
      'IN_PROGRESS, both',
      execution('IN_PROGRESS', {
        stepDeadlineAt: NOW + min(1),
        inProgressTimeoutMinutes: 30,
        inProgressDeadlineAt: NOW + min(9),
      }),
    ],
  ];
  const steps: StepTimerRequest[] = [undefined, 'clear', 5, 100];
  const cases = stored.flatMap(([name, record]) => steps.map((step) => [name, String(step), record, step] as const));

  /** The stored deadline after a write: a written value, or the one that was there. */
  const deadlineAfter = (write: TimerWrite, record: JobExecutionRecord) =>
    write.deadlineAt === undefined ? effectiveDeadline(record) : (write.deadlineAt ?? undefined);

  it.each(cases)(
    '%s, step %s: either its assumption fails or it stores the exact deadline',
    (_name, _step, record, step) => {
      const unread = unreadInProgressTimers(step, NOW);
      const exact = timersWhileInProgress(record, step, NOW);
      if (assumptionsHold(unread.assumes, record)) {
        expect(deadlineAfter(unread.write, record)).toBe(exact.deadlineAt ?? undefined);
        if (unread.write.stepDeadlineAt !== undefined) expect(unread.write.stepDeadlineAt).toBe(exact.stepDeadlineAt);
        // An unread write never touches the in-progress deadline, so it must not need to.
        expect(exact.inProgressDeadlineAt ?? undefined).toBe(record.inProgressDeadlineAt);
      }
    },
  );

  it.each<[string, JobExecutionRecord, StepTimerRequest, boolean]>([
    ['a device that already started, no job timeout', execution('IN_PROGRESS'), 5, true],
    ['a QUEUED execution whose job has no timeout', execution('QUEUED'), 5, true],
    [
      'a QUEUED execution whose job has a timeout: the timer must start',
      execution('QUEUED', { inProgressTimeoutMinutes: 30 }),
      undefined,
      false,
    ],
    [
      'a step timer past the in-progress deadline',
      execution('IN_PROGRESS', { inProgressDeadlineAt: NOW + min(2) }),
      5,
      false,
    ],
    [
      'a step timer before the in-progress deadline',
      execution('IN_PROGRESS', { inProgressDeadlineAt: NOW + min(20) }),
      5,
      true,
    ],
    [
      '-1 with an in-progress deadline left running',
      execution('IN_PROGRESS', { inProgressDeadlineAt: NOW + min(20) }),
      'clear',
      false,
    ],
  ])('assumes what holds in the common case: %s', (_name, record, step, holds) => {
    expect(assumptionsHold(unreadInProgressTimers(step, NOW).assumes, record)).toBe(holds);
  });
});
