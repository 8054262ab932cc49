import { type ExecutionStatus, isPending } from '../execution/execution';
import { isContinuous, type JobRecord } from '../management/job';
import { abortReason, trippedCriterion } from '../rollout/abort';
import type { Clock } from '../shared/clock';
import { forEachLimited } from '../shared/concurrency';
import type { JobRef } from '../shared/ports';

/**
 * DescribeJob's jobProcessDetails: executions per status, kept off the
 * request path. The table's stream tells what changed; each change moves one
 * count, and is counted once however often, and in whatever batches, the
 * stream delivers it: its marker is written in the same transaction as its
 * count. So the counts stay exact through redelivery, bisected batches and
 * crashes, and a job is COMPLETED when they say nothing is pending.
 */

/**
 * Beside the count per status, the failures about to be retried (FAILED or
 * TIMED_OUT with retries left): counted in their status as AWS shows them,
 * and again under RETRYING_<status>, so that the job does not complete and
 * no abort criterion counts them while their next attempt is on its way.
 */
export const RETRYING_COUNTS = { FAILED: 'RETRYING_FAILED', TIMED_OUT: 'RETRYING_TIMED_OUT' } as const;
export type RetryingCount = (typeof RETRYING_COUNTS)[keyof typeof RETRYING_COUNTS];
export type CountKey = ExecutionStatus | RetryingCount;
export type ExecutionCounts = Partial<Record<CountKey, number>>;

/** The retrying count an execution in this status adds to, if it is to be retried. */
export const retryingCountOf = (
  status: ExecutionStatus | undefined,
  retrying: boolean | undefined,
): RetryingCount | undefined =>
  retrying && (status === 'FAILED' || status === 'TIMED_OUT') ? RETRYING_COUNTS[status] : undefined;

/**
 * One execution's change as the stream saw it: a status it left and one it entered (either absent for create/delete).
 */
export interface ExecutionChange {
  /** Unique per change: a redelivered record, alone or in another batch, has the same ID. */
  changeId: string;
  jobId: string;
  /** The job incarnation the execution belongs to: its counts are that job's, never another of the same jobId. */
  jobIncarnation: string;
  from?: ExecutionStatus;
  to?: ExecutionStatus;
  /** The status left, or entered, is a failure with a retry left (see RETRYING_COUNTS). */
  fromRetrying?: boolean;
  toRetrying?: boolean;
}

/** The changes of one job incarnation, in stream order. */
export interface JobChanges {
  job: JobRef;
  changes: ExecutionChange[];
}

export interface JobCountsStore {
  /**
   * Adds the changes to that incarnation's counts, each change once (one
   * already counted adds nothing); the job after it, or undefined if that
   * incarnation is gone.
   */
  countChanges(job: JobRef, changes: readonly ExecutionChange[]): Promise<JobRecord | undefined>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  /** IN_PROGRESS -> COMPLETED, only if it still is IN_PROGRESS and still that incarnation. */
  completeJob(job: JobRef, now: number): Promise<void>;
}

/** The changes that move a count, grouped by job incarnation (a status-details-only update moves none). */
export function groupByJob(changes: readonly ExecutionChange[]): JobChanges[] {
  const byJob = new Map<string, JobChanges>();
  for (const change of changes) {
    if (change.from === change.to && change.fromRetrying === change.toRetrying) continue;
    const key = `${change.jobId}\n${change.jobIncarnation}`;
    const entry = byJob.get(key) ?? { job: { jobId: change.jobId, incarnation: change.jobIncarnation }, changes: [] };
    entry.changes.push(change);
    byJob.set(key, entry);
  }
  return [...byJob.values()];
}

/**
 * What the changes do to the counts together: minus one for each status left, plus one for each entered; statuses that
 * net to zero are left out.
 */
