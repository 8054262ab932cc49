import type { JobRecord } from '../management/job';
import type { Clock } from '../shared/clock';
import { ResourceNotFoundException } from '../shared/errors';
import type { JobRef } from '../shared/ports';
import { type ExecutionCounts, isComplete } from './job-counts';

/**
 * The repair for counts that are already wrong (a batch the aggregator gave
 * up on, or a store written by an older version): count a job's executions
 * and write the result. Two things keep it from racing the aggregator:
 *
 * - it writes only once the job has been still for a while (the same counts
 *   revision and the same executions at both ends of a settle window), so
 *   no change of the job is still on its way through the stream, as long as
 *   the stream's lag is shorter than the window;
 * - its write is conditional on the revision it read: if the aggregator
 *   counted anything in between, the write is refused and it starts over.
 */

/** What a job's executions say, read from the executions themselves. */
export interface ExecutionTally {
  counts: ExecutionCounts;
  /**
   * How many executions, and the latest lastUpdatedAt among them: a change anywhere moves one of the two, or the
   * counts.
   */
  executions: number;
  lastChangedAt: number;
}

export interface RecountStore {
  getJob(jobId: string): Promise<JobRecord | undefined>;
  tallyExecutions(job: JobRef): Promise<ExecutionTally>;
  /** The counts set to these, only if the revision is still `seenRevision` and the job still that incarnation. */
  writeCounts(
    job: JobRef,
    counts: ExecutionCounts,
    seenRevision: number | undefined,
  ): Promise<{ outcome: 'written' | 'counts-moved' | 'job-gone'; job?: JobRecord }>;
  completeJob(job: JobRef, now: number): Promise<void>;
}

export interface RecountOptions {
  clock: Clock;
  /** How long the job must stay still before its counts are written; longer than the stream's lag. */
  settleMs: number;
  /** Waits that long (a timer in the CLI). */
  wait: (ms: number) => Promise<void>;
  /** Looks before giving up on a job that keeps changing. */
  attempts?: number;
  /** Told what the recount is waiting for. */
  progress?: (message: string) => void;
}

export interface RecountReport {
  jobId: string;
  before: ExecutionCounts;
  after: ExecutionCounts;
  /** Whether the counts were wrong and are now written. */
  corrected: boolean;
  /** Whether the job became COMPLETED by it (the counts say nothing is pending, and it was waiting for that). */
  completed: boolean;
}

const DEFAULT_ATTEMPTS = 10;

/** Counts with the zeros left out, so `{ QUEUED: 0 }` and `{}` are the same. */
const normalized = (counts: ExecutionCounts | undefined): ExecutionCounts =>
  Object.fromEntries(
    Object.entries(counts ?? {})
      .filter(([, n]) => n)
      .sort(([a], [b]) => a.localeCompare(b)),
  ) as ExecutionCounts;

const sameCounts = (a: ExecutionCounts | undefined, b: ExecutionCounts | undefined) =>
  JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));

const sameTally = (a: ExecutionTally, b: ExecutionTally) =>
  a.executions === b.executions && a.lastChangedAt === b.lastChangedAt && sameCounts(a.counts, b.counts);

async function look(store: RecountStore, jobId: string): Promise<{ job: JobRecord; tally: ExecutionTally }> {
  const job = await store.getJob(jobId);
  if (!job) throw new ResourceNotFoundException(`Job ${jobId} does not exist`);
  return { job, tally: await store.tallyExecutions({ jobId, incarnation: job.incarnation }) };
}

/** Recounts one job from its executions; see above for why it cannot race the aggregator. */
export async function recountJob(store: RecountStore, jobId: string, options: RecountOptions): Promise<RecountReport> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const first = await look(store, jobId);
    if (options.settleMs > 0) await options.wait(options.settleMs);
    const { job, tally } = await look(store, jobId);
    const still =
      job.incarnation === first.job.incarnation &&
      job.countsRevision === first.job.countsRevision &&
      sameTally(tally, first.tally);
    if (!still) {
      options.progress?.(`job ${jobId} changed while it was being counted; looking again (${attempt} of ${attempts})`);
      continue;
    }
    const ref = { jobId, incarnation: job.incarnation };
    const before = normalized(job.executionCounts);
    const after = normalized(tally.counts);
    if (sameCounts(before, after)) {
      // Right already; a completion that never happened (its batch was given up) still may.
      const completed = isComplete(job);
      if (completed) await store.completeJob(ref, options.clock());
      return { jobId, before, after, corrected: false, completed };
    }
    const written = await store.writeCounts(ref, tally.counts, job.countsRevision);
    if (written.outcome === 'job-gone')
      throw new ResourceNotFoundException(`Job ${jobId} was deleted while it was being counted`);
    if (written.outcome === 'counts-moved') {
      options.progress?.(
        `the counts of job ${jobId} moved while it was being counted; looking again (${attempt} of ${attempts})`,
      );
      continue;
    }
    const completed = written.job !== undefined && isComplete(written.job);
    if (completed) await store.completeJob(ref, options.clock());
    return { jobId, before, after, corrected: true, completed };
  }
  throw new Error(`Job ${jobId} kept changing for ${attempts} looks; recount it again when its devices are quiet`);
}
