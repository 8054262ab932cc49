import { describe, expect, it } from 'vitest';
import {
  aggregateExecutionChanges,
  deltaOf,
  type ExecutionChange,
  groupByJob,
  isComplete,
  type JobCountsStore,
} from '../../lambdas/jobs/counts/job-counts';
import type { JobRecord } from '../../lambdas/jobs/management/job';

const change = (
  changeId: string,
  jobId: string,
  from?: ExecutionChange['from'],
  to?: ExecutionChange['to'],
  jobIncarnation = 'i',
): ExecutionChange => ({
  changeId,
  jobId,
  jobIncarnation,
  ...(from ? { from } : {}),
  ...(to ? { to } : {}),
});

const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  jobId: 'j1',
  incarnation: 'i',
  jobArn: 'arn',
  status: 'IN_PROGRESS',
  document: '{}',
  targets: [],
  createdAt: 0,
  lastUpdatedAt: 0,
  executionsCreated: true,
  ...over,
});

describe('groupByJob and deltaOf', () => {
  it('keeps the incarnations of one jobId apart', () => {
    const groups = groupByJob([
      change('1', 'a', 'QUEUED', undefined, 'old'),
      change('2', 'a', undefined, 'QUEUED', 'new'),
    ]);
    expect(groups.map(({ job, changes }) => ({ incarnation: job.incarnation, deltas: deltaOf(changes) }))).toEqual([
      { incarnation: 'old', deltas: { QUEUED: -1 } },
      { incarnation: 'new', deltas: { QUEUED: 1 } },
    ]);
  });

  it('turns changes into one delta per job: created, moved, deleted; a status-details-only change moves nothing', () => {
    const groups = groupByJob([
      change('1', 'a', undefined, 'QUEUED'),
      change('2', 'a', undefined, 'QUEUED'),
      change('3', 'a', 'QUEUED', 'IN_PROGRESS'),
      change('4', 'a', 'IN_PROGRESS', 'SUCCEEDED'),
      change('5', 'b', 'CANCELED', undefined),
      change('6', 'b', 'QUEUED', 'QUEUED'),
    ]);
    expect(
      groups.map(({ job, changes }) => ({
        jobId: job.jobId,
        ids: changes.map((c) => c.changeId),
        deltas: deltaOf(changes),
      })),
    ).toEqual([
      { jobId: 'a', ids: ['1', '2', '3', '4'], deltas: { QUEUED: 1, SUCCEEDED: 1 } },
      { jobId: 'b', ids: ['5'], deltas: { CANCELED: -1 } },
    ]);
  });
});

describe('failures about to be retried', () => {
  const retried = (
    changeId: string,
    from: ExecutionChange['from'],
    to: ExecutionChange['to'],
    flags: Partial<ExecutionChange>,
  ): ExecutionChange => ({ ...change(changeId, 'a', from, to), ...flags });

  it('are counted in their status and again as retrying, until the next attempt replaces them', () => {
    const [failedDelta] = groupByJob([retried('1', 'IN_PROGRESS', 'FAILED', { toRetrying: true })]).map(({ changes }) =>
      deltaOf(changes),
    );
    expect(failedDelta).toEqual({ IN_PROGRESS: -1, FAILED: 1, RETRYING_FAILED: 1 });
    const [requeuedDelta] = groupByJob([retried('2', 'FAILED', 'QUEUED', { fromRetrying: true })]).map(({ changes }) =>
      deltaOf(changes),
    );
    expect(requeuedDelta).toEqual({ FAILED: -1, RETRYING_FAILED: -1, QUEUED: 1 });
  });

  it('keep a job from completing, and from being counted by an abort', () => {
    expect(isComplete(job({ executionCounts: { SUCCEEDED: 3, FAILED: 1, RETRYING_FAILED: 1 } }))).toBe(false);
    expect(isComplete(job({ executionCounts: { SUCCEEDED: 3, FAILED: 1, RETRYING_FAILED: 0 } }))).toBe(true);
  });
});

