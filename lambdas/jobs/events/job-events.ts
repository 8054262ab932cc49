import { createHash } from 'node:crypto';
import type { ExecutionStatus, JobExecutionRecord, StatusDetails } from '../execution/execution';
import type { JobRecord } from '../management/job';
import { type ArnContext, thingArn } from '../shared/arns';
import { toEpochSeconds } from '../shared/clock';

/**
 * AWS IoT's jobs events (developer guide, "Jobs events"), derived from one
 * change of one item of the table: its image before and after. The shapes
 * are AWS's examples: `timestamp` in epoch seconds, the job's own times in
 * epoch milliseconds (both as the examples show them). Publishing them (MQTT
 * topic, EventBridge detail) is the caller's: nothing here sends anything.
 */

/** EventBridge detail-types: one per payload kind, so a rule can match either without reading the payload. */
export const JOB_EVENT_DETAIL_TYPE = 'IoT Jobs Job Event';
export const EXECUTION_EVENT_DETAIL_TYPE = 'IoT Jobs Job Execution Event';

export type JobOperation = 'completed' | 'canceled' | 'deleted' | 'cancellation_in_progress' | 'deletion_in_progress';
export type ExecutionOperation = 'succeeded' | 'failed' | 'rejected' | 'canceled' | 'timed_out' | 'removed' | 'deleted';

/** The terminal counts AWS's examples carry (the pending ones, queued and in progress, are not in them). */
const PROCESS_DETAIL_FIELDS = {
  CANCELED: 'numberOfCanceledThings',
  REJECTED: 'numberOfRejectedThings',
  FAILED: 'numberOfFailedThings',
  REMOVED: 'numberOfRemovedThings',
  SUCCEEDED: 'numberOfSucceededThings',
  TIMED_OUT: 'numberOfTimedOutThings',
} as const satisfies Partial<Record<ExecutionStatus, string>>;
export const COUNTED_STATUSES = Object.keys(PROCESS_DETAIL_FIELDS) as (keyof typeof PROCESS_DETAIL_FIELDS)[];
export type JobProcessDetailsPayload = Record<
  (typeof PROCESS_DETAIL_FIELDS)[keyof typeof PROCESS_DETAIL_FIELDS],
  number
>;

export interface JobEventPayload {
  eventType: 'JOB';
  eventId: string;
  timestamp: number;
  operation: JobOperation;
  jobId: string;
  /** Not always a job status: a cancel underway is CANCELLATION_IN_PROGRESS here, a job gone DELETED. */
  status: 'COMPLETED' | 'CANCELED' | 'DELETED' | 'CANCELLATION_IN_PROGRESS' | 'DELETION_IN_PROGRESS';
  forceCanceled?: boolean;
  targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  targets: string[];
  description?: string;
  completedAt?: number;
  createdAt: number;
  lastUpdatedAt: number;
  comment?: string;
  jobProcessDetails?: JobProcessDetailsPayload;
}

export interface ExecutionEventPayload {
  eventType: 'JOB_EXECUTION';
  eventId: string;
  timestamp: number;
  operation: ExecutionOperation;
  jobId: string;
  thingArn: string;
  /** For `deleted`, the status the execution had before (AWS). */
  status: ExecutionStatus;
  statusDetails?: StatusDetails;
}

export type JobEvent =
  /** `incarnation`: which job of that jobId it is about (not in AWS's payload). */
  | {
      detailType: typeof JOB_EVENT_DETAIL_TYPE;
      topic: string;
      operation: JobOperation;
      payload: JobEventPayload;
      incarnation: string;
    }
  | {
      detailType: typeof EXECUTION_EVENT_DETAIL_TYPE;
      topic: string;
      operation: ExecutionOperation;
      payload: ExecutionEventPayload;
    };

/** Where events go: an EventBridge bus deployed, the MQTT broker's `$aws/events` topics locally. */
export interface JobEventSink {
  publish(events: readonly JobEvent[]): Promise<void>;
}

/**
 * What a cancel's cascade writes on the job item when it ends (the serial of
 * that cancel): the change the `canceled` event is read from, since the job's
 * status and times stay as the cancel's start left them.
 */
export const CANCEL_END_ATTRIBUTE = 'cancelEndedSerial';

/** What the events read of a job item. */
export type JobImage = Pick<JobRecord, 'jobId' | 'incarnation' | 'status' | 'targets' | 'createdAt' | 'lastUpdatedAt'> &
  Partial<
    Pick<
      JobRecord,
      | 'targetSelection'
      | 'description'
      | 'comment'
      | 'forceCanceled'
      | 'completedAt'
      | 'executionsCreated'
      | 'executionCounts'
    >
  > & {
    [CANCEL_END_ATTRIBUTE]?: string;
  };

