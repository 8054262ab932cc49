import { describe, expect, it } from 'vitest';
import { newJobWork } from '../../lambdas/jobs/fleet/fan-out';
import type { JobRecord } from '../../lambdas/jobs/management/job';
import { afterRelease, allowanceAt, initialRollout } from '../../lambdas/jobs/rollout/release-rate';
import { nextAttempt } from '../../lambdas/jobs/rollout/retry';
import { addExecutionParams, removeQueuedParams } from '../../lambdas/store/continuous/continuous-job-items';
import { completeJobParams, countChangesParams, writeCountsParams } from '../../lambdas/store/counts';
import {
  cancelParams,
  createIfAbsentParams,
  deleteParams,
  deviceUpdateParams,
  startParams,
  timeOutParams,
} from '../../lambdas/store/execution-writes';
import {
  associateTargetsTransaction,
  cancelJobParams,
  createJobParams,
  startDeletionParams,
} from '../../lambdas/store/job-writes';
import { DELETION_MARK_SECONDS, deletionMarksQuery, markDeletedParams } from '../../lambdas/store/registry/things';
import { retryParams } from '../../lambdas/store/retries';
import { CONDITION } from '../../lambdas/store/table/expressions';
import { addPageParams, finishFanOutParams, parkParams, stalledQuery } from '../../lambdas/store/work/job-work-items';
import { executionRecord } from '../support/seed';

/** Each write's request, read offline: the states its condition admits are the ones the rules allow. */
const NOW = 1_700_000_000_000;
const EXECUTION_KEY = { pk: 'THING#t1', sk: 'JOB#j1' };
const job = {
  jobId: 'j1',
  incarnation: 'i1',
  jobArn: 'arn',
  status: 'IN_PROGRESS',
  document: '{}',
  targets: [],
  createdAt: NOW,
  lastUpdatedAt: NOW,
  executionsCreated: false,
} satisfies JobRecord;

describe('execution writes', () => {
  it.each([
    [
      'StartNext',
      startParams(executionRecord('t1', 'j1', { versionNumber: 3 }), {
        now: NOW,
        timers: {},
        actor: { kind: 'device', name: 't1' },
      }),
      [CONDITION.queuedAsRead],
      { ':readVersion': 3 },
    ],
    [
      'a device update at an expectedVersion and executionNumber',
      deviceUpdateParams({
        thingName: 't1',
        jobId: 'j1',
        status: 'SUCCEEDED',
        now: NOW,
        timers: {},
        expectedVersion: 2,
        executionNumber: 1,
        actor: { kind: 'device', name: 't1' },
      }),
      [
        CONDITION.exists,
        CONDITION.pending,
        CONDITION.beforeDeadline,
        CONDITION.expectedVersion,
        CONDITION.executionNumber,
      ],
      { ':now': NOW, ':expectedVersion': 2, ':executionNumber': 1 },
    ],
    [
      'a device update planned without reading',
      deviceUpdateParams({
        thingName: 't1',
        jobId: 'j1',
        status: 'IN_PROGRESS',
        now: NOW,
        timers: {},
        assumes: { noInProgressTimerToStart: true },
        actor: { kind: 'device', name: 't1' },
      }),
      [CONDITION.exists, CONDITION.pending, CONDITION.beforeDeadline, CONDITION.noInProgressTimerToStart],
      { ':now': NOW },
    ],
    [
      'a timeout',
      timeOutParams({ thingName: 't1', jobId: 'j1', deadlineAt: NOW }),
      [CONDITION.runningPastDeadline],
      { ':deadline': NOW, ':at': NOW },
    ],
    [
      'a cancel',
      cancelParams({ thingName: 't1', jobId: 'j1', force: false, now: NOW, actor: { kind: 'operator' } }),
      [CONDITION.queued],
      { ':status': 'CANCELED', ':forceCanceled': false },
    ],
    [
      'a forced cancel',
      cancelParams({
        thingName: 't1',
        jobId: 'j1',
        force: true,
        now: NOW,
        expectedVersion: 4,
        actor: { kind: 'operator', force: true },
      }),
      [CONDITION.queuedOrRunning, CONDITION.expectedVersion],
      { ':now': NOW, ':expectedVersion': 4, ':forceCanceled': true },
    ],
  ])('%s: one conditional UpdateItem on the execution', (_, params, clauses, values) => {
    expect(params.Key).toEqual(EXECUTION_KEY);
    expect(params.ConditionExpression).toBe(clauses.join(' AND '));
    expect(params.ExpressionAttributeValues).toMatchObject(values);
  });

  it.each([
    [false, `${CONDITION.exists} AND ${CONDITION.executionNumber} AND ${CONDITION.settled}`],
    [true, `${CONDITION.exists} AND ${CONDITION.executionNumber}`],
  ])('DeleteJobExecution with force=%s deletes only what it may', (force, condition) => {
    const params = deleteParams({ thingName: 't1', jobId: 'j1', executionNumber: 1, force, now: NOW });
    expect(params).toMatchObject({ Key: EXECUTION_KEY, ConditionExpression: condition });
  });

  it('a fan-out writes an execution only where none of its job incarnation is', () => {
    expect(createIfAbsentParams(executionRecord('t1', 'j1', { jobIncarnation: 'i2' }))).toMatchObject({
      Item: EXECUTION_KEY,
      ConditionExpression: CONDITION.notOfThisIncarnation,
      ExpressionAttributeValues: { ':incarnation': 'i2' },
    });
  });
});

