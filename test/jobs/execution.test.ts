import { describe, expect, it } from 'vitest';
import { toExecutionView, toSummaryView } from '../../lambdas/jobs/device/views';
import { isTerminal, type JobExecutionRecord, pendingOrderKey } from '../../lambdas/jobs/execution/execution';
import { creationOrderedId } from '../../lambdas/jobs/shared/creation-order';

describe('pendingOrderKey', () => {
  const order = (...keys: string[]) => [...keys].sort();

  it('serves every IN_PROGRESS execution before any QUEUED one', () => {
    const oldQueued = pendingOrderKey('QUEUED', 1_000, 'i1', 'a');
    const newInProgress = pendingOrderKey('IN_PROGRESS', 9_000_000, 'i2', 'z');
    expect(order(oldQueued, newInProgress)).toEqual([newInProgress, oldQueued]);
  });

  it('orders by queuedAt, oldest first, across digit counts', () => {
    const early = pendingOrderKey('QUEUED', 9_000, 'i1', 'b');
    const late = pendingOrderKey('QUEUED', 10_000_000, 'i2', 'a');
    expect(order(late, early)).toEqual([early, late]);
  });

  it('orders jobs created within one second by the millisecond, never by jobId', () => {
    const first = pendingOrderKey('QUEUED', 5_100, 'i1', 'zz-step1');
    const second = pendingOrderKey('QUEUED', 5_900, 'i2', 'aa-step2');
    expect(order(second, first)).toEqual([first, second]);
  });

  it('orders jobs created in the same millisecond by their incarnations, made in creation order', () => {
    const [i1, i2] = [creationOrderedId(5_000), creationOrderedId(5_000)];
    const first = pendingOrderKey('QUEUED', 5_000, i1, 'zz');
    const second = pendingOrderKey('QUEUED', 5_000, i2, 'aa');
    expect(order(second, first)).toEqual([first, second]);
  });

  it('puts a key written before millisecond order ahead of newer ones in its rank', () => {
    const legacy = `2#${String(1_700_000_000).padStart(12, '0')}#zz`;
    const newer = pendingOrderKey('QUEUED', 1_700_000_000_500, 'i1', 'aa');
    expect(order(newer, legacy)).toEqual([legacy, newer]);
    expect(order(newer, legacy, pendingOrderKey('IN_PROGRESS', 1_700_000_999_000, 'i2', 'b'))[0]).toMatch(/^1#/);
  });
});

describe('creationOrderedId', () => {
  it('sorts in the order it was made, across milliseconds and within one', () => {
    const ids = [
      creationOrderedId(1_000),
      creationOrderedId(1_000),
      creationOrderedId(1_000),
      creationOrderedId(2_000),
      creationOrderedId(2_000),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
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
    expect(Object.keys(view).sort()).toEqual([
      'executionNumber',
      'jobId',
      'lastUpdatedAt',
      'queuedAt',
      'status',
      'thingName',
      'versionNumber',
    ]);
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
