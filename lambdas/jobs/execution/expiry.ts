import type { JobExecutionRecord } from './execution';
import type { ExecutionStore } from './store';
import { effectiveDeadline, hasTimedOut } from './timers';

/**
 * The execution as it stands at `now`: one past its deadline is TIMED_OUT,
 * and is written so (conditionally) if nobody has yet. Every reader goes
 * through here, so no answer ever shows an expired execution as running.
 */
export async function settleExpired(
  store: Pick<ExecutionStore, 'timeOut'>,
  record: JobExecutionRecord,
  now: number,
): Promise<JobExecutionRecord | undefined> {
  if (!hasTimedOut(record, now)) return record;
  const outcome = await store.timeOut({
    thingName: record.thingName,
    jobId: record.jobId,
    deadlineAt: effectiveDeadline(record)!,
  });
  // Losing means another observer or the sweeper wrote it first (no device can write past the deadline).
  return outcome.applied ? outcome.record : outcome.current;
}
