import { describe, expect, it } from 'vitest';
import type { ExecutionStatus, JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import { type ContinuousExecutions, reconcileExecution } from '../../lambdas/jobs/fleet/continuous-jobs';
import { newJobWork, nextWindow } from '../../lambdas/jobs/fleet/fan-out';
import type { JobRecord } from '../../lambdas/jobs/management/job';
import type { FanOutRegistry } from '../../lambdas/jobs/work/job-work-store';
import { executionRecord } from '../support/seed';

/**
 * A continuous job's fan-out over things that have an execution of the job already (a group AssociateTargetsWithJob
 * added): the window tells them apart, and each follows the membership reactor's rule.
 */
const NOW = 1_700_000_000_000;
const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  jobId: 'j1',
  incarnation: 'i1',
  jobArn: 'arn:aws:iot:us-east-1:123456789012:job/j1',
  status: 'IN_PROGRESS',
  targetSelection: 'CONTINUOUS',
  document: '{}',
  targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/annex'],
  createdAt: NOW,
  lastUpdatedAt: NOW,
  executionsCreated: true,
  ...over,
});
const annex = { kind: 'group' as const, targetArn: job().targets[0]!, groupName: 'annex' };
/** A registry whose `annex` lists these members, `limit` at a time. */
const registry = (members: string[]): FanOutRegistry => ({
  missingThings: async () => [],
  markedDeleted: async () => [],
  membershipPaths: async () => new Map(),
  memberPage: (_group, _asOf, limit, after) => {
    const from = (after?.index as number | undefined) ?? 0;
    const things = members.slice(from, from + limit);
    return Promise.resolve({ things, ...(from + limit < members.length ? { after: { index: from + limit } } : {}) });
  },
});

describe("a fan-out's window", () => {
  const members = ['a', 'old-1', 'b', 'old-2', 'c'];
  const seen = new Set(['old-1', 'old-2']);

  it("of a continuous job tells the things on an earlier page apart, and counts them towards the window's size", async () => {
    const work = newJobWork(job(), [{ kind: 'things' }, annex], true);
    const first = await nextWindow(work, job(), seen, 3, registry(members));
    expect(first).toMatchObject({ things: ['a', 'b'], again: ['old-1'] });
    const rest = await nextWindow({ ...work, cursor: first.cursor }, job(), seen, 3, registry(members));
    expect(rest).toMatchObject({ things: ['c'], again: ['old-2'] });
  });

  it('of a snapshot job passes over them, as before', async () => {
    const snapshot = job({ targetSelection: 'SNAPSHOT' });
    const work = newJobWork(snapshot, [{ kind: 'things' }, annex], true);
    expect(await nextWindow(work, snapshot, seen, 3, registry(members))).toMatchObject({
      things: ['a', 'b', 'c'],
      again: [],
    });
  });
});

describe('a targeted thing with an execution of the continuous job already', () => {
  const executions = (current: JobExecutionRecord | undefined) => {
    const calls: string[] = [];
    const store: ContinuousExecutions = {
      getExecution: async () => current,
      addExecution: (_job, execution, replacing) => {
        calls.push(`${execution.status} #${execution.executionNumber} over ${replacing?.status ?? 'nothing'}`);
        return Promise.resolve(true);
      },
      removeQueued: () => {
        calls.push('remove');
        return Promise.resolve(true);
      },
    };
    return { store, calls };
  };
  const execution = (status: ExecutionStatus, incarnation = 'i1'): JobExecutionRecord => ({
    ...executionRecord('t1', 'j1', { status }),
    jobIncarnation: incarnation,
  });

  it('is queued again as the next executionNumber when its execution was REMOVED', async () => {
    const { store, calls } = executions(execution('REMOVED'));
    expect(await reconcileExecution(store, job(), 't1', true, () => NOW)).toEqual({
      thingName: 't1',
      jobId: 'j1',
      action: 'requeue',
      applied: true,
    });
    expect(calls).toEqual(['QUEUED #2 over REMOVED']);
  });

  it.each<ExecutionStatus>(['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED', 'CANCELED'])(
    'keeps an execution %s as it is (no second execution)',
    async (status) => {
      const { store, calls } = executions(execution(status));
      expect(await reconcileExecution(store, job(), 't1', true, () => NOW)).toBeUndefined();
      expect(calls).toEqual([]);
    },
  );

  it('does nothing once the job is canceled', async () => {
    const { store, calls } = executions(execution('REMOVED'));
    expect(await reconcileExecution(store, job({ status: 'CANCELED' }), 't1', true, () => NOW)).toBeUndefined();
    expect(calls).toEqual([]);
  });
});
