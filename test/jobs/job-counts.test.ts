import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../lambdas/jobs/management/job';
import { aggregateExecutionChanges, isComplete, tallyChanges, type ExecutionChange, type JobCountDelta, type JobCountsStore } from '../../lambdas/jobs/counts/job-counts';

const change = (eventId: string, jobId: string, from?: ExecutionChange['from'], to?: ExecutionChange['to'], jobIncarnation = 'i'): ExecutionChange => ({
  eventId,
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

describe('tallyChanges', () => {
  it('keeps the incarnations of one jobId apart', () => {
    const deltas = tallyChanges([change('1', 'a', 'QUEUED', undefined, 'old'), change('2', 'a', undefined, 'QUEUED', 'new')]);
    expect(deltas.map(({ jobIncarnation, deltas }) => ({ jobIncarnation, deltas }))).toEqual([
      { jobIncarnation: 'old', deltas: { QUEUED: -1 } },
      { jobIncarnation: 'new', deltas: { QUEUED: 1 } },
    ]);
  });

  it('turns changes into one delta per job: created, moved, deleted', () => {
    const deltas = tallyChanges([
      change('1', 'a', undefined, 'QUEUED'),
      change('2', 'a', undefined, 'QUEUED'),
      change('3', 'a', 'QUEUED', 'IN_PROGRESS'),
      change('4', 'a', 'IN_PROGRESS', 'SUCCEEDED'),
      change('5', 'b', 'CANCELED', undefined),
      change('6', 'b', 'QUEUED', 'QUEUED'), // statusDetails only: no count moves
    ]);
    expect(deltas.map(({ jobId, deltas }) => ({ jobId, deltas }))).toEqual([
      { jobId: 'a', deltas: { QUEUED: 1, SUCCEEDED: 1 } },
      { jobId: 'b', deltas: { CANCELED: -1 } },
    ]);
  });

  it('names a batch by its records, whatever their order, and only by them', () => {
    const [one] = tallyChanges([change('x', 'a', undefined, 'QUEUED'), change('y', 'a', 'QUEUED', 'FAILED')]);
    const [same] = tallyChanges([change('y', 'a', 'QUEUED', 'FAILED'), change('x', 'a', undefined, 'QUEUED')]);
    const [other] = tallyChanges([change('x', 'a', undefined, 'QUEUED'), change('z', 'a', 'QUEUED', 'FAILED')]);
    expect(one!.batchToken).toBe(same!.batchToken);
    expect(one!.batchToken).not.toBe(other!.batchToken);
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
  /** An in-memory JobCountsStore: the domain's policy, without DynamoDB. */
  function memoryStore(jobs: JobRecord[]) {
    const byId = new Map(jobs.map((j) => [j.jobId, { ...j, executionCounts: { ...j.executionCounts } }]));
    const seen = new Set<string>();
    const completed: string[] = [];
    const store: JobCountsStore = {
      applyDelta: async ({ jobId, jobIncarnation, deltas, batchToken }: JobCountDelta) => {
        const record = byId.get(jobId);
        if (!record || record.incarnation !== jobIncarnation) return undefined;
        if (!seen.has(batchToken)) {
          seen.add(batchToken);
          for (const [status, n] of Object.entries(deltas)) record.executionCounts[status as 'QUEUED'] = (record.executionCounts[status as 'QUEUED'] ?? 0) + n!;
        }
        return { ...record };
      },
      getJob: async (jobId) => byId.get(jobId),
      completeJob: async ({ jobId }) => void completed.push(jobId),
    };
    return { store, byId, completed };
  }
  const clock = () => 1000;

  it('completes a job when its last execution finishes', async () => {
    const { store, completed } = memoryStore([job({ executionCounts: { IN_PROGRESS: 1, SUCCEEDED: 2 } })]);
    await aggregateExecutionChanges(store, { changes: [change('e1', 'j1', 'IN_PROGRESS', 'SUCCEEDED')], fanOutsFinished: [] }, clock);
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

  it('completes a job whose executions all finished before its fan-out was marked done', async () => {
    const { store, completed } = memoryStore([job({ executionCounts: { SUCCEEDED: 2 } })]);
    await aggregateExecutionChanges(store, { changes: [], fanOutsFinished: [{ jobId: 'j1', incarnation: 'i' }] }, clock);
    expect(completed).toEqual(['j1']);
  });

  it('counts a change only on the job it belongs to, not on a later job of the same jobId', async () => {
    const { store, byId, completed } = memoryStore([job({ incarnation: 'new', executionCounts: { QUEUED: 1 } })]);
    await aggregateExecutionChanges(
      store,
      { changes: [change('e1', 'j1', 'QUEUED', undefined, 'old'), change('e2', 'j1', 'SUCCEEDED', undefined, 'old')], fanOutsFinished: [{ jobId: 'j1', incarnation: 'old' }] },
      clock,
    );
    expect(byId.get('j1')!.executionCounts).toEqual({ QUEUED: 1 });
    expect(completed).toEqual([]);
  });

  it('leaves a job with work pending alone, and ignores deleted jobs', async () => {
    const { store, completed } = memoryStore([job({ executionCounts: { QUEUED: 2 } })]);
    await aggregateExecutionChanges(store, { changes: [change('e1', 'j1', 'QUEUED', 'SUCCEEDED'), change('e2', 'gone', 'QUEUED', undefined)], fanOutsFinished: [] }, clock);
    expect(completed).toEqual([]);
  });
});
