import type { ExecutionStatus, JobExecutionRecord } from '../execution/execution';
import type { ExecutionCancellation, WriteOutcome } from '../execution/store';
import type { RolloutState } from '../rollout/release-rate';
import type { Actor } from '../shared/actor';

export type { ExecutionCancellation };

import type { Page, PageQuery } from '../shared/ports';
import type { FanOutSource, JobWorkRecord } from '../work/job-work-record';
import type { JobRecord, JobStatus, TargetSelection } from './job';

/** The ports the job operations need from a store: the job items, and what operators do to executions. */

export type JobSummary = Pick<
  JobRecord,
  'jobArn' | 'jobId' | 'status' | 'targetSelection' | 'createdAt' | 'lastUpdatedAt' | 'completedAt'
>;

export interface JobListFilter {
  status?: JobStatus;
  targetSelection?: TargetSelection;
  /** Only jobs whose targets name this ARN. */
  target?: string;
}

export interface TargetAssociation {
  targets: string[];
  groupNames: string[];
  sources: FanOutSource[];
  comment?: string;
  now: number;
}

/**
 * UpdateJob's change of a job: the members to replace, and (a rollout rate changed while the fan-out runs) the
 * rollout's new state.
 */
export interface JobUpdate {
  changes: Pick<
    JobRecord,
    'description' | 'timeoutConfig' | 'jobExecutionsRolloutConfig' | 'abortConfig' | 'jobExecutionsRetryConfig'
  >;
  rollout?: RolloutState;
  now: number;
}

export type JobWriteOutcome =
  | { applied: true; job: JobRecord }
  /** The job's condition failed; `current` is the job as it stood then (absent if there is none). */
  | { applied: false; current?: JobRecord };

export interface JobCancellation {
  force: boolean;
  /** Names this request's cascade (a new one restarts it). */
  serial: string;
  reasonCode?: string;
  comment?: string;
  now: number;
  /**
   * Only a job not yet finished, IN_PROGRESS or SCHEDULED (an abort, a scheduled end: a job canceled meanwhile keeps
   * its own reason, and no second cascade starts).
   */
  onlyUnfinished?: boolean;
  /** Only this incarnation of the jobId (an abort decided on its counts). */
  incarnation?: string;
  /** Who cancels (an operator, an abort, a schedule): its cascade's cancels name it in the history. */
  by: Actor;
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
  /** Writes the job and its work record if its jobId is free; refused, `current` is the job that holds it. */
  createJob(job: JobRecord, work: JobWorkRecord): Promise<JobWriteOutcome>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  /** Newest first. */
  /** Newest first; only those of the status and target selection asked for. */
  listJobs(filter: JobListFilter, page: PageQuery): Promise<Page<JobSummary>>;
  /**
   * A continuous job's new target groups: the job listed under them, then its
   * targets and its work's sources grown in one transaction, which holds only
   * while the job is IN_PROGRESS at that incarnation with the targets read.
   */
  associateTargets(job: JobRecord, change: TargetAssociation): Promise<JobWriteOutcome>;
  /**
   * UpdateJob: only while the job is IN_PROGRESS at this incarnation; the rollout state goes to its work record in the
   * same transaction.
   */
  updateJob(job: JobRecord, update: JobUpdate): Promise<JobWriteOutcome>;
  /**
   * IN_PROGRESS or CANCELED -> CANCELED, recording why, and its cascade asked for (one transaction); applied, `job` is
   * the job as read just before.
   */
  cancelJob(jobId: string, cancellation: JobCancellation): Promise<JobWriteOutcome>;
  /**
   * -> DELETION_IN_PROGRESS, from COMPLETED, CANCELED or DELETION_IN_PROGRESS, or from IN_PROGRESS too with force, and
   * its cascade asked for (one transaction); applied, `job` as for cancelJob.
   */
  startJobDeletion(jobId: string, deletion: { force: boolean; serial: string; now: number }): Promise<JobWriteOutcome>;
}

/** Executions as operators act on them: a job's fan-out, lists, cancels and deletes. */
export interface ExecutionAdminStore {
  /**
   * A page of the job's executions, listed from an index that holds fewer attributes than the execution: without
   * retryAttempt, unless `whole` (each then read whole, at the cost of a read of each).
   */
  listExecutionsForJob(
    jobId: string,
    status: ExecutionStatus | undefined,
    page: PageQuery,
    whole?: boolean,
  ): Promise<Page<JobExecutionRecord>>;
  listExecutionsForThing(
    thingName: string,
    filter: { status?: ExecutionStatus; jobId?: string },
    page: PageQuery,
  ): Promise<Page<JobExecutionRecord>>;
  /** QUEUED -> CANCELED, or IN_PROGRESS (before its deadline) -> CANCELED with force; at expectedVersion if given. */
  cancelExecution(cancellation: ExecutionCancellation): Promise<WriteOutcome>;
  /** Deletes these executions whatever their state (their thing is deleted). */
  deleteExecutions(executions: { thingName: string; jobId: string }[]): Promise<void>;
  /** Deletes a terminal execution with that number (any, with force); `record` is the deleted item. */
  deleteExecution(deletion: ExecutionDeletion): Promise<WriteOutcome>;
}
