import type { PresignedUrlConfig } from '../documents/presigned-urls';
import type { ExecutionStatus, JobExecutionRecord } from '../execution/execution';
import type { AbortConfig } from '../rollout/abort';
import type { RolloutConfig } from '../rollout/release-rate';
import { type RetryConfig, retryLimitsOf } from '../rollout/retry';
import type { SchedulingConfig } from '../rollout/schedule';
import { type Actor, operatorActor, type RequestOrigin, ROLLOUT_ACTOR } from '../shared/actor';
import { type ArnContext, jobArn } from '../shared/arns';

/** The model's job statuses: a job with a schedulingConfig startTime is SCHEDULED until then. */
export const JOB_STATUSES = ['IN_PROGRESS', 'CANCELED', 'COMPLETED', 'DELETION_IN_PROGRESS', 'SCHEDULED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * SNAPSHOT: the things targeted when the job was created. CONTINUOUS: those too, and every thing added to a target
 * group later (a thing that leaves has its QUEUED execution REMOVED).
 */
export const TARGET_SELECTIONS = ['SNAPSHOT', 'CONTINUOUS'] as const;
export type TargetSelection = (typeof TARGET_SELECTIONS)[number];

export interface TimeoutConfig {
  inProgressTimeoutInMinutes?: number;
}

export interface JobRecord {
  jobId: string;
  /** New for every CreateJob: a job deleted and created again under the same ID is a different job. */
  incarnation: string;
  jobArn: string;
  status: JobStatus;
  document: string;
  /** The S3 URL the document was read from when the job was created (DescribeJob shows it). */
  documentSource?: string;
  description?: string;
  targets: string[];
  /** Absent on jobs stored before continuous jobs: SNAPSHOT. */
  targetSelection?: TargetSelection;
  /**
   * Jobs created before the fan-out kept pages of things: the things their
   * executions were made for, when their targets named thing groups. Read
   * only (their cascades), never written now.
   */
  targetThings?: string[];
  timeoutConfig?: TimeoutConfig;
  /** How many things get their execution per minute; absent: all at once. */
  jobExecutionsRolloutConfig?: RolloutConfig;
  /** When enough of the things that ran it failed, the job is canceled (as CancelJob without force). */
  abortConfig?: AbortConfig;
  /** A failed or timed-out execution with retries left is followed by a new QUEUED one. */
  jobExecutionsRetryConfig?: RetryConfig;
  /** When the rollout starts and ends, and the windows it releases in. */
  schedulingConfig?: SchedulingConfig;
  /** Whose role presigns the document's S3 URLs for devices, and for how long. */
  presignedUrlConfig?: PresignedUrlConfig;
  /** The template it was made from. */
  jobTemplateArn?: string;
  /** The values a managed template's document was made with (already in its document). */
  documentParameters?: Record<string, string>;
  createdAt: number;
  lastUpdatedAt: number;
  /**
   * False until every target's execution is written (or the fan-out stopped for good: canceled); a crash mid-fan-out
   * stays visible.
   */
  executionsCreated: boolean;
  /** Set by CancelJob. */
  forceCanceled?: boolean;
  reasonCode?: string;
  comment?: string;
  completedAt?: number;
  /** Executions per status, kept by the counts aggregator from the table's stream (eventually consistent). */
  executionCounts?: Partial<Record<ExecutionStatus | 'RETRYING_FAILED' | 'RETRYING_TIMED_OUT', number>>;
  /** Goes up with every write of the counts: a recount writes only if none came between its read and its write. */
  countsRevision?: number;
  /** When the counts last changed (service clock, ms). */
  countsUpdatedAt?: number;
  /** Who created it, and in which request: what its fan-out's executions name in the history. */
  createdBy?: Actor;
}

export interface CreateJobInput {
  jobId: string;
  targets: string[];
  /** Thing names parsed from targets, deduplicated, in the order given. */
  thingNames: string[];
  /** Thing group names parsed from targets, deduplicated, in the order given. */
  groupNames: string[];
  /** SNAPSHOT if not given. */
  targetSelection?: TargetSelection;
  /** Empty while documentSource (or the template) is still to give it. */
  document: string;
  /** Where the document is to be read from (S3), when it is not given. */
  documentSource?: string;
  description?: string;
  timeoutConfig?: TimeoutConfig;
  jobExecutionsRolloutConfig?: RolloutConfig;
  abortConfig?: AbortConfig;
  jobExecutionsRetryConfig?: RetryConfig;
  schedulingConfig?: SchedulingConfig;
  presignedUrlConfig?: PresignedUrlConfig;
  /** Made from this template: its document (the request gives none) and configs. */
  jobTemplateArn?: string;
  /** With an AWS managed template: the values of its document's `${aws:iot:parameter:KEY}`. */
  documentParameters?: Record<string, string>;
  /** The request and its signer. */
  origin?: RequestOrigin;
}

export function newJob(input: CreateJobInput, ctx: ArnContext, incarnation: string, now: number): JobRecord {
  return {
    jobId: input.jobId,
    incarnation,
    jobArn: jobArn(ctx, input.jobId),
    status: input.schedulingConfig?.startTime !== undefined ? 'SCHEDULED' : 'IN_PROGRESS',
    document: input.document,
    ...(input.documentSource !== undefined ? { documentSource: input.documentSource } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    targets: input.targets,
    targetSelection: input.targetSelection ?? 'SNAPSHOT',
    ...(input.timeoutConfig ? { timeoutConfig: input.timeoutConfig } : {}),
    ...(input.jobExecutionsRolloutConfig ? { jobExecutionsRolloutConfig: input.jobExecutionsRolloutConfig } : {}),
    ...(input.abortConfig ? { abortConfig: input.abortConfig } : {}),
    ...(input.jobExecutionsRetryConfig ? { jobExecutionsRetryConfig: input.jobExecutionsRetryConfig } : {}),
    ...(input.schedulingConfig ? { schedulingConfig: input.schedulingConfig } : {}),
    ...(input.presignedUrlConfig ? { presignedUrlConfig: input.presignedUrlConfig } : {}),
    ...(input.jobTemplateArn ? { jobTemplateArn: input.jobTemplateArn } : {}),
    ...(input.documentParameters ? { documentParameters: input.documentParameters } : {}),
    createdAt: now,
    lastUpdatedAt: now,
    executionsCreated: false,
    ...(input.origin ? { createdBy: operatorActor(input.origin) } : {}),
  };
}

/** The most targets AssociateTargetsWithJob lets a continuous job have (AWS). */
export const MAX_CONTINUOUS_TARGETS = 100;

/**
 * A continuous job runs until it is canceled: it never completes, and it gives an execution to each thing that joins a
 * target group.
 */
export const isContinuous = (job: Pick<JobRecord, 'targetSelection'>): boolean => job.targetSelection === 'CONTINUOUS';

/** A thing's first execution of a job, queued at `queuedAt` (the job's creation, or when a rollout released it). */
export function newExecution(job: JobRecord, thingName: string, queuedAt = job.createdAt): JobExecutionRecord {
  return {
    thingName,
    jobId: job.jobId,
    jobIncarnation: job.incarnation,
    status: 'QUEUED',
    queuedAt,
    lastUpdatedAt: queuedAt,
    versionNumber: 1,
    executionNumber: 1,
    ...(job.timeoutConfig?.inProgressTimeoutInMinutes !== undefined
      ? { inProgressTimeoutMinutes: job.timeoutConfig.inProgressTimeoutInMinutes }
      : {}),
    ...(job.jobExecutionsRetryConfig
      ? { retryLimits: retryLimitsOf(job.jobExecutionsRetryConfig), retryAttempt: 0 }
      : {}),
    // Written by the fan-out of an operator's CreateJob (or AssociateTargetsWithJob); with a rollout rate, released by
    // it.
    changedBy: job.jobExecutionsRolloutConfig ? ROLLOUT_ACTOR : (job.createdBy ?? { kind: 'operator' }),
  };
}
