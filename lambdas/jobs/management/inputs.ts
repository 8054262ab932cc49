import type { ExecutionStatus, StatusDetails } from '../execution/execution';
import type { RequestOrigin } from '../shared/actor';
import type { PageQuery } from '../shared/ports';
import type { JobRecord, JobStatus, TargetSelection } from './job';

/** The job operations' inputs, validated (api/requests parses them). */

export interface JobIdInput {
  jobId: string;
}

export interface ListJobsInput extends PageQuery {
  status?: JobStatus;
  targetSelection?: TargetSelection;
  /** Only the jobs that target this group (by name). */
  thingGroupName?: string;
}

export interface AssociateTargetsInput {
  jobId: string;
  /** Thing group ARNs, deduplicated, in the order given. */
  targets: string[];
  /** The groups they name, in the same order. */
  groupNames: string[];
  comment?: string;
}

export interface CancelJobInput {
  jobId: string;
  force: boolean;
  reasonCode?: string;
  comment?: string;
  /** The request and its signer: the cascade's cancels name them in the history. */
  origin?: RequestOrigin;
}

export interface DeleteJobInput {
  jobId: string;
  force: boolean;
}

export interface ListExecutionsForJobInput extends PageQuery {
  jobId: string;
  status?: ExecutionStatus;
}

export interface ListExecutionsForThingInput extends PageQuery {
  thingName: string;
  status?: ExecutionStatus;
  jobId?: string;
}

export interface ExecutionKeyInput {
  thingName: string;
  jobId: string;
  executionNumber?: number;
}

export interface CancelExecutionInput {
  thingName: string;
  jobId: string;
  force: boolean;
  expectedVersion?: number;
  statusDetails?: StatusDetails;
  origin?: RequestOrigin;
}

export interface DeleteExecutionInput {
  thingName: string;
  jobId: string;
  executionNumber: number;
  force: boolean;
}

/** UpdateJob: the members given replace the job's; the rest stay as they are. */
export interface UpdateJobInput {
  jobId: string;
  description?: string;
  timeoutConfig?: JobRecord['timeoutConfig'];
  jobExecutionsRolloutConfig?: JobRecord['jobExecutionsRolloutConfig'];
  abortConfig?: JobRecord['abortConfig'];
  jobExecutionsRetryConfig?: JobRecord['jobExecutionsRetryConfig'];
}
