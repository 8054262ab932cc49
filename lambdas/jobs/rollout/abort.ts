import type { ExecutionStatus } from '../execution/execution';

/** A failure whose retry is on its way (see the counts). */
type RetryingCount = 'RETRYING_FAILED' | 'RETRYING_TIMED_OUT';

/**
 * A job's abort criteria (CreateJob's abortConfig): cancel the job, as
 * CancelJob without force would, once enough of the things that ran it
 * failed. Our choice, better than AWS's counts of executions: the figures
 * count things, by the latest execution each has (a thing retried and failed
 * again is one failed thing), so retries cannot inflate the failure rate.
 */

export const FAILURE_TYPES = ['FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];
export const ABORT_ACTIONS = ['CANCEL'] as const;
export type AbortAction = (typeof ABORT_ACTIONS)[number];

export interface AbortCriteria {
  failureType: FailureType;
  action: AbortAction;
  thresholdPercentage: number;
  minNumberOfExecutedThings: number;
}

/** As CreateJob takes it (and DescribeJob shows it). */
export interface AbortConfig {
  criteriaList: AbortCriteria[];
}

/** The outcomes a device (or its timer) gives a thing: what "executed" means for the figures. */
const EXECUTED: readonly ExecutionStatus[] = ['SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT'];
const FAILURES: Record<FailureType, readonly ExecutionStatus[]> = {
  FAILED: ['FAILED'],
  REJECTED: ['REJECTED'],
  TIMED_OUT: ['TIMED_OUT'],
  ALL: ['FAILED', 'REJECTED', 'TIMED_OUT'],
};

export interface TrippedCriterion {
  /** Its place in criteriaList, from 0. */
  index: number;
  criterion: AbortCriteria;
  executed: number;
  failed: number;
}

const sum = (counts: Partial<Record<ExecutionStatus, number>>, statuses: readonly ExecutionStatus[]) =>
  statuses.reduce((total, status) => total + Math.max(0, counts[status] ?? 0), 0);

/**
 * The first criterion the counts meet: at least its minimum of executed
 * things, and failures at or past its threshold (in whole hundredths of a
 * percent, as AWS takes it: no rounding at the edge).
 */
export function trippedCriterion(
  config: AbortConfig,
  counts: Partial<Record<ExecutionStatus | RetryingCount, number>>,
): TrippedCriterion | undefined {
  // A failure about to be retried has not executed yet: its thing counts by the attempt that ends it.
  const retrying = (statuses: readonly ExecutionStatus[]) =>
    (statuses.includes('FAILED') ? Math.max(0, counts.RETRYING_FAILED ?? 0) : 0) +
    (statuses.includes('TIMED_OUT') ? Math.max(0, counts.RETRYING_TIMED_OUT ?? 0) : 0);
  const executed = sum(counts, EXECUTED) - retrying(EXECUTED);
  for (const [index, criterion] of config.criteriaList.entries()) {
    if (executed <= 0 || executed < criterion.minNumberOfExecutedThings) continue;
    const failed = sum(counts, FAILURES[criterion.failureType]) - retrying(FAILURES[criterion.failureType]);
    // failed / executed >= threshold / 100, in integers: the threshold has at most two decimals.
    if (failed * 10_000 >= Math.round(criterion.thresholdPercentage * 100) * executed)
      return { index, criterion, executed, failed };
  }
  return undefined;
}

/** What the canceled job says of why: a reasonCode naming the criterion, and a comment with its figures. */
export function abortReason(tripped: TrippedCriterion): { reasonCode: string; comment: string } {
  const { criterion, executed, failed, index } = tripped;
  const rate = ((failed / executed) * 100).toFixed(2).replace(/\.?0+$/, '');
  const kind = criterion.failureType === 'ALL' ? 'FAILED, REJECTED or TIMED_OUT' : criterion.failureType;
  return {
    reasonCode: `ABORTED_${criterion.failureType}`,
    comment:
      `Aborted by abortConfig criterion ${index + 1} (${criterion.failureType} at ${criterion.thresholdPercentage}% ` +
      `after ${criterion.minNumberOfExecutedThings} executed things): ` +
      `${failed} of ${executed} executed things ${kind} (${rate}%)`,
  };
}
