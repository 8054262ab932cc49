import type { ExecutionStatus, JobExecutionRecord, PendingStatus, StatusDetails } from './execution';
import type { JobRecord, JobStatus } from '../management/job';
import type { TimerAssumptions, TimerWrite } from './timers';

/** What a device's update asks the store to write, already validated and planned. */
export interface DeviceUpdateCommand {
  thingName: string;
  jobId: string;
  status: PendingStatus | 'SUCCEEDED' | 'FAILED' | 'REJECTED';
  statusDetails?: StatusDetails;
  timers: TimerWrite;
  /** What the timer write took for granted about the stored execution (a plan made without reading it). */
  assumes?: TimerAssumptions;
  /** The version the plan was computed from (a plan made from a read): the write applies only to that version. */
  basisVersion?: number;
  expectedVersion?: number;
  executionNumber?: number;
  now: number;
}

export interface StartCommand {
  statusDetails?: StatusDetails;
  timers: TimerWrite;
  now: number;
}

export type WriteOutcome =
  | { applied: true; record: JobExecutionRecord }
  /** The write's condition failed; `current` is the execution as it stood then (absent if there is none). */
  | { applied: false; current?: JobExecutionRecord };

/** Executions of a thing. Every method touches only that thing's partition. */
export interface ExecutionStore {
  /** All pending executions of a thing in serving order (IN_PROGRESS first, then QUEUED). */
  listPending(thingName: string): Promise<JobExecutionRecord[]>;
  /** The first of listPending, read with one item. */
  findNextPending(thingName: string): Promise<JobExecutionRecord | undefined>;
  get(thingName: string, jobId: string): Promise<JobExecutionRecord | undefined>;
  /** QUEUED -> IN_PROGRESS, only if the execution is still exactly as read. */
  start(record: JobExecutionRecord, command: StartCommand): Promise<WriteOutcome>;
  /**
   * One conditional write: applies only while the execution is pending, has
   * not reached its deadline at `command.now`, and meets the command's
   * expectedVersion, executionNumber, basisVersion and timer assumptions.
   */
  applyDeviceUpdate(command: DeviceUpdateCommand): Promise<WriteOutcome>;
  /** IN_PROGRESS -> TIMED_OUT, only if it is still IN_PROGRESS with exactly this deadline. */
  timeOut(execution: ExpiredExecution): Promise<WriteOutcome>;
}

/** An execution whose effective deadline has passed, as the timer index knows it. */
export interface ExpiredExecution {
  thingName: string;
  jobId: string;
  deadlineAt: number;
}

export interface ExpiredPage {
  executions: ExpiredExecution[];
  /** Where the next page starts; absent on the last page. */
  cursor?: unknown;
  /** Read capacity the query consumed, when the store reports it. */
  readCapacityUnits?: number;
}

/** The deadline index: only executions with a running timer are in it. */
export interface TimerIndex {
  /** The index's partitions; each is queried on its own, in parallel. */
  readonly shards: readonly string[];
  /** Executions in one shard whose deadline is at or before `now`, earliest first. */
  findExpired(shard: string, now: number, limit: number, cursor?: unknown): Promise<ExpiredPage>;
  timeOut(execution: ExpiredExecution): Promise<WriteOutcome>;
}

export interface JobDocumentSource {
  /** The immutable document of that incarnation of the job. */
  getDocument(jobId: string, jobIncarnation: string): Promise<string>;
}

/** One page of a list, and the opaque token of the next (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageQuery {
  maxResults: number;
  nextToken?: string;
}

export type JobSummary = Pick<JobRecord, 'jobArn' | 'jobId' | 'status' | 'createdAt' | 'lastUpdatedAt' | 'completedAt'>;

export type JobWriteOutcome =
  | { applied: true; job: JobRecord }
  /** The job's condition failed; `current` is the job as it stood then (absent if there is none). */
  | { applied: false; current?: JobRecord };

export interface JobCancellation {
  force: boolean;
  reasonCode?: string;
  comment?: string;
  now: number;
}

export interface ExecutionCancellation {
  thingName: string;
  jobId: string;
  force: boolean;
  expectedVersion?: number;
  statusDetails?: StatusDetails;
  now: number;
}

export interface ExecutionDeletion {
  thingName: string;
  jobId: string;
  executionNumber: number;
  force: boolean;
  now: number;
}

export interface JobStore {
  /** Writes the job, then its executions; throws ResourceAlreadyExistsException for a taken jobId. */
  createJob(job: JobRecord, executions: JobExecutionRecord[]): Promise<void>;
  /** Finishes a fan-out a crash interrupted: writes each execution only if it is absent, then marks the fan-out complete. */
  resumeFanOut(jobId: string, executions: JobExecutionRecord[]): Promise<void>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  /** Newest first. */
  listJobs(status: JobStatus | undefined, page: PageQuery): Promise<Page<JobSummary>>;
  listExecutionsForJob(jobId: string, status: ExecutionStatus | undefined, page: PageQuery): Promise<Page<JobExecutionRecord>>;
  listExecutionsForThing(thingName: string, filter: { status?: ExecutionStatus; jobId?: string }, page: PageQuery): Promise<Page<JobExecutionRecord>>;
  /** IN_PROGRESS or CANCELED -> CANCELED, recording why. */
  cancelJob(jobId: string, cancellation: JobCancellation): Promise<JobWriteOutcome>;
  /** -> DELETION_IN_PROGRESS, from COMPLETED, CANCELED or DELETION_IN_PROGRESS, or from IN_PROGRESS too with force. */
  startJobDeletion(jobId: string, force: boolean, now: number): Promise<JobWriteOutcome>;
  deleteJobItem(jobId: string): Promise<void>;
  /** QUEUED -> CANCELED, or IN_PROGRESS (before its deadline) -> CANCELED with force; at expectedVersion if given. */
  cancelExecution(cancellation: ExecutionCancellation): Promise<WriteOutcome>;
  /** Deletes a terminal execution with that number (any, with force); `record` is the deleted item. */
  deleteExecution(deletion: ExecutionDeletion): Promise<WriteOutcome>;
  /** Deletes these executions whatever their state (a job being deleted). */
  deleteExecutions(executions: { thingName: string; jobId: string }[]): Promise<void>;
}
