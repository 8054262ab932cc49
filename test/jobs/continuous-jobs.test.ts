import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ExecutionStatus, JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import {
  type ContinuousJobsStore,
  continuousAction,
  isTargeted,
  joinedExecution,
  reactToMembershipChanges,
} from '../../lambdas/jobs/fleet/continuous-jobs';
import type { JobRecord, JobStatus } from '../../lambdas/jobs/management/job';
import { readMembershipChanges } from '../../lambdas/store/stream-changes';
import { executionRecord } from '../support/seed';

const NOW = 1_700_000_000_000;
const group = (name: string) => `arn:aws:iot:us-east-1:123456789012:thinggroup/${name}`;
const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  jobId: 'j1',
  incarnation: 'i1',
  jobArn: 'arn:aws:iot:us-east-1:123456789012:job/j1',
  status: 'IN_PROGRESS',
  targetSelection: 'CONTINUOUS',
  document: '{}',
  targets: [group('fleet'), 'arn:aws:iot:us-east-1:123456789012:thing/named'],
  createdAt: NOW,
  lastUpdatedAt: NOW,
  executionsCreated: true,
  ...over,
});
const execution = (status: ExecutionStatus, incarnation = 'i1'): JobExecutionRecord => ({
  ...executionRecord('t1', 'j1', { status }),
  jobIncarnation: incarnation,
});

describe('what a continuous job does for one thing', () => {
  it.each<[string, JobStatus, JobExecutionRecord | undefined, boolean, string]>([
    ['a thing that joined, with no execution', 'IN_PROGRESS', undefined, true, 'create'],
    [
      'a thing that joined, with an execution of an earlier job of that jobId',
      'IN_PROGRESS',
      execution('SUCCEEDED', 'i0'),
      true,
      'create',
    ],
    ['a thing that came back after its execution was REMOVED', 'IN_PROGRESS', execution('REMOVED'), true, 'requeue'],
    ['a thing that came back having run the job', 'IN_PROGRESS', execution('SUCCEEDED'), true, 'none'],
    ['a member that has its execution', 'IN_PROGRESS', execution('QUEUED'), true, 'none'],
    ['a thing that left while QUEUED', 'IN_PROGRESS', execution('QUEUED'), false, 'remove'],
    ['a thing that left while IN_PROGRESS (it finishes)', 'IN_PROGRESS', execution('IN_PROGRESS'), false, 'none'],
    ['a thing that left after it failed', 'IN_PROGRESS', execution('FAILED'), false, 'none'],
    ['a thing that left, with no execution', 'IN_PROGRESS', undefined, false, 'none'],
    ['a thing that joined a canceled job', 'CANCELED', undefined, true, 'none'],
    ['a thing that left a job being deleted', 'DELETION_IN_PROGRESS', execution('QUEUED'), false, 'none'],
  ])('%s (the job %s)', (_what, status, current, targeted, action) => {
    expect(continuousAction(job({ status }), current, targeted)).toBe(action);
  });

  it('does nothing for a snapshot job', () => {
    expect(continuousAction(job({ targetSelection: 'SNAPSHOT' }), undefined, true)).toBe('none');
  });

  it.each<[string, string, string[][], boolean]>([
    ['in a target group', 't1', [['fleet']], true],
    ['in a group below a target group', 't1', [['fleet', 'europe', 'berlin']], true],
    ['in another tree only', 't1', [['canary']], false],
    ['in no group, but named by the job', 'named', [], true],
    ['in no group', 't1', [], false],
  ])('a thing %s (%s) is targeted or not', (_what, thingName, paths, targeted) => {
    expect(isTargeted(job(), thingName, paths)).toBe(targeted);
  });

  it('queues a joiner now, as the next execution number after a REMOVED one', () => {
    expect(joinedExecution(job(), 't1', NOW + 5, undefined)).toMatchObject({
      status: 'QUEUED',
      queuedAt: NOW + 5,
      executionNumber: 1,
      versionNumber: 1,
      jobIncarnation: 'i1',
    });
    expect(joinedExecution(job(), 't1', NOW + 5, { ...execution('REMOVED'), executionNumber: 3 })).toMatchObject({
      executionNumber: 4,
    });
  });
});

