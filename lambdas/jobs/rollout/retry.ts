import type { JobExecutionRecord, RetriesUsed, RetryLimits } from '../execution/execution';
import { RETRY_ACTOR } from '../shared/actor';

export type { RetriesUsed, RetryLimits };

/**
 * A job's retries (CreateJob's jobExecutionsRetryConfig): an execution that
 * ends FAILED or TIMED_OUT with retries left for that failure is followed by
 * a new QUEUED execution of the same job on the same thing, under the next
 * executionNumber (AWS). Each criterion has its own budget: FAILED and
 * TIMED_OUT each count their own retries, ALL counts every retry.
 *
 * The limits are copied onto each execution when it is created (as its
 * timeout is), and the retries used travel with it, so whether a failure is
 * retried is decided from the execution alone: the stream consumer that
 * writes the retry, the counts (a failure about to be retried is still
 * pending: the job does not complete, and no abort counts it) and the
 * recount all agree without reading the job.
 */

export const RETRYABLE_FAILURE_TYPES = ['FAILED', 'TIMED_OUT', 'ALL'] as const;
export type RetryableFailureType = (typeof RETRYABLE_FAILURE_TYPES)[number];

export interface RetryCriteria {
  failureType: RetryableFailureType;
  numberOfRetries: number;
}

/** As CreateJob takes it (and DescribeJob shows it). */
export interface RetryConfig {
  criteriaList: RetryCriteria[];
}

export const MAX_RETRIES = 10;

export function retryLimitsOf(config: RetryConfig): RetryLimits {
  return Object.fromEntries(config.criteriaList.map((c) => [c.failureType, c.numberOfRetries]));
}

type RetryState = Pick<JobExecutionRecord, 'status' | 'retryLimits' | 'retriesUsed' | 'retryAttempt'>;

/** An execution in this state is followed by another attempt. */
export function hasRetryLeft(execution: RetryState): boolean {
  const { status, retryLimits } = execution;
  if (!retryLimits || (status !== 'FAILED' && status !== 'TIMED_OUT')) return false;
  const own = retryLimits[status];
  if (own !== undefined) return (execution.retriesUsed?.[status] ?? 0) < own;
  return retryLimits.ALL !== undefined && (execution.retryAttempt ?? 0) < retryLimits.ALL;
}

/** The attempt after a failed or timed-out one: a fresh QUEUED execution under the next executionNumber. */
export function nextAttempt(failed: JobExecutionRecord, now: number): JobExecutionRecord {
  const cause = failed.status as 'FAILED' | 'TIMED_OUT';
  return {
    thingName: failed.thingName,
    jobId: failed.jobId,
    jobIncarnation: failed.jobIncarnation,
    status: 'QUEUED',
    queuedAt: now,
    lastUpdatedAt: now,
    versionNumber: 1,
    executionNumber: failed.executionNumber + 1,
    ...(failed.inProgressTimeoutMinutes !== undefined
      ? { inProgressTimeoutMinutes: failed.inProgressTimeoutMinutes }
      : {}),
    ...(failed.retryLimits ? { retryLimits: failed.retryLimits } : {}),
    retriesUsed: { ...failed.retriesUsed, [cause]: (failed.retriesUsed?.[cause] ?? 0) + 1 },
    retryAttempt: (failed.retryAttempt ?? 0) + 1,
    changedBy: RETRY_ACTOR,
  };
}

/** Where retries are written. */
export interface RetryStore {
  /** The failed attempt replaced by the next, only while the job runs and the attempt is as read; false if refused. */
  writeRetry(failed: JobExecutionRecord, next: JobExecutionRecord): Promise<boolean>;
}

/** Gives each failure of a stream batch that has a retry left its next attempt; how many were written. */
export async function retryFailures(
  store: RetryStore,
  failures: readonly JobExecutionRecord[],
  now: number,
): Promise<number> {
  const written = await Promise.all(failures.map((failed) => store.writeRetry(failed, nextAttempt(failed, now))));
  return written.filter(Boolean).length;
}