describe('isComplete', () => {
  it.each<[string, Partial<JobRecord>, boolean]>([
    ['all terminal', { executionCounts: { SUCCEEDED: 3, FAILED: 1 } }, true],
    ['one still QUEUED', { executionCounts: { SUCCEEDED: 3, QUEUED: 1 } }, false],
    ['one IN_PROGRESS', { executionCounts: { IN_PROGRESS: 1 } }, false],
    ['fan-out not finished', { executionsCreated: false, executionCounts: { SUCCEEDED: 3 } }, false],
    ['no executions counted yet', { executionCounts: {} }, false],
    ['CANCELED stays CANCELED', { status: 'CANCELED', executionCounts: { CANCELED: 2 } }, false],
    ['zero pending after moves', { executionCounts: { QUEUED: 0, IN_PROGRESS: 0, TIMED_OUT: 2 } }, true],
  ])('%s: %s', (_name, over, expected) => {
    expect(isComplete(job(over))).toBe(expected);
  });
});

describe('aggregateExecutionChanges', () => {
  /**
   * An in-memory JobCountsStore: the domain's policy, without DynamoDB; like the real one, it remembers each change it
   * counted.
   */
  function memoryStore(jobs: JobRecord[]) {
    const byId = new Map(jobs.map((j) => [j.jobId, { ...j, executionCounts: { ...j.executionCounts } }]));
    const counted = new Set<string>();
    const completed: string[] = [];
    const store: JobCountsStore = {
      countChanges: ({ jobId, incarnation }, changes) => {
        const record = byId.get(jobId);
        if (!record || record.incarnation !== incarnation) return Promise.resolve(undefined);
        const fresh = changes.filter((c) => !counted.has(c.changeId));
        for (const c of fresh) counted.add(c.changeId);
        for (const [status, n] of Object.entries(deltaOf(fresh)))
          record.executionCounts[status as 'QUEUED'] = (record.executionCounts[status as 'QUEUED'] ?? 0) + (n ?? 0);
        return Promise.resolve({ ...record });
      },
      getJob: async (jobId) => byId.get(jobId),
      completeJob: async ({ jobId }) => void completed.push(jobId),
    };
    return { store, byId, completed };
  }
  const clock = () => 1000;

  it('completes a job when its last execution finishes', async () => {
    const { store, completed } = memoryStore([job({ executionCounts: { IN_PROGRESS: 1, SUCCEEDED: 2 } })]);
    await aggregateExecutionChanges(
      store,
      { changes: [change('e1', 'j1', 'IN_PROGRESS', 'SUCCEEDED')], fanOutsFinished: [] },
      clock,
    );
    expect(completed).toEqual(['j1']);
  });

  it('counts a redelivered batch once, yet still completes the job if the first delivery did not get that far', async () => {
    const { store, byId, completed } = memoryStore([job({ executionCounts: { IN_PROGRESS: 1 } })]);
    const batch = { changes: [change('e1', 'j1', 'IN_PROGRESS', 'FAILED')], fanOutsFinished: [] };
    await aggregateExecutionChanges(store, batch, clock);
    await aggregateExecutionChanges(store, batch, clock);
    expect(byId.get('j1')!.executionCounts).toEqual({ IN_PROGRESS: 0, FAILED: 1 });
    expect(completed).toEqual(['j1', 'j1']);
  });

  it('counts each change once when a batch comes back split in halves after it was partly counted (Lambda bisecting a failed batch)', async () => {
    const { store, byId } = memoryStore([
      job({ jobId: 'j1', executionCounts: { QUEUED: 4 } }),
      job({ jobId: 'j2', executionCounts: { QUEUED: 1 } }),
    ]);
    const changes = [
      change('e1', 'j1', 'QUEUED', 'SUCCEEDED'),
      change('e2', 'j2', 'QUEUED', 'FAILED'),
      change('e3', 'j1', 'QUEUED', 'SUCCEEDED'),
      change('e4', 'j1', 'QUEUED', 'SUCCEEDED'),
    ];
    // The whole batch: j1 counted, then j2 failed (say), so Lambda splits it.
    await store.countChanges({ jobId: 'j1', incarnation: 'i' }, [changes[0]!, changes[2]!, changes[3]!]);
    await aggregateExecutionChanges(store, { changes: changes.slice(0, 2), fanOutsFinished: [] }, clock);
    await aggregateExecutionChanges(store, { changes: changes.slice(2), fanOutsFinished: [] }, clock);
    expect(byId.get('j1')!.executionCounts).toEqual({ QUEUED: 1, SUCCEEDED: 3 });
    expect(byId.get('j2')!.executionCounts).toEqual({ QUEUED: 0, FAILED: 1 });
  });

  it('completes a job whose executions all finished before its fan-out was marked done', async () => {
    const { store, completed } = memoryStore([job({ executionCounts: { SUCCEEDED: 2 } })]);
    await aggregateExecutionChanges(
      store,
      { changes: [], fanOutsFinished: [{ jobId: 'j1', incarnation: 'i' }] },
      clock,
    );
    expect(completed).toEqual(['j1']);
  });

  it('counts a change only on the job it belongs to, not on a later job of the same jobId', async () => {
    const { store, byId, completed } = memoryStore([job({ incarnation: 'new', executionCounts: { QUEUED: 1 } })]);
    await aggregateExecutionChanges(
      store,
      {
        changes: [change('e1', 'j1', 'QUEUED', undefined, 'old'), change('e2', 'j1', 'SUCCEEDED', undefined, 'old')],
        fanOutsFinished: [{ jobId: 'j1', incarnation: 'old' }],
      },
      clock,
    );
    expect(byId.get('j1')!.executionCounts).toEqual({ QUEUED: 1 });
    expect(completed).toEqual([]);
  });

  it('leaves a job with work pending alone, and ignores deleted jobs', async () => {
    const { store, completed } = memoryStore([job({ executionCounts: { QUEUED: 2 } })]);
    await aggregateExecutionChanges(
      store,
      {
        changes: [change('e1', 'j1', 'QUEUED', 'SUCCEEDED'), change('e2', 'gone', 'QUEUED', undefined)],
        fanOutsFinished: [],
      },
      clock,
    );
    expect(completed).toEqual([]);
  });

  describe('with an abort criterion', () => {
    const abortConfig = {
      criteriaList: [
        {
          failureType: 'FAILED' as const,
          action: 'CANCEL' as const,
          thresholdPercentage: 50,
          minNumberOfExecutedThings: 2,
        },
      ],
    };
    /** An aborter that cancels the job in the memory store, as the job store's cancel would: only while IN_PROGRESS. */
    const aborter = (byId: Map<string, JobRecord>) => {
      const calls: { jobId: string; reasonCode: string }[] = [];
      const abort = ({ jobId }: { jobId: string }, reason: { reasonCode: string }) => {
        calls.push({ jobId, reasonCode: reason.reasonCode });
        const record = byId.get(jobId)!;
        if (record.status !== 'IN_PROGRESS') return Promise.resolve(false);
        record.status = 'CANCELED';
        return Promise.resolve(true);
      };
      return { abort, calls };
    };

    it('cancels the job the counts trip, and does not complete it', async () => {
      const { store, byId, completed } = memoryStore([
        job({ abortConfig, executionCounts: { IN_PROGRESS: 1, FAILED: 1 } }),
      ]);
      const { abort, calls } = aborter(byId);
      await aggregateExecutionChanges(
        store,
        { changes: [change('e1', 'j1', 'IN_PROGRESS', 'SUCCEEDED')], fanOutsFinished: [] },
        clock,
        abort,
      );
      expect(calls).toEqual([{ jobId: 'j1', reasonCode: 'ABORTED_FAILED' }]);
      expect(byId.get('j1')!.status).toBe('CANCELED');
      expect(completed).toEqual([]);
    });

    it('does not abort before the criterion is met, nor a job canceled already (a redelivered batch)', async () => {
      const { store, byId } = memoryStore([
        job({ abortConfig, executionCounts: { IN_PROGRESS: 2 } }),
        job({ jobId: 'j2', status: 'CANCELED', abortConfig, executionCounts: { FAILED: 5 } }),
      ]);
      const { abort, calls } = aborter(byId);
      await aggregateExecutionChanges(
        store,
        {
          changes: [change('e1', 'j1', 'IN_PROGRESS', 'FAILED'), change('e2', 'j2', 'FAILED', 'FAILED')],
          fanOutsFinished: [],
        },
        clock,
        abort,
      );
      expect(calls).toEqual([]);
      await aggregateExecutionChanges(
        store,
        { changes: [change('e3', 'j1', 'IN_PROGRESS', 'SUCCEEDED')], fanOutsFinished: [] },
        clock,
        abort,
      );
      expect(calls).toEqual([{ jobId: 'j1', reasonCode: 'ABORTED_FAILED' }]);
      await aggregateExecutionChanges(
        store,
        { changes: [change('e3', 'j1', 'IN_PROGRESS', 'SUCCEEDED')], fanOutsFinished: [] },
        clock,
        abort,
      );
      expect(calls).toHaveLength(1);
    });
  });
});
