import type { ExecutionStatus, JobExecutionRecord, StatusDetails } from '../execution/execution';
import type { WriteOutcome } from '../execution/store';
import type { JobRef, Page, PageQuery } from '../shared/ports';
import type { JobRecord, JobStatus } from './job';

/** The ports the job operations need from a store: the job items, and what operators do to executions. */

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
  /** Only an execution of this job incarnation (a cascade of its job); any, when absent. */
  jobIncarnation?: string;
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

/** Job items. */
export interface JobStore {
  /** Writes the job if its jobId is free; refused, `current` is the job that holds it. */
  createJob(job: JobRecord): Promise<JobWriteOutcome>;
  /** Records that every target's execution is written (the counts aggregator may then complete the job). */
  markFanOutComplete(jobId: string): Promise<void>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  /** Newest first. */
  listJobs(status: JobStatus | undefined, page: PageQuery): Promise<Page<JobSummary>>;
  /** IN_PROGRESS or CANCELED -> CANCELED, recording why. */
  cancelJob(jobId: string, cancellation: JobCancellation): Promise<JobWriteOutcome>;
  /** -> DELETION_IN_PROGRESS, from COMPLETED, CANCELED or DELETION_IN_PROGRESS, or from IN_PROGRESS too with force. */
  startJobDeletion(jobId: string, force: boolean, now: number): Promise<JobWriteOutcome>;
  deleteJobItem(jobId: string): Promise<void>;
}

/** Executions as operators act on them: a job's fan-out, lists, cancels and deletes. */
export interface ExecutionAdminStore {
  /**
   * Writes the job's executions, each only where none of that job is (a
   * CreateJob retried while the first still fans out, or one resuming a
   * fan-out that died, never resets an execution a device has moved on), and
   * only while the job is still running: once it is canceled or being deleted,
   * it writes no more (and the fan-out is over all the same).
   */
  createExecutions(job: JobRef, executions: JobExecutionRecord[]): Promise<void>;
  listExecutionsForJob(jobId: string, status: ExecutionStatus | undefined, page: PageQuery): Promise<Page<JobExecutionRecord>>;
  listExecutionsForThing(thingName: string, filter: { status?: ExecutionStatus; jobId?: string }, page: PageQuery): Promise<Page<JobExecutionRecord>>;
  /** QUEUED -> CANCELED, or IN_PROGRESS (before its deadline) -> CANCELED with force; at expectedVersion if given. */
  cancelExecution(cancellation: ExecutionCancellation): Promise<WriteOutcome>;
  /** Deletes a terminal execution with that number (any, with force); `record` is the deleted item. */
  deleteExecution(deletion: ExecutionDeletion): Promise<WriteOutcome>;
  /** Deletes these executions whatever their state (a job being deleted). */
  deleteExecutions(executions: { thingName: string; jobId: string }[]): Promise<void>;
}
