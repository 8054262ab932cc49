import { describe, expect, it } from 'vitest';
import {
  type CountsHistoryStore,
  type CountsPoint,
  countsPointOf,
  JobCountsHistory,
  toCountsPointView,
} from '../../lambdas/jobs/history/counts-history';
import type { JobRecord } from '../../lambdas/jobs/management/job';
import type { PageQuery } from '../../lambdas/jobs/shared/ports';

const job = (over: Partial<JobRecord> = {}) =>
  ({
    jobId: 'j1',
    incarnation: 'i2',
    status: 'IN_PROGRESS',
    countsRevision: 4,
    countsUpdatedAt: 1_700_000_000_250,
    executionCounts: { QUEUED: 2, FAILED: 1 },
    ...over,
  }) as JobRecord;

class MemoryPoints implements CountsHistoryStore {
  readonly written: CountsPoint[] = [];
  asked?: { jobId: string; jobIncarnation: string; page: PageQuery };
  recordPoints(points: readonly CountsPoint[]) {
    this.written.push(...points);
    return Promise.resolve();
  }
  listPoints(jobId: string, jobIncarnation: string, page: PageQuery) {
    this.asked = { jobId, jobIncarnation, page };
    return Promise.resolve({ items: this.written, nextToken: 'more' });
  }
}

describe("a job's counts over time", () => {
  it('a point is the counts as written, with their revision and time; a job never counted makes none', () => {
    expect(countsPointOf(job())).toEqual({
      jobId: 'j1',
      jobIncarnation: 'i2',
      at: 1_700_000_000_250,
      countsRevision: 4,
      counts: { QUEUED: 2, FAILED: 1 },
    });
    expect(countsPointOf(job({ countsRevision: undefined, countsUpdatedAt: undefined }))).toBeUndefined();
  });

  it("a point on the wire: seconds with fractions, and every count named as DescribeJob's jobProcessDetails", () => {
    expect(toCountsPointView(countsPointOf(job())!)).toEqual({
      at: 1_700_000_000.25,
      numberOfQueuedThings: 2,
      numberOfFailedThings: 1,
      numberOfInProgressThings: 0,
      numberOfSucceededThings: 0,
      numberOfRejectedThings: 0,
      numberOfCanceledThings: 0,
      numberOfRemovedThings: 0,
      numberOfTimedOutThings: 0,
    });
  });

  it("records the jobs a batch counted, and lists only the current incarnation's points", async () => {
    const store = new MemoryPoints();
    const history = new JobCountsHistory(store, async () => job());
    await history.record([job(), job({ jobId: 'never', countsRevision: undefined })]);
    expect(store.written.map((p) => p.jobId)).toEqual(['j1']);
    const page = await history.list({ jobId: 'j1', maxResults: 10 });
    expect(store.asked).toEqual({ jobId: 'j1', jobIncarnation: 'i2', page: { jobId: 'j1', maxResults: 10 } });
    expect(page.nextToken).toBe('more');
  });

  it('a job that does not exist: ResourceNotFoundException; a deployment keeping no history: no points', async () => {
    await expect(
      new JobCountsHistory(new MemoryPoints(), async () => undefined).list({ jobId: 'gone', maxResults: 10 }),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const none = new JobCountsHistory(undefined, async () => job());
    await none.record([job()]);
    expect(await none.list({ jobId: 'j1', maxResults: 10 })).toEqual({ points: [] });
  });
});
