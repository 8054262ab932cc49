import { describe, expect, it } from 'vitest';
import type { ExecutionStatus } from '../../lambdas/jobs/execution/execution';
import { type AbortConfig, type AbortCriteria, abortReason, trippedCriterion } from '../../lambdas/jobs/rollout/abort';

const criterion = (over: Partial<AbortCriteria> = {}): AbortCriteria => ({
  failureType: 'FAILED',
  action: 'CANCEL',
  thresholdPercentage: 20,
  minNumberOfExecutedThings: 10,
  ...over,
});
const config = (...criteriaList: AbortCriteria[]): AbortConfig => ({ criteriaList });
type Counts = Partial<Record<ExecutionStatus | 'RETRYING_FAILED' | 'RETRYING_TIMED_OUT', number>>;

describe('trippedCriterion', () => {
  it.each<[string, AbortConfig, Counts, number | undefined]>([
    ['exactly at the threshold', config(criterion()), { SUCCEEDED: 8, FAILED: 2 }, 0],
    ['just under it', config(criterion()), { SUCCEEDED: 9, FAILED: 2, QUEUED: 5 }, undefined],
    [
      'past it, but before the minimum of executed things',
      config(criterion()),
      { SUCCEEDED: 4, FAILED: 5, IN_PROGRESS: 20, QUEUED: 100 },
      undefined,
    ],
    ['at the minimum', config(criterion()), { SUCCEEDED: 5, FAILED: 5 }, 0],
    // Queued, running, canceled and removed things have not executed: they count toward neither figure.
    [
      'with things still to run, canceled or removed',
      config(criterion()),
      { SUCCEEDED: 8, FAILED: 2, QUEUED: 50, IN_PROGRESS: 9, CANCELED: 3, REMOVED: 4 },
      0,
    ],
    [
      'a FAILED criterion, with REJECTED and TIMED_OUT things',
      config(criterion()),
      { SUCCEEDED: 7, REJECTED: 2, TIMED_OUT: 1, FAILED: 0 },
      undefined,
    ],
    [
      'a REJECTED criterion',
      config(criterion({ failureType: 'REJECTED' })),
      { SUCCEEDED: 7, REJECTED: 2, FAILED: 1 },
      0,
    ],
    ['a TIMED_OUT criterion', config(criterion({ failureType: 'TIMED_OUT' })), { SUCCEEDED: 8, TIMED_OUT: 2 }, 0],
    [
      'ALL: every kind of failure together',
      config(criterion({ failureType: 'ALL' })),
      { SUCCEEDED: 8, FAILED: 1, REJECTED: 0, TIMED_OUT: 1 },
      0,
    ],
    [
      'the second criterion, the first not met',
      config(criterion({ thresholdPercentage: 50 }), criterion({ failureType: 'ALL', thresholdPercentage: 30 })),
      { SUCCEEDED: 6, FAILED: 2, TIMED_OUT: 2 },
      1,
    ],
    [
      'a threshold of 0: any executed thing after the minimum',
      config(criterion({ thresholdPercentage: 0 })),
      { SUCCEEDED: 10 },
      0,
    ],
    [
      'a threshold of 100: only when every executed thing failed',
      config(criterion({ thresholdPercentage: 100 })),
      { SUCCEEDED: 1, FAILED: 9 },
      undefined,
    ],
    // Two decimals, compared exactly: 1 in 3 is 33.333...%.
    [
      '33.33% with 1 in 3',
      config(criterion({ thresholdPercentage: 33.33, minNumberOfExecutedThings: 3 })),
      { SUCCEEDED: 2, FAILED: 1 },
      0,
    ],
    [
      '33.34% with 1 in 3',
      config(criterion({ thresholdPercentage: 33.34, minNumberOfExecutedThings: 3 })),
      { SUCCEEDED: 2, FAILED: 1 },
      undefined,
    ],
    [
      'no executed thing',
      config(criterion({ thresholdPercentage: 0, minNumberOfExecutedThings: 1 })),
      { QUEUED: 3 },
      undefined,
    ],
    // A thing whose failure is about to be retried has not executed yet: 2 failed, 1 of them retrying, is 1 failure in
    // 9 things.
    [
      'with a failure about to be retried',
      config(criterion({ minNumberOfExecutedThings: 9, thresholdPercentage: 20 })),
      { SUCCEEDED: 8, FAILED: 2, RETRYING_FAILED: 1 },
      undefined,
    ],
    [
      'with its retry failed for good',
      config(criterion({ minNumberOfExecutedThings: 9, thresholdPercentage: 20 })),
      { SUCCEEDED: 8, FAILED: 2, RETRYING_FAILED: 0 },
      0,
    ],
    [
      'ALL with a timeout about to be retried (3 in 5 without it)',
      config(criterion({ failureType: 'ALL', minNumberOfExecutedThings: 4, thresholdPercentage: 60 })),
      { SUCCEEDED: 2, FAILED: 1, TIMED_OUT: 2, RETRYING_TIMED_OUT: 1 },
      undefined,
    ],
  ])('%s', (_, abort, counts, expected) => {
    expect(trippedCriterion(abort, counts)?.index).toBe(expected);
  });
});

describe('abortReason', () => {
  it('names the criterion and the figures', () => {
    const tripped = trippedCriterion(config(criterion({ minNumberOfExecutedThings: 30 })), {
      SUCCEEDED: 20,
      FAILED: 10,
    })!;
    expect(abortReason(tripped)).toEqual({
      reasonCode: 'ABORTED_FAILED',
      comment:
        'Aborted by abortConfig criterion 1 (FAILED at 20% after 30 executed things): 10 of 30 executed things FAILED (33.33%)',
    });
  });

  it('says which failures ALL counted', () => {
    const tripped = trippedCriterion(config(criterion({ failureType: 'ALL' })), { SUCCEEDED: 5, TIMED_OUT: 5 })!;
    expect(abortReason(tripped)).toMatchObject({
      reasonCode: 'ABORTED_ALL',
      comment: expect.stringContaining('5 of 10 executed things FAILED, REJECTED or TIMED_OUT (50%)'),
    });
  });
});