/** What the events read of an execution item. */
export type ExecutionImage = Pick<
  JobExecutionRecord,
  'thingName' | 'jobId' | 'jobIncarnation' | 'status' | 'executionNumber' | 'statusDetails'
>;

/** One item's change: `before` absent for a new item, `after` for one deleted. */
export interface ItemChange<T> {
  /** The stream record's ID: the same each time the stream delivers it, so the event's ID is too. */
  changeId: string;
  /** When it happened (epoch ms). */
  at: number;
  before?: T;
  after?: T;
}

export interface EventContext {
  arns: ArnContext;
  /** The event's ID from its change's; deterministicEventId if not given. */
  eventIdOf?: (changeId: string, operation: string) => string;
}

/** Any fixed UUID: it only keeps these IDs apart from other name-based UUIDs. */
const EVENT_ID_NAMESPACE = Buffer.from('4f1d6c2a8e3b4d7a9c5e0b1f2a3d4c5e', 'hex');

/** A name-based (version 5) UUID of the change and operation: a replayed record gets the same eventId, so a consumer can drop the repeat. */
export function deterministicEventId(changeId: string, operation: string): string {
  const hash = createHash('sha1').update(EVENT_ID_NAMESPACE).update(`${changeId}/${operation}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The status was written by a new request: every cancel and delete write sets lastUpdatedAt; the counts' writes never do. */
const newRequest = (before: JobImage, after: JobImage) =>
  before.status !== after.status || before.lastUpdatedAt !== after.lastUpdatedAt;

/**
 * A cancel's cascade ends in one transaction with its work record, marking
 * the job item with its serial; an item from before that mark still shows the
 * end when its fan-out had not finished (executionsCreated set).
 */
const cancelEnded = (before: JobImage, after: JobImage) =>
  (before.executionsCreated !== true && after.executionsCreated === true) ||
  (after[CANCEL_END_ATTRIBUTE] !== undefined && after[CANCEL_END_ATTRIBUTE] !== before[CANCEL_END_ATTRIBUTE]);

type JobCase = { operation: JobOperation; when: (before: JobImage, after: JobImage) => boolean };

/**
 * Which change of a job item (there before and after) is which event; the
 * first that matches. A cancel starts with the write that makes the job
 * CANCELED (CancelJob, an abort, a schedule's end; again: a forced cancel
 * after a plain one restarts the cascade) and a delete with the one that makes
 * it DELETION_IN_PROGRESS. Anything else (counts, UpdateJob, a scheduled
 * start) is no event.
 */
const JOB_CASES: readonly JobCase[] = [
  { operation: 'completed', when: (before, after) => after.status === 'COMPLETED' && before.status !== 'COMPLETED' },
  {
    operation: 'deletion_in_progress',
    when: (before, after) => after.status === 'DELETION_IN_PROGRESS' && newRequest(before, after),
  },
  {
    operation: 'cancellation_in_progress',
    when: (before, after) => after.status === 'CANCELED' && newRequest(before, after),
  },
  {
    operation: 'canceled',
    when: (before, after) => after.status === 'CANCELED' && before.status === 'CANCELED' && cancelEnded(before, after),
  },
];

/** What each job event carries besides the job (AWS's example of each). */
const JOB_PAYLOADS: Record<
  JobOperation,
  { status: JobEventPayload['status']; counts?: true; completedAt?: true; forceCanceled?: true }
> = {
  completed: { status: 'COMPLETED', counts: true, completedAt: true },
  canceled: { status: 'CANCELED', counts: true, forceCanceled: true },
  deleted: { status: 'DELETED' },
  cancellation_in_progress: { status: 'CANCELLATION_IN_PROGRESS' },
  deletion_in_progress: { status: 'DELETION_IN_PROGRESS' },
};

function jobOperationOf(before: JobImage | undefined, after: JobImage | undefined): JobOperation | undefined {
  // Only the delete cascade's end deletes a job item (finishDeleteParams); a new one (CreateJob) is no event.
  if (!after) return before ? 'deleted' : undefined;
  if (!before || before.incarnation !== after.incarnation) return undefined;
  return JOB_CASES.find((c) => c.when(before, after))?.operation;
}

const processDetailsOf = (job: JobImage): JobProcessDetailsPayload =>
  Object.fromEntries(
    COUNTED_STATUSES.map((status) => [PROCESS_DETAIL_FIELDS[status], Math.max(0, job.executionCounts?.[status] ?? 0)]),
  ) as JobProcessDetailsPayload;

/**
 * A `canceled` event with the counts as they stand when it is published: the
 * cascade's end mark is written before the counts aggregator has counted the
 * cancellations it made, so the image it comes from is behind (`completed`
 * needs none of this: the counts themselves complete a job).
 */
export function withCurrentCounts(
  event: JobEvent,
  job: Pick<JobImage, 'incarnation' | 'executionCounts'> | undefined,
): JobEvent {
  if (
    event.operation !== 'canceled' ||
    event.detailType !== JOB_EVENT_DETAIL_TYPE ||
    !job ||
    job.incarnation !== event.incarnation
  )
    return event;
  return { ...event, payload: { ...event.payload, jobProcessDetails: processDetailsOf(job as JobImage) } };
}

/** Whether an event's payload would change with the counts as they stand (see withCurrentCounts). */
export const needsCurrentCounts = (event: JobEvent): boolean =>
  event.operation === 'canceled' && event.detailType === JOB_EVENT_DETAIL_TYPE;

/** What every event starts with: its ID (the same for a replayed change), when, and what happened. */
const headerOf = <O extends string>(change: ItemChange<unknown>, operation: O, context: EventContext) => ({
  eventId: (context.eventIdOf ?? deterministicEventId)(change.changeId, operation),
  timestamp: toEpochSeconds(change.at),
  operation,
});

/** The job event of one change of a job item, if it is one. */
export function jobEventOf(change: ItemChange<JobImage>, context: EventContext): JobEvent | undefined {
  const operation = jobOperationOf(change.before, change.after);
  if (!operation) return undefined;
  const job = (change.after ?? change.before)!;
  const shape = JOB_PAYLOADS[operation];
  const payload: JobEventPayload = {
    eventType: 'JOB',
    ...headerOf(change, operation, context),
    jobId: job.jobId,
    status: shape.status,
    ...(shape.forceCanceled && job.forceCanceled !== undefined ? { forceCanceled: job.forceCanceled } : {}),
    targetSelection: job.targetSelection ?? 'SNAPSHOT',
    targets: job.targets,
    ...(job.description !== undefined ? { description: job.description } : {}),
    ...(shape.completedAt && job.completedAt !== undefined ? { completedAt: job.completedAt } : {}),
    createdAt: job.createdAt,
    lastUpdatedAt: job.lastUpdatedAt,
    ...(job.comment !== undefined ? { comment: job.comment } : {}),
    ...(shape.counts ? { jobProcessDetails: processDetailsOf(job) } : {}),
  };
  return {
    detailType: JOB_EVENT_DETAIL_TYPE,
    topic: `$aws/events/job/${job.jobId}/${operation}`,
    operation,
    payload,
    incarnation: job.incarnation,
  };
}

/** The outcome event each terminal status is; the pending ones (QUEUED, IN_PROGRESS) have none. */
const OUTCOMES: Partial<Record<ExecutionStatus, ExecutionOperation>> = {
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  REJECTED: 'rejected',
  CANCELED: 'canceled',
  TIMED_OUT: 'timed_out',
  REMOVED: 'removed',
};

function executionOperationOf(
  before: ExecutionImage | undefined,
  after: ExecutionImage | undefined,
): ExecutionOperation | undefined {
  // DeleteJobExecution, or a delete cascade: each execution deleted is an event of its own (AWS).
  if (!after) return before ? 'deleted' : undefined;
  // A new job of the same jobId wrote over an earlier one's execution: not one execution moving on.
  if (before && before.jobIncarnation !== after.jobIncarnation) return undefined;
  // Pending, which a retry's next attempt (QUEUED, written over the failure it follows) is too.
  const outcome = OUTCOMES[after.status];
  if (!outcome) return undefined;
  // Already that outcome of that attempt: not a new one.
  if (before && before.status === after.status && before.executionNumber === after.executionNumber) return undefined;
  return outcome;
}

/** The job execution event of one change of an execution item, if it is one. */
export function executionEventOf(change: ItemChange<ExecutionImage>, context: EventContext): JobEvent | undefined {
  const operation = executionOperationOf(change.before, change.after);
  if (!operation) return undefined;
  const execution = (change.after ?? change.before)!;
  const payload: ExecutionEventPayload = {
    eventType: 'JOB_EXECUTION',
    ...headerOf(change, operation, context),
    jobId: execution.jobId,
    thingArn: thingArn(context.arns, execution.thingName),
    status: execution.status,
    ...(execution.statusDetails !== undefined ? { statusDetails: execution.statusDetails } : {}),
  };
  return {
    detailType: EXECUTION_EVENT_DETAIL_TYPE,
    topic: `$aws/events/jobExecution/${execution.jobId}/${operation}`,
    operation,
    payload,
  };
}
