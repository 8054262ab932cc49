import { type ExecutionStatus, executionTimes, type JobExecutionRecord } from '../execution/execution';
import { secondsBeforeTimedOut } from '../execution/timers';
import { type ArnContext, thingArn } from '../shared/arns';
import { toFractionalSeconds } from '../shared/clock';
import type { JobRecord } from './job';
import type { JobSummary } from './store';

/** Shapes of the management API (botocore `iot`): timestamps are epoch seconds with fractions. */

const COUNT_FIELDS = {
  QUEUED: 'numberOfQueuedThings',
  IN_PROGRESS: 'numberOfInProgressThings',
  SUCCEEDED: 'numberOfSucceededThings',
  FAILED: 'numberOfFailedThings',
  REJECTED: 'numberOfRejectedThings',
  CANCELED: 'numberOfCanceledThings',
  REMOVED: 'numberOfRemovedThings',
  TIMED_OUT: 'numberOfTimedOutThings',
} as const satisfies Record<ExecutionStatus, string>;

export type JobProcessDetailsView = { processingTargets?: string[] } & Record<
  (typeof COUNT_FIELDS)[ExecutionStatus],
  number
>;

/**
 * `processing`: the targets still being fanned out (absent once every execution is written; AWS: null once rolled out).
 */
export function toJobProcessDetails(
  job: Pick<JobRecord, 'executionCounts'>,
  processing: string[] | undefined,
): JobProcessDetailsView {
  const counts = Object.fromEntries(
    Object.entries(COUNT_FIELDS).map(([status, field]) => [
      field,
      Math.max(0, job.executionCounts?.[status as ExecutionStatus] ?? 0),
    ]),
  ) as Record<(typeof COUNT_FIELDS)[ExecutionStatus], number>;
  return { ...(processing ? { processingTargets: processing } : {}), ...counts };
}

/** `rollouts`: the next openings of its maintenance windows (AWS's scheduledJobRollouts). */
export function toJobView(job: JobRecord, processing: string[] | undefined, rollouts?: number[]) {
  return {
    jobArn: job.jobArn,
    jobId: job.jobId,
    targetSelection: job.targetSelection ?? 'SNAPSHOT',
    status: job.status,
    ...(job.forceCanceled !== undefined ? { forceCanceled: job.forceCanceled } : {}),
    ...(job.reasonCode !== undefined ? { reasonCode: job.reasonCode } : {}),
    ...(job.comment !== undefined ? { comment: job.comment } : {}),
    targets: job.targets,
    ...(job.description !== undefined ? { description: job.description } : {}),
    createdAt: toFractionalSeconds(job.createdAt),
    lastUpdatedAt: toFractionalSeconds(job.lastUpdatedAt),
    ...(job.completedAt !== undefined ? { completedAt: toFractionalSeconds(job.completedAt) } : {}),
    jobProcessDetails: toJobProcessDetails(job, processing),
    ...(job.timeoutConfig ? { timeoutConfig: job.timeoutConfig } : {}),
    ...(job.jobExecutionsRolloutConfig ? { jobExecutionsRolloutConfig: job.jobExecutionsRolloutConfig } : {}),
    ...(job.abortConfig ? { abortConfig: job.abortConfig } : {}),
    ...(job.jobExecutionsRetryConfig ? { jobExecutionsRetryConfig: job.jobExecutionsRetryConfig } : {}),
    ...(job.schedulingConfig ? { schedulingConfig: job.schedulingConfig } : {}),
    ...(job.presignedUrlConfig ? { presignedUrlConfig: job.presignedUrlConfig } : {}),
    ...(job.jobTemplateArn ? { jobTemplateArn: job.jobTemplateArn } : {}),
    ...(job.documentParameters ? { documentParameters: job.documentParameters } : {}),
    ...(rollouts?.length
      ? { scheduledJobRollouts: rollouts.map((at) => ({ startTime: new Date(at).toISOString().slice(0, 16) })) }
      : {}),
  };
}

export function toJobSummaryView(job: JobSummary) {
  return {
    jobArn: job.jobArn,
    jobId: job.jobId,
    targetSelection: job.targetSelection ?? 'SNAPSHOT',
    status: job.status,
    createdAt: toFractionalSeconds(job.createdAt),
    lastUpdatedAt: toFractionalSeconds(job.lastUpdatedAt),
    ...(job.completedAt !== undefined ? { completedAt: toFractionalSeconds(job.completedAt) } : {}),
  };
}

export function toManagementExecutionView(record: JobExecutionRecord, arns: ArnContext, now: number) {
  const secondsLeft = secondsBeforeTimedOut(record, now);
  return {
    jobId: record.jobId,
    status: record.status,
    ...(record.forceCanceled !== undefined ? { forceCanceled: record.forceCanceled } : {}),
    ...(record.statusDetails ? { statusDetails: { detailsMap: record.statusDetails } } : {}),
    thingArn: thingArn(arns, record.thingName),
    ...executionTimes(record, toFractionalSeconds),
    executionNumber: record.executionNumber,
    versionNumber: record.versionNumber,
    ...(secondsLeft !== undefined ? { approximateSecondsBeforeTimedOut: secondsLeft } : {}),
  };
}

export function toExecutionSummary(record: JobExecutionRecord) {
  return {
    status: record.status,
    ...executionTimes(record, toFractionalSeconds),
    executionNumber: record.executionNumber,
    // Shown for the executions of jobs with retries (AWS: how many retry attempts came before this one).
    ...(record.retryAttempt !== undefined ? { retryAttempt: record.retryAttempt } : {}),
  };
}
