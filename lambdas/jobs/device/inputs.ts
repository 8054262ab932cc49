import type { DeviceReportableStatus, StatusDetails } from '../execution/execution';
import type { RequestOrigin } from '../shared/actor';
import type { DeviceCaller } from './device-authorization';

/** The device operations' inputs, validated (api/requests parses them). */

/** The jobId that names a thing's next pending execution. */
export const NEXT_JOB_ID = '$next';

export interface GetPendingInput extends DeviceCaller, RequestOrigin {
  thingName: string;
}

export interface StartNextInput extends DeviceCaller, RequestOrigin {
  thingName: string;
  statusDetails?: StatusDetails;
  stepTimeoutInMinutes?: number;
}

export interface DescribeInput extends DeviceCaller, RequestOrigin {
  thingName: string;
  /** A job ID, or NEXT_JOB_ID for the thing's next pending execution. */
  jobId: string;
  includeJobDocument: boolean;
  executionNumber?: number;
}

export interface UpdateInput extends DeviceCaller, RequestOrigin {
  thingName: string;
  jobId: string;
  status: DeviceReportableStatus;
  statusDetails?: StatusDetails;
  /** -1 removes the step timer. */
  stepTimeoutInMinutes?: number;
  expectedVersion?: number;
  executionNumber?: number;
  includeJobExecutionState: boolean;
  includeJobDocument: boolean;
}
