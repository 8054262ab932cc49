import { toEpochSeconds } from '../shared/clock';
import type { ExecutionStatus, JobExecutionRecord, StatusDetails } from '../execution/execution';
import { secondsBeforeTimedOut } from '../execution/timers';

/** Shapes of the device API (botocore `iot-jobs-data`): timestamps are whole epoch seconds. */

/** JobExecutionState of the device API: what a device needs to resync. */
export interface ExecutionStateView {
  status: ExecutionStatus;
  statusDetails?: StatusDetails;
  versionNumber: number;
}

export interface ExecutionSummaryView {
  jobId: string;
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  versionNumber: number;
  executionNumber: number;
}

export interface ExecutionView extends ExecutionSummaryView {
  thingName: string;
  status: ExecutionStatus;
  statusDetails?: StatusDetails;
  approximateSecondsBeforeTimedOut?: number;
  jobDocument?: string;
}

export function toExecutionState(record: JobExecutionRecord): ExecutionStateView {
  return {
    status: record.status,
    ...(record.statusDetails ? { statusDetails: record.statusDetails } : {}),
    versionNumber: record.versionNumber,
  };
}

export function toSummaryView(record: JobExecutionRecord): ExecutionSummaryView {
  return {
    jobId: record.jobId,
    queuedAt: toEpochSeconds(record.queuedAt),
    ...(record.startedAt !== undefined ? { startedAt: toEpochSeconds(record.startedAt) } : {}),
    lastUpdatedAt: toEpochSeconds(record.lastUpdatedAt),
    versionNumber: record.versionNumber,
    executionNumber: record.executionNumber,
  };
}

export function toExecutionView(record: JobExecutionRecord, nowMs: number, jobDocument?: string): ExecutionView {
  const secondsLeft = secondsBeforeTimedOut(record, nowMs);
  return {
    jobId: record.jobId,
    thingName: record.thingName,
    status: record.status,
    ...(record.statusDetails ? { statusDetails: record.statusDetails } : {}),
    queuedAt: toEpochSeconds(record.queuedAt),
    ...(record.startedAt !== undefined ? { startedAt: toEpochSeconds(record.startedAt) } : {}),
    lastUpdatedAt: toEpochSeconds(record.lastUpdatedAt),
    ...(secondsLeft !== undefined ? { approximateSecondsBeforeTimedOut: secondsLeft } : {}),
    versionNumber: record.versionNumber,
    executionNumber: record.executionNumber,
    ...(jobDocument !== undefined ? { jobDocument } : {}),
  };
}