describe('job writes', () => {
  it('CreateJob takes a free jobId only', () => {
    expect(createJobParams(job)).toMatchObject({
      Item: { pk: 'JOB#j1', sk: 'JOB', jobId: 'j1' },
      ConditionExpression: CONDITION.absent,
    });
  });

  it('CancelJob records why, and a cancel without force keeps an earlier force', () => {
    const params = cancelJobParams('j1', {
      force: false,
      now: NOW,
      reasonCode: 'RECALLED',
      comment: 'bad',
      by: { kind: 'operator' },
    });
    expect(params.ConditionExpression).toBe(CONDITION.jobCancelable);
    expect(params.UpdateExpression).toContain('forceCanceled = if_not_exists(forceCanceled, :false)');
    expect(params.ExpressionAttributeNames).toEqual({ '#status': 'status', '#comment': 'comment' });
    expect(params.ExpressionAttributeValues).toMatchObject({ ':reasonCode': 'RECALLED', ':comment': 'bad' });
  });

  it.each([
    [false, CONDITION.jobDeletable],
    [true, CONDITION.jobExists],
  ])('DeleteJob with force=%s starts from the states it may', (force, condition) => {
    expect(startDeletionParams('j1', force, NOW).ConditionExpression).toBe(condition);
  });
});

describe('count writes', () => {
  it('counts changes once: a marker per change in its own partition, only if absent, expiring two days on by the service clock; the deltas and a revision only on that incarnation of the job', () => {
    const params = countChangesParams(
      { jobId: 'j1', incarnation: 'i1' },
      [
        { changeId: 'r1', jobId: 'j1', jobIncarnation: 'i1', from: 'QUEUED', to: 'SUCCEEDED' },
        { changeId: 'r2', jobId: 'j1', jobIncarnation: 'i1', to: 'QUEUED' },
      ],
      NOW,
    );
    expect(params.slice(0, 2)).toEqual(
      ['r1', 'r2'].map((id) => ({
        Put: {
          Item: { pk: `COUNTED#${id}`, sk: 'COUNTED#', jobId: 'j1', expiresAt: NOW / 1000 + 2 * 24 * 3600 },
          ConditionExpression: CONDITION.absent,
        },
      })),
    );
    expect(params[2]).toMatchObject({
      Update: {
        Key: { pk: 'JOB#j1', sk: 'JOB' },
        UpdateExpression: 'SET countsUpdatedAt = :now ADD countsRevision :one, #c0 :c0',
        ConditionExpression: `${CONDITION.exists} AND ${CONDITION.jobOfIncarnation}`,
        ExpressionAttributeNames: { '#c0': 'count_SUCCEEDED' },
        ExpressionAttributeValues: { ':c0': 1, ':one': 1, ':now': NOW, ':jobIncarnation': 'i1' },
      },
    });
  });

  it('a recount sets every count, only if the counts revision is still the one it read', () => {
    const params = writeCountsParams({ jobId: 'j1', incarnation: 'i1' }, { SUCCEEDED: 3 }, 7, NOW);
    expect(params.ConditionExpression).toBe(
      `${CONDITION.exists} AND ${CONDITION.jobOfIncarnation} AND countsRevision = :seenRevision`,
    );
    expect(params.ExpressionAttributeValues).toMatchObject({ ':seenRevision': 7, ':jobIncarnation': 'i1' });
    const setTo = Object.fromEntries(
      Object.entries(params.ExpressionAttributeNames!).map(([name, attribute]) => [
        attribute,
        params.ExpressionAttributeValues![name.replace('#', ':')],
      ]),
    );
    expect(setTo).toMatchObject({ count_SUCCEEDED: 3, count_QUEUED: 0, count_IN_PROGRESS: 0 });
    expect(writeCountsParams({ jobId: 'j1', incarnation: 'i1' }, {}, undefined, NOW).ConditionExpression).toContain(
      'attribute_not_exists(countsRevision)',
    );
  });

  it('completes only a job still IN_PROGRESS, and still the same incarnation', () => {
    expect(completeJobParams({ jobId: 'j1', incarnation: 'i1' }, NOW)).toMatchObject({
      ConditionExpression: `${CONDITION.jobInProgress} AND ${CONDITION.jobOfIncarnation}`,
      ExpressionAttributeValues: { ':jobInProgress': 'IN_PROGRESS', ':jobIncarnation': 'i1', ':now': NOW },
    });
  });
});

