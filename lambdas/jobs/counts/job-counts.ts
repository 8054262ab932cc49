import { createHash } from 'node:crypto';
import type { Clock } from '../shared/clock';
import { isPending, type ExecutionStatus } from '../execution/execution';
import type { JobRecord } from '../management/job';
import type { JobRef } from '../shared/ports';

/**
 * DescribeJob's jobProcessDetails: executions per status, kept off the
 * request path. The table's stream tells what changed; each batch becomes at
 * most one write per job, so 100,000 devices finishing one job never write
 * the job item themselves. A batch is counted once however often it is
 * delivered (its token is remembered with the write), so the counts stay
 * exact, and a job is COMPLETED when they say nothing is pending.
 */

export type ExecutionCounts = Partial<Record<ExecutionStatus, number>>;

/** One execution's change as the stream saw it: a status it left and one it entered (either absent for create/delete). */
export interface ExecutionChange {
  /** Unique per stream record: a redelivered batch has the same IDs. */
  eventId: string;
  jobId: string;
  /** The job incarnation the execution belongs to: its counts are that job's, never another of the same jobId. */
  jobIncarnation: string;
  from?: ExecutionStatus;
  to?: ExecutionStatus;
}

export interface JobCountDelta {
  jobId: string;
  jobIncarnation: string;
  deltas: ExecutionCounts;
  /** The same for the same records, so a redelivered batch is recognised and not counted twice. */
  batchToken: string;
}

export interface JobCountsStore {
  /** Adds the deltas to that incarnation of the job, once per batchToken (a redelivered batch adds nothing); the job after it, or undefined if that incarnation is gone. */
  applyDelta(delta: JobCountDelta): Promise<JobRecord | undefined>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  /** IN_PROGRESS -> COMPLETED, only if it still is IN_PROGRESS and still that incarnation. */
  completeJob(job: JobRef, now: number): Promise<void>;
}

/** One delta per job incarnation in the batch. */
export function tallyChanges(changes: readonly ExecutionChange[]): JobCountDelta[] {
  const byJob = new Map<string, { job: JobRef; deltas: ExecutionCounts; eventIds: string[] }>();
  for (const change of changes) {
    if (change.from === change.to) continue;
    const key = `${change.jobId}\n${change.jobIncarnation}`;
    const entry = byJob.get(key) ?? { job: { jobId: change.jobId, incarnation: change.jobIncarnation }, deltas: {}, eventIds: [] };
    if (change.from) entry.deltas[change.from] = (entry.deltas[change.from] ?? 0) - 1;
    if (change.to) entry.deltas[change.to] = (entry.deltas[change.to] ?? 0) + 1;
    entry.eventIds.push(change.eventId);
    byJob.set(key, entry);
  }
  return [...byJob.values()].map(({ job, deltas, eventIds }) => ({
    jobId: job.jobId,
    jobIncarnation: job.incarnation,
    deltas: Object.fromEntries(Object.entries(deltas).filter(([, n]) => n !== 0)) as ExecutionCounts,
    batchToken: createHash('sha256').update(eventIds.sort().join('\n')).digest('base64url'),
  }));
}

export const pendingIn = (counts: ExecutionCounts | undefined): number =>
  Object.entries(counts ?? {}).reduce((sum, [status, n]) => sum + (isPending(status as ExecutionStatus) ? (n ?? 0) : 0), 0);

/** A job whose fan-out is done, that has executions, and none of them pending. */
export function isComplete(job: JobRecord): boolean {
  const total = Object.values(job.executionCounts ?? {}).reduce((sum, n) => sum + (n ?? 0), 0);
  return job.status === 'IN_PROGRESS' && job.executionsCreated && total > 0 && pendingIn(job.executionCounts) === 0;
}

/**
 * Applies one stream batch: the execution changes it holds, and the jobs whose
 * fan-out it saw finish (their last execution may have finished first).
 */
export async function aggregateExecutionChanges(
  store: JobCountsStore,
  batch: { changes: readonly ExecutionChange[]; fanOutsFinished: readonly JobRef[] },
  clock: Clock,
): Promise<void> {
  const deltas = tallyChanges(batch.changes).filter((d) => Object.keys(d.deltas).length > 0);
  const counted = await Promise.all(deltas.map((delta) => store.applyDelta(delta)));
  const finished = await Promise.all(
    batch.fanOutsFinished
      .filter((ref) => !deltas.some((d) => d.jobId === ref.jobId && d.jobIncarnation === ref.incarnation))
      .map(async (ref) => {
        const job = await store.getJob(ref.jobId);
        return job?.incarnation === ref.incarnation ? job : undefined;
      }),
  );
  await Promise.all(
    [...counted, ...finished]
      .filter((job): job is JobRecord => job !== undefined && isComplete(job))
      .map((job) => store.completeJob({ jobId: job.jobId, incarnation: job.incarnation }, clock())),
  );
}
