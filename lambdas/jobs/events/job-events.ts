import { createHash } from 'node:crypto';
import type { ExecutionStatus, JobExecutionRecord, StatusDetails } from '../execution/execution';
import type { JobRecord } from '../management/job';
import type { ArnContext } from '../shared/arns';
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
export const PROCESS_DETAIL_FIELDS = {
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

/**
 * A name-based (version 5) UUID of the change and operation: a replayed record gets the same eventId, so a consumer can
 * drop the repeat.
 */
export function deterministicEventId(changeId: string, operation: string): string {
  const hash = createHash('sha1').update(EVENT_ID_NAMESPACE).update(`${changeId}/${operation}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What every event starts with: its ID (the same for a replayed change), when, and what happened. */
export const headerOf = <O extends string>(change: ItemChange<unknown>, operation: O, context: EventContext) => ({
  eventId: (context.eventIdOf ?? deterministicEventId)(change.changeId, operation),
  timestamp: toEpochSeconds(change.at),
  operation,
});