describe('continuous job writes', () => {
  const continuousJob = {
    ...job,
    targetSelection: 'CONTINUOUS' as const,
    targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/fleet'],
  };
  const joiner = { ...executionRecord('t1', 'j1'), jobIncarnation: 'i1' };

  it("a joiner's execution and its target entry hold only while the job is IN_PROGRESS at its incarnation, the thing is registered, and no execution of the job is there", () => {
    const [jobCheck, thingCheck, put, entry] = addExecutionParams(continuousJob, joiner, undefined);
    expect(jobCheck).toMatchObject({
      ConditionCheck: {
        Key: { pk: 'JOB#j1', sk: 'JOB' },
        ConditionExpression: `${CONDITION.jobInProgress} AND ${CONDITION.jobOfIncarnation}`,
      },
    });
    expect(thingCheck).toMatchObject({
      ConditionCheck: { Key: { pk: 'THING#t1', sk: 'THING' }, ConditionExpression: CONDITION.exists },
    });
    expect(put).toMatchObject({
      Put: {
        Item: EXECUTION_KEY,
        ConditionExpression: CONDITION.notOfThisIncarnation,
        ExpressionAttributeValues: { ':incarnation': 'i1' },
      },
    });
    expect(entry).toEqual({ Put: { Item: { pk: 'JOB#j1', sk: 'TARGETS#i1#J#t1', jobId: 'j1', things: ['t1'] } } });
  });

  it('a thing that comes back is queued again only over its REMOVED execution of that number', () => {
    const [, , put] = addExecutionParams(
      continuousJob,
      { ...joiner, executionNumber: 3 },
      { ...joiner, status: 'REMOVED', executionNumber: 2 },
    );
    expect(put).toMatchObject({
      Put: { ExpressionAttributeValues: { ':removed': 'REMOVED', ':executionNumber': 2, ':incarnation': 'i1' } },
    });
  });

  it('a leaver is REMOVED only while QUEUED, of that incarnation', () => {
    const params = removeQueuedParams({ jobId: 'j1', incarnation: 'i1' }, 't1', NOW);
    expect(params.Key).toEqual(EXECUTION_KEY);
    expect(params.ConditionExpression).toBe(`${CONDITION.queued} AND ${CONDITION.ofIncarnation}`);
    expect(params.ExpressionAttributeValues).toMatchObject({
      ':status': 'REMOVED',
      ':queued': 'QUEUED',
      ':incarnation': 'i1',
    });
  });

  it('AssociateTargetsWithJob grows the targets only of an IN_PROGRESS job of that incarnation with the targets read, and the sources only while no cascade is asked for', () => {
    const [jobUpdate, workUpdate] = associateTargetsTransaction(continuousJob, {
      targets: ['g2'],
      groupNames: ['g2'],
      sources: [],
      now: NOW,
    });
    expect((jobUpdate as { Update: { ConditionExpression: string } }).Update.ConditionExpression).toBe(
      `${CONDITION.jobInProgress} AND ${CONDITION.jobOfIncarnation} AND size(targets) = :targetCount`,
    );
    expect((workUpdate as { Update: { ConditionExpression: string } }).Update.ConditionExpression).toContain(
      'attribute_not_exists(#cascade)',
    );
  });

  it('a fan-out ends only if no sources were added since its worker read the record', () => {
    const work = newJobWork(continuousJob, [{ kind: 'things' }], true);
    const [recordUpdate] = finishFanOutParams({ ...work, owner: 'w' }, 'w');
    expect(
      (recordUpdate as { Update: { ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> } })
        .Update,
    ).toMatchObject({
      ConditionExpression: expect.stringContaining('size(sources) = :sourceCount'),
      ExpressionAttributeValues: expect.objectContaining({ ':sourceCount': 1 }),
    });
  });
});

