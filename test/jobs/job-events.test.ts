import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  EXECUTION_EVENT_DETAIL_TYPE,
  JOB_EVENT_DETAIL_TYPE,
  type JobEvent,
} from '../../lambdas/jobs/events/job-events';
import { withCurrentCounts } from '../../lambdas/jobs/events/job-item-events';
import type { JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import { type JobRecord, newExecution, newJob } from '../../lambdas/jobs/management/job';
import { thingArn, thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { countAttribute, toExecutionItem, toJobItem } from '../../lambdas/store/items';
import { readJobEvents, type StreamEventRecord } from '../../lambdas/store/stream-events';
import { keys } from '../../lambdas/store/table/keys';

const ARNS = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
/** When the stream says each change happened: epoch seconds, as Lambda hands it over. */
const context = { arns: ARNS, clock: () => 1_800_000_000_000 };
const TARGETS = [thingArn(ARNS, 't1'), thingGroupArn(ARNS, 'fleet')];

const created = newJob(
  {
    jobId: 'j1',
    targets: TARGETS,
    thingNames: ['t1'],
    groupNames: ['fleet'],
    document: '{"big":"document"}',
    description: 'My job description',
  },
  ARNS,
  'i1',
  1_000,
);
type Item = Record<string, unknown>;
/** A job item as the table holds it, with the counts aggregator's `count_<STATUS>` attributes. */
const job = (changes: Partial<JobRecord> & Item = {}, counts: Record<string, number> = {}): Item => ({
  ...toJobItem({ ...created, executionsCreated: true, ...changes } as JobRecord),
  ...Object.fromEntries(Object.entries(counts).map(([status, n]) => [countAttribute(status), n])),
});
const running = job();
const canceled = job({
  status: 'CANCELED',
  lastUpdatedAt: 2_000,
  forceCanceled: false,
  comment: 'Comment for this operation',
});
const deleting = job({ status: 'DELETION_IN_PROGRESS', lastUpdatedAt: 7_000 });

const execution = (changes: Partial<JobExecutionRecord> = {}): Item => ({
  ...toExecutionItem({ ...newExecution(created, 't1'), ...changes }),
});
const started = execution({ status: 'IN_PROGRESS', startedAt: 2_000, lastUpdatedAt: 2_000, versionNumber: 2 });
const ended = (status: JobExecutionRecord['status'], changes: Partial<JobExecutionRecord> = {}) =>
  execution({ status, startedAt: 2_000, lastUpdatedAt: 3_000, versionNumber: 3, ...changes });

let sequence = 0;
const image = (item: Item | undefined) => item && (marshall(item, { removeUndefinedValues: true }) as Item);
const record = (before: Item | undefined, after: Item | undefined, eventID = `e${++sequence}`): StreamEventRecord => ({
  eventID,
  dynamodb: { ...(before ? { OldImage: image(before) } : {}), ...(after ? { NewImage: image(after) } : {}) },
});
const topicsOf = (before: Item | undefined, after: Item | undefined) =>
  readJobEvents([record(before, after)], context).map((event) => event.topic);

describe('job events', () => {
  it.each<[string, Item | undefined, Item | undefined, string | undefined]>([
    [
      'IN_PROGRESS -> COMPLETED (the counts aggregator)',
      running,
      job({ status: 'COMPLETED', completedAt: 5_000, lastUpdatedAt: 5_000 }),
      'completed',
    ],
    ['CancelJob: IN_PROGRESS -> CANCELED starts the cancel', running, canceled, 'cancellation_in_progress'],
    [
      'a schedule ends a SCHEDULED job: SCHEDULED -> CANCELED',
      job({ status: 'SCHEDULED', executionsCreated: false }),
      job({ status: 'CANCELED', executionsCreated: false, lastUpdatedAt: 2_000 }),
      'cancellation_in_progress',
    ],
    [
      'a forced CancelJob after a plain one restarts the cascade',
      canceled,
      { ...canceled, forceCanceled: true, lastUpdatedAt: 3_000 },
      'cancellation_in_progress',
    ],
    [
      'the cancel cascade ends a fan-out that had not finished',
      { ...canceled, executionsCreated: false },
      canceled,
      'canceled',
    ],
    [
      'the cancel cascade ends, with the proposed end mark',
      canceled,
      { ...canceled, cancelEndedSerial: 's1' },
      'canceled',
    ],
    ['DeleteJob of a finished job: -> DELETION_IN_PROGRESS', canceled, deleting, 'deletion_in_progress'],
    ['a forced DeleteJob of a running job', running, deleting, 'deletion_in_progress'],
    ['the delete cascade ends: the job item deleted', deleting, undefined, 'deleted'],
    ['CreateJob', undefined, running, undefined],
    [
      'the counts of a running job move',
      running,
      { ...job({}, { SUCCEEDED: 1 }), countsRevision: 1, countsUpdatedAt: 4_000 },
      undefined,
    ],
    [
      'the counts of a canceled job move (the cascade cancels executions)',
      canceled,
      { ...job({ ...canceled }, { CANCELED: 1 }), countsRevision: 1 },
      undefined,
    ],
    ['the counts of a job being deleted move', deleting, { ...deleting, countsRevision: 2 }, undefined],
    ["a running job's fan-out finishes", job({ executionsCreated: false }), running, undefined],
    [
      'a scheduled job starts: SCHEDULED -> IN_PROGRESS',
      job({ status: 'SCHEDULED' }),
      job({ lastUpdatedAt: 2_000 }),
      undefined,
    ],
    ['UpdateJob', running, job({ description: 'new', lastUpdatedAt: 2_000 }), undefined],
  ])('%s', (_, before, after, operation) => {
    expect(topicsOf(before, after)).toEqual(operation ? [`$aws/events/job/j1/${operation}`] : []);
  });

  it("a completed job carries AWS's fields: times as the job has them (ms), timestamp in seconds, the terminal counts", () => {
    const completed = job(
      { status: 'COMPLETED', completedAt: 5_000, lastUpdatedAt: 5_000, comment: 'Comment for this operation' },
      { SUCCEEDED: 3, FAILED: 1, QUEUED: 0 },
    );
    const [event] = readJobEvents([record(running, completed, 'e-completed')], context);
    expect(event).toEqual({
      detailType: JOB_EVENT_DETAIL_TYPE,
      topic: '$aws/events/job/j1/completed',
      operation: 'completed',
      payload: expect.any(Object),
      incarnation: expect.any(String),
    });
    expect(event!.payload).toEqual({
      eventType: 'JOB',
      eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      timestamp: 1_800_000_000,
      operation: 'completed',
      jobId: 'j1',
      status: 'COMPLETED',
      targetSelection: 'SNAPSHOT',
      targets: TARGETS,
      description: 'My job description',
      completedAt: 5_000,
      createdAt: 1_000,
      lastUpdatedAt: 5_000,
      comment: 'Comment for this operation',
      jobProcessDetails: {
        numberOfCanceledThings: 0,
        numberOfRejectedThings: 0,
        numberOfFailedThings: 1,
        numberOfRemovedThings: 0,
        numberOfSucceededThings: 3,
        numberOfTimedOutThings: 0,
      },
    });
    // The field list of AWS's `completed` example, no more.
    const awsCompleted = [
      'eventType',
      'eventId',
      'timestamp',
      'operation',
      'jobId',
      'status',
      'targetSelection',
      'targets',
      'description',
      'completedAt',
      'createdAt',
      'lastUpdatedAt',
      'comment',
      'jobProcessDetails',
    ];
    expect(Object.keys(event!.payload).sort()).toEqual([...awsCompleted].sort());
  });

  it('each job event carries what its AWS example does: counts and force when canceled, neither while a cancel or delete runs, DELETED once gone', () => {
    const [inProgress, ended, deletion, deleted] = readJobEvents(
      [
        record(running, canceled),
        record(canceled, { ...canceled, cancelEndedSerial: 's1' }, 'e-end'),
        record(canceled, deleting),
        record(deleting, undefined),
      ],
      context,
    ).map((event) => event.payload as unknown as Item);
    expect(inProgress).toMatchObject({
      operation: 'cancellation_in_progress',
      status: 'CANCELLATION_IN_PROGRESS',
      comment: 'Comment for this operation',
    });
    expect(inProgress).not.toHaveProperty('jobProcessDetails');
    expect(inProgress).not.toHaveProperty('forceCanceled');
    expect(ended).toMatchObject({
      operation: 'canceled',
      status: 'CANCELED',
      forceCanceled: false,
      jobProcessDetails: expect.objectContaining({ numberOfCanceledThings: 0 }),
    });
    expect(deletion).toMatchObject({
      operation: 'deletion_in_progress',
      status: 'DELETION_IN_PROGRESS',
      lastUpdatedAt: 7_000,
    });
    expect(deleted).toMatchObject({
      operation: 'deleted',
      status: 'DELETED',
      jobId: 'j1',
      targets: TARGETS,
      createdAt: 1_000,
    });
    for (const payload of [deletion, deleted]) expect(payload).not.toHaveProperty('jobProcessDetails');
  });
});

describe('job execution events', () => {
  it.each<[string, Item | undefined, Item | undefined, string | undefined]>([
    ['IN_PROGRESS -> SUCCEEDED', started, ended('SUCCEEDED'), 'succeeded'],
    ['IN_PROGRESS -> FAILED', started, ended('FAILED'), 'failed'],
    [
      "a retry's attempt fails too",
      { ...started, executionNumber: 2 },
      { ...ended('FAILED'), executionNumber: 2 },
      'failed',
    ],
    ['QUEUED -> REJECTED', execution(), ended('REJECTED'), 'rejected'],
    ['QUEUED -> CANCELED (a cancel cascade)', execution(), ended('CANCELED', { forceCanceled: false }), 'canceled'],
    ['IN_PROGRESS -> TIMED_OUT', started, ended('TIMED_OUT'), 'timed_out'],
    ["QUEUED -> REMOVED (a thing left a continuous job's group)", execution(), ended('REMOVED'), 'removed'],
    ['DeleteJobExecution of a settled execution', ended('SUCCEEDED'), undefined, 'deleted'],
    ["a forced delete of a running one (a job's delete cascade)", started, undefined, 'deleted'],
    ['the fan-out writes it QUEUED', undefined, execution(), undefined],
    ['QUEUED -> IN_PROGRESS', execution(), started, undefined],
    [
      'IN_PROGRESS -> IN_PROGRESS (progress reported)',
      started,
      { ...started, statusDetails: { step: '2' }, versionNumber: 3 },
      undefined,
    ],
    [
      'a failure written over by its retry (QUEUED, the next executionNumber)',
      ended('FAILED'),
      execution({ executionNumber: 2, retryAttempt: 1, queuedAt: 4_000 }),
      undefined,
    ],
    [
      'a timeout written over by its retry',
      ended('TIMED_OUT'),
      execution({ executionNumber: 2, retryAttempt: 1, queuedAt: 4_000 }),
      undefined,
    ],
    [
      'a new job of the same jobId takes the item over',
      { ...ended('SUCCEEDED'), jobIncarnation: 'i0' },
      execution(),
      undefined,
    ],
    [
      'a settled execution written again unchanged in status',
      ended('FAILED'),
      { ...ended('FAILED'), versionNumber: 4 },
      undefined,
    ],
  ])('%s', (_, before, after, operation) => {
    expect(topicsOf(before, after)).toEqual(operation ? [`$aws/events/jobExecution/j1/${operation}`] : []);
  });

  it("carries AWS's fields: the thing's ARN, the status and the device's statusDetails", () => {
    const [event] = readJobEvents(
      [record(started, ended('FAILED', { statusDetails: { reason: 'checksum' } }), 'e-failed')],
      context,
    );
    expect(event).toEqual({
      detailType: EXECUTION_EVENT_DETAIL_TYPE,
      topic: '$aws/events/jobExecution/j1/failed',
      operation: 'failed',
      payload: {
        eventType: 'JOB_EXECUTION',
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        timestamp: 1_800_000_000,
        operation: 'failed',
        jobId: 'j1',
        thingArn: 'arn:aws:iot:us-east-1:123456789012:thing/t1',
        status: 'FAILED',
        statusDetails: { reason: 'checksum' },
      },
    });
    // The field list of AWS's job execution example, no more.
    expect(Object.keys(event!.payload).sort()).toEqual(
      ['eventType', 'eventId', 'timestamp', 'operation', 'jobId', 'thingArn', 'status', 'statusDetails'].sort(),
    );
  });

  it('a deleted execution carries the status it had before (AWS)', () => {
    const [event] = readJobEvents([record(started, undefined)], context);
    expect(event!.payload).toMatchObject({ operation: 'deleted', status: 'IN_PROGRESS' });
  });

  it('leaves out statusDetails the SDK hands over malformed, rather than failing the batch', () => {
    const broken = record(started, ended('SUCCEEDED'));
    broken.dynamodb!.NewImage = { ...broken.dynamodb!.NewImage, statusDetails: {} };
    const [event] = readJobEvents([broken], context);
    expect(event!.payload).toMatchObject({ operation: 'succeeded' });
    expect(event!.payload).not.toHaveProperty('statusDetails');
  });
});

describe('readJobEvents', () => {
  it('gives no event for the items that are neither jobs nor executions', () => {
    const job1 = { jobId: 'j1', incarnation: 'i1' };
    const others: Item[] = [
      { ...keys.countedChange('e1'), jobId: 'j1', expiresAt: 1 },
      { ...keys.targetPage(job1, 1), jobId: 'j1', things: ['t1'] },
      {
        ...keys.jobWork('j1'),
        jobId: 'j1',
        incarnation: 'i1',
        status: 'CANCELED',
        cascade: { kind: 'cancel', force: false, serial: 's1', page: 1 },
      },
      { ...keys.thing('t1'), thingName: 't1' },
      { ...keys.membership('t1', 'fleet'), thingName: 't1', thingGroupName: 'fleet' },
      { ...keys.thingGroup('fleet'), thingGroupName: 'fleet' },
      { ...keys.jobTemplate('tpl'), status: 'COMPLETED' },
      { ...keys.continuousTarget('fleet', job1), jobId: 'j1' },
    ];
    const records = others.flatMap((item) => [
      record(undefined, item),
      record(item, { ...item, touched: true }),
      record(item, undefined),
    ]);
    expect(readJobEvents(records, context)).toEqual([]);
  });

  it('gives the events of a batch in record order', () => {
    const events = readJobEvents(
      [
        record(started, ended('SUCCEEDED')),
        record(running, job({}, { SUCCEEDED: 1 })),
        record(running, canceled),
        record(execution(), ended('CANCELED')),
      ],
      context,
    );
    expect(events.map((event) => event.topic)).toEqual([
      '$aws/events/jobExecution/j1/succeeded',
      '$aws/events/job/j1/cancellation_in_progress',
      '$aws/events/jobExecution/j1/canceled',
    ]);
  });

  it("makes the eventId from the record's ID: a replayed record gives the same one, another record another", () => {
    const change = (id: string) =>
      readJobEvents([record(started, ended('SUCCEEDED'), id)], context)[0]!.payload.eventId;
    expect(change('shard-1/000123')).toBe(change('shard-1/000123'));
    expect(change('shard-1/000124')).not.toBe(change('shard-1/000123'));
    const custom = readJobEvents([record(running, canceled, 'r1')], {
      ...context,
      eventIdOf: (id, operation) => `${id}:${operation}`,
    });
    expect(custom[0]!.payload.eventId).toBe('r1:cancellation_in_progress');
  });

  it("stamps an event with the service's clock in seconds, not the record's approximate time (DynamoDB Local rounds it to the minute)", () => {
    const r = record(started, ended('SUCCEEDED'));
    expect(readJobEvents([r], { ...context, clock: () => 1_800_000_123_456 })[0]!.payload.timestamp).toBe(
      1_800_000_123,
    );
  });

  it('refuses a record with no ID: its event could not be told from a replay', () => {
    expect(() =>
      readJobEvents([{ dynamodb: { OldImage: image(started), NewImage: image(ended('SUCCEEDED')) } }], context),
    ).toThrow(/eventID/);
  });
});

describe('withCurrentCounts', () => {
  const canceledEvent = (): JobEvent =>
    ({
      detailType: JOB_EVENT_DETAIL_TYPE,
      topic: '$aws/events/job/j1/canceled',
      operation: 'canceled',
      incarnation: 'i1',
      payload: { jobProcessDetails: { numberOfCanceledThings: 0 } },
    }) as unknown as JobEvent;

  it("gives a canceled event the job's counts as they stand, when the job is the same incarnation", () => {
    const event = withCurrentCounts(canceledEvent(), {
      incarnation: 'i1',
      executionCounts: { CANCELED: 2, SUCCEEDED: 1 },
    });
    expect(event.payload).toMatchObject({
      jobProcessDetails: { numberOfCanceledThings: 2, numberOfSucceededThings: 1, numberOfFailedThings: 0 },
    });
  });

  it('leaves it as it was for another job of the same jobId, or none', () => {
    expect(
      withCurrentCounts(canceledEvent(), { incarnation: 'i2', executionCounts: { CANCELED: 2 } }).payload,
    ).toMatchObject({ jobProcessDetails: { numberOfCanceledThings: 0 } });
    expect(withCurrentCounts(canceledEvent(), undefined).payload).toMatchObject({
      jobProcessDetails: { numberOfCanceledThings: 0 },
    });
  });
});
