/**
 * The execution state machine: its statuses, which are pending and which
 * terminal, and the order a thing's pending executions are served in. Its
 * transitions are the store's conditional writes (store/table/expressions.ts
 * names the states each guards); its clocks are in timers.ts.
 */
import type { Actor } from '../shared/actor';

export const EXECUTION_STATUSES = [
  'QUEUED',
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'REJECTED',
  'REMOVED',
  'CANCELED',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const PENDING_STATUSES = ['QUEUED', 'IN_PROGRESS'] as const satisfies readonly ExecutionStatus[];
export type PendingStatus = (typeof PENDING_STATUSES)[number];

/** The statuses a device may report; the others belong to the service (timers, cancels). */
export const DEVICE_REPORTABLE_STATUSES = [
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
] as const satisfies readonly ExecutionStatus[];
export type DeviceReportableStatus = (typeof DEVICE_REPORTABLE_STATUSES)[number];

export type StatusDetails = Record<string, string>;

/** One execution of one job on one thing, as stored. Times are epoch milliseconds. */
/** Retries allowed, per failure type (or ALL for any), copied from the job's retry config (see rollout/retry.ts). */
export type RetryLimits = Partial<Record<'FAILED' | 'TIMED_OUT' | 'ALL', number>>;
/** Retries used so far, per failure that caused them. */
export type RetriesUsed = Partial<Record<'FAILED' | 'TIMED_OUT', number>>;

export interface JobExecutionRecord {
  thingName: string;
  jobId: string;
  /** Identifies the job incarnation this execution belongs to (guards the document cache). */
  jobIncarnation: string;
  status: ExecutionStatus;
  statusDetails?: StatusDetails;
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  versionNumber: number;
  executionNumber: number;
  /** The job's timeoutConfig.inProgressTimeoutInMinutes, copied at creation (a job's timeout never changes). */
  inProgressTimeoutMinutes?: number;
  /** Fixed when the execution first goes IN_PROGRESS, if its job has an in-progress timeout. */
  inProgressDeadlineAt?: number;
  /** Set by stepTimeoutInMinutes; each new step timer replaces it. */
  stepDeadlineAt?: number;
  /** Canceled by CancelJob or CancelJobExecution with force=true. */
  forceCanceled?: boolean;
  /** The job's retries (jobExecutionsRetryConfig), copied at creation. */
  retryLimits?: RetryLimits;
  /** Retries of this job on this thing so far, per failure that caused them. */
  retriesUsed?: RetriesUsed;
  /** Retries so far: 0 for the first attempt (AWS's retryAttempt). */
  retryAttempt?: number;
  /** Who made its latest change (the history reads it off the stream); absent on items written before the history. */
  changedBy?: Actor;
}

export const isPending = (status: ExecutionStatus): status is PendingStatus =>
  (PENDING_STATUSES as readonly string[]).includes(status);

export const isTerminal = (status: ExecutionStatus): boolean => !isPending(status);

/**
 * Order in which a thing's pending executions are served: every IN_PROGRESS
 * one before any QUEUED one, each group in the order its jobs were created:
 * by queuedAt to the millisecond, then by the job incarnation (made in
 * creation order), never by jobId. Stored as a sortable string so one index
 * query returns them in this order.
 *
 * Keys written before this order (`<rank>#<seconds, 12 digits>#<jobId>`)
 * still sort right: within a rank they come before every newer key, which
 * their executions, queued earlier, do.
 */
export function pendingOrderKey(
  status: PendingStatus,
  queuedAtMs: number,
  jobIncarnation: string,
  jobId: string,
): string {
  const rank = status === 'IN_PROGRESS' ? '1' : '2';
  return `${rank}#${String(queuedAtMs).padStart(15, '0')}#${jobIncarnation}#${jobId}`;
}

/**
 * The execution's times in a view's unit: whole seconds on the device API, seconds with fractions on the management
 * API.
 */
export function executionTimes(record: JobExecutionRecord, toSeconds: (ms: number) => number) {
  return {
    queuedAt: toSeconds(record.queuedAt),
    ...(record.startedAt !== undefined ? { startedAt: toSeconds(record.startedAt) } : {}),
    lastUpdatedAt: toSeconds(record.lastUpdatedAt),
  };
}