describe("a rollout's writes of its work record", () => {
  const config = { maximumPerMinute: 20 };
  const stagedJob = { ...job, jobExecutionsRolloutConfig: config } satisfies JobRecord;
  const work = { ...newJobWork(stagedJob, [{ kind: 'things' }], true), owner: 'w', leaseUntil: NOW };

  it('counts a release in the same transaction as its page, only for the holder at the pages it read and while no cascade is asked for', () => {
    const rollout = afterRelease(allowanceAt(config, initialRollout(config), NOW, 0).state, 20);
    const [page, record] = addPageParams(work, 'w', ['t1'], { source: 1, position: 0 }, NOW + 60_000, 0, rollout) as [
      { Put: unknown },
      {
        Update: {
          UpdateExpression: string;
          ConditionExpression: string;
          ExpressionAttributeValues: Record<string, unknown>;
        };
      },
    ];
    expect(page).toHaveProperty('Put');
    expect(record.Update.UpdateExpression).toContain('rollout = :rollout');
    expect(record.Update.ConditionExpression).toBe(
      '#owner = :owner AND pages = :pages AND attribute_not_exists(#cascade)',
    );
    expect(record.Update.ExpressionAttributeValues[':rollout']).toEqual({
      windowStart: NOW,
      releasedInWindow: 20,
      rate: 20,
      released: 20,
      stepAt: { notified: 0, succeeded: 0 },
    });
  });

  it('parks only while it holds the lease, and the schedule skips a parked record until its window opens, unless a cascade came', () => {
    expect(parkParams('j1', 'w', NOW)).toMatchObject({
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeValues: { ':owner': 'w', ':at': NOW },
    });
    const query = stalledQuery(NOW, NOW + 5);
    expect(query.FilterExpression).toBe(
      '(attribute_not_exists(#owner) OR leaseUntil < :now) AND (attribute_not_exists(releaseAt) OR releaseAt <= :serviceNow OR attribute_exists(#cascade))',
    );
    expect(query.ExpressionAttributeValues).toMatchObject({ ':now': NOW, ':serviceNow': NOW + 5 });
  });
});

describe("a retry's write", () => {
  it('replaces only the failed attempt as the stream showed it, and only while its job runs at that incarnation', () => {
    const failed = {
      ...executionRecord('t1', 'j1', { status: 'FAILED', executionNumber: 2 }),
      jobIncarnation: 'i1',
      retryLimits: { FAILED: 3 },
      retriesUsed: { FAILED: 1 },
      retryAttempt: 1,
    };
    const [check, put] = retryParams(failed, nextAttempt(failed, NOW)) as [
      { ConditionCheck: { Key: unknown; ConditionExpression: string } },
      {
        Put: {
          Item: Record<string, unknown>;
          ConditionExpression: string;
          ExpressionAttributeValues: Record<string, unknown>;
        };
      },
    ];
    expect(check.ConditionCheck).toMatchObject({
      Key: { pk: 'JOB#j1', sk: 'JOB' },
      ConditionExpression: `${CONDITION.jobInProgress} AND ${CONDITION.jobOfIncarnation}`,
    });
    expect(put.Put.ConditionExpression).toBe(
      `${CONDITION.ofIncarnation} AND #status = :failed AND executionNumber = :executionNumber`,
    );
    expect(put.Put.ExpressionAttributeValues).toEqual({
      ':incarnation': 'i1',
      ':failed': 'FAILED',
      ':executionNumber': 2,
    });
    expect(put.Put.Item).toMatchObject({
      ...EXECUTION_KEY,
      status: 'QUEUED',
      executionNumber: 3,
      versionNumber: 1,
      retryAttempt: 2,
      retriesUsed: { FAILED: 2 },
    });
  });
});

describe("DeleteThing's deletion mark", () => {
  const now = Date.UTC(2026, 11, 3, 12);

  it('is one item per thing in one partition, kept a day by the table TTL', () => {
    const { Item, ConditionExpression } = markDeletedParams('sensor-7', now);
    expect(Item).toMatchObject({
      pk: 'DELETED_THINGS',
      sk: 'THING#sensor-7',
      thingName: 'sensor-7',
      deletedAt: now,
      expiresAt: now / 1000 + DELETION_MARK_SECONDS,
    });
    // A thing deleted again (after it was made again) only moves its mark on.
    expect(ConditionExpression).toBeUndefined();
  });

  it("is read for a page's name range in one strongly consistent query", () => {
    const query = deletionMarksQuery('a-1', 'a-9');
    expect(query.ConsistentRead).toBe(true);
    expect(query.ExpressionAttributeValues).toEqual({
      ':marks': 'DELETED_THINGS',
      ':first': 'THING#a-1',
      ':last': 'THING#a-9',
    });
  });
});
