import { describe, expect, it } from 'vitest';
import type { ExecutionStatus, JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import {
  hasRetryLeft,
  nextAttempt,
  type RetriesUsed,
  type RetryLimits,
  retryLimitsOf,
} from '../../lambdas/jobs/rollout/retry';

const attempt = (
  status: ExecutionStatus,
  retryLimits: RetryLimits | undefined,
  retriesUsed: RetriesUsed = {},
): JobExecutionRecord => ({
  thingName: 't1',
  jobId: 'j1',
  jobIncarnation: 'i1',
  status,
  queuedAt: 1,
  startedAt: 2,
  lastUpdatedAt: 3,
  versionNumber: 4,
  executionNumber: 1 + (retriesUsed.FAILED ?? 0) + (retriesUsed.TIMED_OUT ?? 0),
  statusDetails: { step: 'flash' },
  stepDeadlineAt: 9,
  inProgressTimeoutMinutes: 30,
  ...(retryLimits
    ? { retryLimits, retryAttempt: (retriesUsed.FAILED ?? 0) + (retriesUsed.TIMED_OUT ?? 0), retriesUsed }
    : {}),
});

describe('hasRetryLeft', () => {
  it.each<[string, JobExecutionRecord, boolean]>([
    ['a job without retries', attempt('FAILED', undefined), false],
    ['FAILED with FAILED retries left', attempt('FAILED', { FAILED: 2 }, { FAILED: 1 }), true],
    ['FAILED with its FAILED retries used up', attempt('FAILED', { FAILED: 2 }, { FAILED: 2 }), false],
    ['FAILED when only timeouts are retried', attempt('FAILED', { TIMED_OUT: 3 }), false],
    [
      'TIMED_OUT with TIMED_OUT retries left, FAILED ones used up',
      attempt('TIMED_OUT', { FAILED: 1, TIMED_OUT: 1 }, { FAILED: 1 }),
      true,
    ],
    ['ALL: any failure, until every retry is used', attempt('TIMED_OUT', { ALL: 2 }, { FAILED: 1 }), true],
    ['ALL used up across both kinds', attempt('FAILED', { ALL: 2 }, { FAILED: 1, TIMED_OUT: 1 }), false],
    ['0 retries', attempt('FAILED', { FAILED: 0 }), false],
    ['REJECTED is never retried', attempt('REJECTED', { ALL: 5 }), false],
    ['SUCCEEDED', attempt('SUCCEEDED', { ALL: 5 }), false],
    ['still running', attempt('IN_PROGRESS', { ALL: 5 }), false],
  ])('%s: %s', (_, execution, expected) => {
    expect(hasRetryLeft(execution)).toBe(expected);
  });
});

describe('nextAttempt', () => {
  it('is a fresh QUEUED execution under the next executionNumber, counting the retry against its cause, with the limits and timeout carried over', () => {
    expect(nextAttempt(attempt('TIMED_OUT', { FAILED: 1, TIMED_OUT: 2 }, { FAILED: 1 }), 500)).toEqual({
      thingName: 't1',
      jobId: 'j1',
      jobIncarnation: 'i1',
      status: 'QUEUED',
      queuedAt: 500,
      lastUpdatedAt: 500,
      versionNumber: 1,
      executionNumber: 3,
      inProgressTimeoutMinutes: 30,
      retryLimits: { FAILED: 1, TIMED_OUT: 2 },
      retriesUsed: { FAILED: 1, TIMED_OUT: 1 },
      retryAttempt: 2,
      changedBy: { kind: 'retry' },
    });
  });

  it("reads a job's criteria as limits", () => {
    expect(
      retryLimitsOf({
        criteriaList: [
          { failureType: 'FAILED', numberOfRetries: 3 },
          { failureType: 'TIMED_OUT', numberOfRetries: 0 },
        ],
      }),
    ).toEqual({ FAILED: 3, TIMED_OUT: 0 });
  });
});