export function deltaOf(changes: readonly ExecutionChange[]): ExecutionCounts {
  const deltas: ExecutionCounts = {};
  for (const { from, to, fromRetrying, toRetrying } of changes) {
    const left = retryingCountOf(from, fromRetrying);
    const entered = retryingCountOf(to, toRetrying);
    if (left) deltas[left] = (deltas[left] ?? 0) - 1;
    if (entered) deltas[entered] = (deltas[entered] ?? 0) + 1;
    if (from === to) continue;
    if (from) deltas[from] = (deltas[from] ?? 0) - 1;
    if (to) deltas[to] = (deltas[to] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(deltas).filter(([, n]) => n !== 0)) as ExecutionCounts;
}

/**
 * Counts by status of a set of executions (the recount's tally), each failure to be retried also under its retrying
 * count.
 */
export function tallyStatuses(executions: Iterable<{ status: ExecutionStatus; retrying?: boolean }>): ExecutionCounts {
  const counts: ExecutionCounts = {};
  for (const { status, retrying } of executions) {
    counts[status] = (counts[status] ?? 0) + 1;
    const also = retryingCountOf(status, retrying);
    if (also) counts[also] = (counts[also] ?? 0) + 1;
  }
  return counts;
}

const isRetryingCount = (key: string) => key === RETRYING_COUNTS.FAILED || key === RETRYING_COUNTS.TIMED_OUT;

/** Executions not done yet: pending ones, and failures whose next attempt is on its way. */
export const pendingIn = (counts: ExecutionCounts | undefined): number =>
  Object.entries(counts ?? {}).reduce(
    (sum, [key, n]) => sum + (isRetryingCount(key) || isPending(key as ExecutionStatus) ? (n ?? 0) : 0),
    0,
  );

/** A job whose fan-out is done, that has executions, and none of them pending. */
export function isComplete(job: JobRecord): boolean {
  // A continuous job waits for the things that join its groups later: it is done only when canceled (AWS).
  if (isContinuous(job)) return false;
  const total = Object.entries(job.executionCounts ?? {}).reduce(
    (sum, [key, n]) => sum + (isRetryingCount(key) ? 0 : (n ?? 0)),
    0,
  );
  return job.status === 'IN_PROGRESS' && job.executionsCreated && total > 0 && pendingIn(job.executionCounts) === 0;
}

/** How many jobs of one batch are counted at once. */
const JOBS_IN_FLIGHT = 8;

/** Cancels a job whose abort criterion its counts met (only if still IN_PROGRESS); true if it did. */
export type JobAborter = (job: JobRef, reason: { reasonCode: string; comment: string }) => Promise<boolean>;

/** The jobs of `counted` that an abort criterion cancels now; the rest go on. */
async function abortTripped(counted: JobRecord[], abort: JobAborter | undefined): Promise<Set<JobRecord>> {
  const aborted = new Set<JobRecord>();
  if (!abort) return aborted;
  await Promise.all(
    counted.map(async (job) => {
      if (job.status !== 'IN_PROGRESS' || !job.abortConfig) return;
      const tripped = trippedCriterion(job.abortConfig, job.executionCounts ?? {});
      if (tripped && (await abort({ jobId: job.jobId, incarnation: job.incarnation }, abortReason(tripped))))
        aborted.add(job);
    }),
  );
  return aborted;
}

/**
 * Applies one stream batch: the execution changes it holds, and the jobs whose
 * fan-out it saw finish (their last execution may have finished first). A job
 * whose new counts meet an abort criterion is canceled before it could
 * complete; a batch given again finds it canceled and aborts nothing twice.
 * `countsWritten` hears of the jobs whose counts the batch moved.
 */
export async function aggregateExecutionChanges(
  store: JobCountsStore,
  batch: { changes: readonly ExecutionChange[]; fanOutsFinished: readonly JobRef[] },
  clock: Clock,
  abort?: JobAborter,
  countsWritten?: (jobs: readonly JobRecord[]) => Promise<void>,
): Promise<void> {
  const byJob = groupByJob(batch.changes);
  const touched: JobRecord[] = [];
  await forEachLimited(byJob, JOBS_IN_FLIGHT, async ({ job, changes }) => {
    const counted = await store.countChanges(job, changes);
    if (counted) touched.push(counted);
  });
  // The counts as they now stand (the job's progress over time), before an abort or a completion moves on.
  await countsWritten?.(touched);
  const finished = await Promise.all(
    batch.fanOutsFinished
      .filter((ref) => !byJob.some(({ job }) => job.jobId === ref.jobId && job.incarnation === ref.incarnation))
      .map(async (ref) => {
        const job = await store.getJob(ref.jobId);
        return job?.incarnation === ref.incarnation ? job : undefined;
      }),
  );
  const aborted = await abortTripped(touched, abort);
  await Promise.all(
    [...touched, ...finished]
      .filter((job): job is JobRecord => job !== undefined && !aborted.has(job) && isComplete(job))
      .map((job) => store.completeJob({ jobId: job.jobId, incarnation: job.incarnation }, clock())),
  );
}
