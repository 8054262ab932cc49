import {
  type ExecutionStatus,
  executionTimes,
  type JobExecutionRecord,
  type StatusDetails,
} from '../execution/execution';
import { secondsBeforeTimedOut } from '../execution/timers';
import { toEpochSeconds } from '../shared/clock';

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
    ...executionTimes(record, toEpochSeconds),
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
    ...executionTimes(record, toEpochSeconds),
    ...(secondsLeft !== undefined ? { approximateSecondsBeforeTimedOut: secondsLeft } : {}),
    versionNumber: record.versionNumber,
    executionNumber: record.executionNumber,
    ...(jobDocument !== undefined ? { jobDocument } : {}),
  };
}