describe('the membership reactor', () => {
  const store = (over: Partial<ContinuousJobsStore> = {}) => {
    const calls: string[] = [];
    const fake: ContinuousJobsStore = {
      jobsTargeting: async (g) =>
        g === 'fleet'
          ? [
              { jobId: 'j1', incarnation: 'i1' },
              { jobId: 'stale', incarnation: 'old' },
            ]
          : [],
      getJob: async (jobId) => (jobId === 'j1' ? job() : job({ jobId: 'stale', incarnation: 'new' })),
      groupPathOf: async (g) => ['fleet', g],
      groupPathsOf: async () => [['fleet', 'europe']],
      getExecution: async () => undefined,
      addExecution: (j, e) => {
        calls.push(`add ${e.thingName} ${j.jobId}`);
        return Promise.resolve(true);
      },
      removeQueued: (j, t) => {
        calls.push(`remove ${t} ${j.jobId}`);
        return Promise.resolve(true);
      },
      ...over,
    };
    return { fake, calls };
  };

  it('reconciles each thing once per batch with the jobs of its groups and their ancestors, passing over listings of another incarnation', async () => {
    const { fake, calls } = store();
    const changes = [
      { thingName: 't1', groupName: 'europe', groupPath: ['fleet', 'europe'], change: 'left' as const },
      { thingName: 't1', groupName: 'europe', groupPath: ['fleet', 'europe'], change: 'joined' as const },
    ];
    await reactToMembershipChanges(fake, changes, () => NOW);
    expect(calls).toEqual(['add t1 j1']);
  });

  it('reads the path of a membership that does not carry one', async () => {
    const { fake, calls } = store({ groupPathsOf: async () => [] });
    await reactToMembershipChanges(fake, [{ thingName: 't1', groupName: 'europe', change: 'left' }], () => NOW);
    // No memberships now and not named: nothing to remove, since it has no execution.
    expect(calls).toEqual([]);
    const withQueued = store({ groupPathsOf: async () => [], getExecution: async () => execution('QUEUED') });
    await reactToMembershipChanges(
      withQueued.fake,
      [{ thingName: 't1', groupName: 'europe', change: 'left' }],
      () => NOW,
    );
    expect(withQueued.calls).toEqual(['remove t1 j1']);
  });
});

describe('membership changes read off the stream', () => {
  const membership = () =>
    marshall({
      pk: 'THING#t1',
      sk: 'TREE#fleet',
      thingName: 't1',
      thingGroupName: 'europe',
      groupPath: ['fleet', 'europe'],
      addedAt: NOW,
    });

  it('reads a written membership as joined, a deleted one as left, and passes over every other item', () => {
    const changes = readMembershipChanges([
      { eventID: '1', dynamodb: { NewImage: membership() } },
      { eventID: '2', dynamodb: { OldImage: membership() } },
      { eventID: '3', dynamodb: { NewImage: marshall({ pk: 'THING#t1', sk: 'JOB#j1', status: 'QUEUED' }) } },
      { eventID: '4', dynamodb: { NewImage: marshall({ pk: 'JOB#j1', sk: 'JOB', thingGroupName: 'x' }) } },
    ]);
    expect(changes).toEqual([
      { thingName: 't1', groupName: 'europe', groupPath: ['fleet', 'europe'], change: 'joined' },
      { thingName: 't1', groupName: 'europe', groupPath: ['fleet', 'europe'], change: 'left' },
    ]);
  });

  it('leaves the path out of a membership written before memberships carried it', () => {
    const [change] = readMembershipChanges([
      {
        eventID: '1',
        dynamodb: {
          OldImage: marshall({ pk: 'THING#t1', sk: 'TREE#fleet', thingName: 't1', thingGroupName: 'europe' }),
        },
      },
    ]);
    expect(change).toEqual({ thingName: 't1', groupName: 'europe', change: 'left' });
  });
});
