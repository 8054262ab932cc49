import type { ExecutionCounts } from '../counts/job-counts';
import type { JobRecord } from '../management/job';
import { toJobProcessDetails } from '../management/views';
import { toFractionalSeconds } from '../shared/clock';
import { ResourceNotFoundException } from '../shared/errors';
import type { Page, PageQuery } from '../shared/ports';

/**
 * A job's counts over time: after each stream batch moves a job's counts, the
 * counts as they then stand, one point per job and second (a later revision
 * of the same second replaces an earlier one). What a progress chart draws,
 * without reading every execution's history.
 */
export interface CountsPoint {
  jobId: string;
  jobIncarnation: string;
  /** When the counts were written (ms). */
  at: number;
  /** The counts' revision then: of two points of one second, the later revision stands. */
  countsRevision: number;
  counts: ExecutionCounts;
}

export interface CountsHistoryStore {
  /** Writes each point, unless a point of the same second with a later revision is there. */
  recordPoints(points: readonly CountsPoint[]): Promise<void>;
  /** One job incarnation's points, newest first. */
  listPoints(jobId: string, jobIncarnation: string, page: PageQuery): Promise<Page<CountsPoint>>;
}

/** The point a job's counts make now; none for a job whose counts were never written. */
export function countsPointOf(job: JobRecord): CountsPoint | undefined {
  if (job.countsRevision === undefined || job.countsUpdatedAt === undefined) return undefined;
  return {
    jobId: job.jobId,
    jobIncarnation: job.incarnation,
    at: job.countsUpdatedAt,
    countsRevision: job.countsRevision,
    counts: job.executionCounts ?? {},
  };
}

/**
 * A point on the wire: its time in epoch seconds with fractions, its counts named as DescribeJob's jobProcessDetails
 * names them.
 */
export const toCountsPointView = (point: CountsPoint) => ({
  at: toFractionalSeconds(point.at),
  ...toJobProcessDetails({ executionCounts: point.counts }, undefined),
});

export interface ListCountsHistoryInput extends PageQuery {
  jobId: string;
}

export class JobCountsHistory {
  constructor(
    private readonly store: CountsHistoryStore | undefined,
    private readonly getJob: (jobId: string) => Promise<JobRecord | undefined>,
  ) {}

  /** The points of the jobs a batch counted; safe to give again (the same revision writes the same point). */
  async record(jobs: readonly JobRecord[]): Promise<void> {
    if (!this.store) return;
    const points = jobs.map(countsPointOf).filter((point): point is CountsPoint => point !== undefined);
    if (points.length) await this.store.recordPoints(points);
  }

  /** The job's current incarnation's points, newest first (an earlier job of the same jobId is not this one). */
  async list(input: ListCountsHistoryInput) {
    const job = await this.getJob(input.jobId);
    if (!job) throw new ResourceNotFoundException(`Job ${input.jobId} does not exist`);
    if (!this.store) return { points: [] };
    const page = await this.store.listPoints(job.jobId, job.incarnation, input);
    return { points: page.items.map(toCountsPointView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }
}
