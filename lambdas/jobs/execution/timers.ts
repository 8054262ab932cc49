import { MINUTE_MS } from '../shared/clock';
import type { JobExecutionRecord } from './execution';

/**
 * Timer rules. An IN_PROGRESS execution can have two deadlines:
 * - the step deadline, set by stepTimeoutInMinutes on StartNext or Update and
 *   replaced by each new one (`-1` removes it);
 * - the in-progress deadline, fixed when the execution first goes IN_PROGRESS
 *   from its job's timeoutConfig.inProgressTimeoutInMinutes; step timers never
 *   move it.
 * The earlier of the two is the effective deadline. From that instant on, the
 * execution is TIMED_OUT for everyone, whether or not it has been written yet.
 */

/** A device's stepTimeoutInMinutes: minutes from now, 'clear' for -1, undefined to keep the current step timer. */
export type StepTimerRequest = number | 'clear' | undefined;

type TimedFields = Pick<JobExecutionRecord, 'status' | 'stepDeadlineAt' | 'inProgressDeadlineAt'>;

const earliest = (...times: (number | undefined)[]): number | undefined => {
  const set = times.filter((t): t is number => t !== undefined);
  return set.length ? Math.min(...set) : undefined;
};

/** When the execution times out, if it is running against a clock at all. */
export function effectiveDeadline(record: TimedFields): number | undefined {
  return record.status === 'IN_PROGRESS' ? earliest(record.stepDeadlineAt, record.inProgressDeadlineAt) : undefined;
}

/** True from the deadline's very millisecond: a deadline is the first instant the execution is no longer running. */
export function hasTimedOut(record: TimedFields, now: number): boolean {
  const deadline = effectiveDeadline(record);
  return deadline !== undefined && deadline <= now;
}

/** approximateSecondsBeforeTimedOut: whole seconds left, rounded down. */
export function secondsBeforeTimedOut(record: TimedFields, now: number): number | undefined {
  const deadline = effectiveDeadline(record);
  return deadline === undefined ? undefined : Math.max(0, Math.floor((deadline - now) / 1000));
}

/**
 * What a write does to the timer fields: a number sets a field, `null`
 * removes it, `undefined` leaves it as stored. `deadlineAt` is the effective
 * deadline, the one the sweeper's index is sorted by.
 */
export interface TimerWrite {
  stepDeadlineAt?: number | null;
  inProgressDeadlineAt?: number | null;
  deadlineAt?: number | null;
}

/** A terminal status stops every clock. */
export const STOPPED_TIMERS: TimerWrite = { stepDeadlineAt: null, inProgressDeadlineAt: null, deadlineAt: null };

/**
 * The timers after an execution goes (or stays) IN_PROGRESS, computed from how
 * it stands now. Exact: the write that uses it must be guarded by the
 * execution's version.
 */
export function timersWhileInProgress(current: JobExecutionRecord, step: StepTimerRequest, now: number): TimerWrite {
  const startsNow = current.status === 'QUEUED';
  const inProgressDeadlineAt =
    startsNow && current.inProgressTimeoutMinutes !== undefined
      ? now + current.inProgressTimeoutMinutes * MINUTE_MS
      : current.inProgressDeadlineAt;
  const stepDeadlineAt =
    step === undefined ? current.stepDeadlineAt : step === 'clear' ? undefined : now + step * MINUTE_MS;
  return {
    stepDeadlineAt: stepDeadlineAt ?? null,
    inProgressDeadlineAt: inProgressDeadlineAt ?? null,
    deadlineAt: earliest(stepDeadlineAt, inProgressDeadlineAt) ?? null,
  };
}

/**
 * Facts about the stored execution that a write planned without reading it
 * relies on. The store turns each into a condition, so a write whose
 * assumption is false fails instead of storing a wrong deadline.
 */
export interface TimerAssumptions {
  /** Going IN_PROGRESS starts no in-progress timer: it is IN_PROGRESS already, or its job has no inProgressTimeout. */
  noInProgressTimerToStart?: true;
  /** Any in-progress deadline is at or after this instant, so the new step deadline is the effective one. */
  inProgressDeadlineNotBefore?: number;
  /** There is no in-progress deadline, so removing the step timer leaves no deadline. */
  noInProgressDeadline?: true;
}

export interface UnreadTimerPlan {
  write: TimerWrite;
  assumes: TimerAssumptions;
}

/**
 * The timers of an Update(IN_PROGRESS) planned without reading the execution,
 * for the common case: a device that already started, on a job whose
 * in-progress timeout (if any) is later than its step timers. When the
 * assumption is false the write fails and is planned again, exactly, from the
 * stored item the failure returns.
 */
export function unreadInProgressTimers(step: StepTimerRequest, now: number): UnreadTimerPlan {
  if (step === undefined) return { write: {}, assumes: { noInProgressTimerToStart: true } };
  if (step === 'clear') {
    return {
      write: { stepDeadlineAt: null, deadlineAt: null },
      assumes: { noInProgressTimerToStart: true, noInProgressDeadline: true },
    };
  }
  const stepDeadlineAt = now + step * MINUTE_MS;
  return {
    write: { stepDeadlineAt, deadlineAt: stepDeadlineAt },
    assumes: { noInProgressTimerToStart: true, inProgressDeadlineNotBefore: stepDeadlineAt },
  };
}

/** Does the stored execution satisfy what an unread plan assumed? */
export function assumptionsHold(assumes: TimerAssumptions, current: JobExecutionRecord): boolean {
  if (
    assumes.noInProgressTimerToStart &&
    current.status !== 'IN_PROGRESS' &&
    current.inProgressTimeoutMinutes !== undefined
  )
    return false;
  if (
    assumes.inProgressDeadlineNotBefore !== undefined &&
    current.inProgressDeadlineAt !== undefined &&
    current.inProgressDeadlineAt < assumes.inProgressDeadlineNotBefore
  ) {
    return false;
  }
  if (assumes.noInProgressDeadline && current.inProgressDeadlineAt !== undefined) return false;
  return true;
}
