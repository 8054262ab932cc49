import { describe, expect, it } from 'vitest';
import { isTerminal, pendingOrderKey, type JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import { toExecutionView, toSummaryView } from '../../lambdas/jobs/device/views';

describe('pendingOrderKey', () => {
  const order = (...keys: string[]) => [...keys].sort();

  it('serves every IN_PROGRESS execution before any QUEUED one', () => {
    const oldQueued = pendingOrderKey('QUEUED', 1_000, 'a');
    const newInProgress = pendingOrderKey('IN_PROGRESS', 9_000_000, 'z');
    expect(order(oldQueued, newInProgress)).toEqual([newInProgress, oldQueued]);
  });

  it('orders by queuedAt, oldest first, across digit counts', () => {
    const early = pendingOrderKey('QUEUED', 9_000, 'b');
    const late = pendingOrderKey('QUEUED', 10_000_000, 'a');
    expect(order(late, early)).toEqual([early, late]);
  });

  it('breaks ties within the same second by jobId', () => {
    const b = pendingOrderKey('QUEUED', 5_100, 'b');
    const a = pendingOrderKey('QUEUED', 5_900, 'a');
    expect(order(b, a)).toEqual([a, b]);
  });
});

describe('views', () => {
  const record: JobExecutionRecord = {
    thingName: 't1',
    jobId: 'j1',
    jobIncarnation: 'i',
    status: 'IN_PROGRESS',
    queuedAt: 1_700_000_000_999,
    startedAt: 1_700_000_001_500,
    lastUpdatedAt: 1_700_000_002_000,
    versionNumber: 2,
    executionNumber: 1,
    stepDeadlineAt: 1_700_000_062_000,
  };

  it('sends whole epoch seconds on the device API', () => {
    expect(toSummaryView(record)).toEqual({
      jobId: 'j1',
      queuedAt: 1_700_000_000,
      startedAt: 1_700_000_001,
      lastUpdatedAt: 1_700_000_002,
      versionNumber: 2,
      executionNumber: 1,
    });
  });

  it('counts down to the step deadline while IN_PROGRESS', () => {
    expect(toExecutionView(record, 1_700_000_002_000).approximateSecondsBeforeTimedOut).toBe(60);
  });

  it('omits what is not there: startedAt, statusDetails, document, deadline', () => {
    const queued: JobExecutionRecord = { ...record, status: 'QUEUED', startedAt: undefined, stepDeadlineAt: undefined };
    delete queued.startedAt;
    const view = toExecutionView(queued, 0);
    expect(Object.keys(view).sort()).toEqual(['executionNumber', 'jobId', 'lastUpdatedAt', 'queuedAt', 'status', 'thingName', 'versionNumber']);
  });

  it.each([
    ['QUEUED', false],
    ['IN_PROGRESS', false],
    ['SUCCEEDED', true],
    ['FAILED', true],
    ['REJECTED', true],
    ['TIMED_OUT', true],
    ['CANCELED', true],
    ['REMOVED', true],
  ] as const)('%s is terminal: %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });
});
