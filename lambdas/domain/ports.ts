import type { JobExecutionRecord, PendingStatus, StatusDetails } from './execution';
import type { JobRecord } from './job';

/** What a device's update asks the store to do, already validated. */
export interface DeviceUpdateCommand {
  thingName: string;
  jobId: string;
  status: PendingStatus | 'SUCCEEDED' | 'FAILED' | 'REJECTED';
  statusDetails?: StatusDetails;
  /** A new step deadline (epoch ms), or 'clear' to remove it; absent keeps the current one. */
  stepDeadline?: number | 'clear';
  expectedVersion?: number;
  executionNumber?: number;
  now: number;
}

export interface StartCommand {
  statusDetails?: StatusDetails;
  stepDeadlineAt?: number;
  now: number;
}

export type StartOutcome =
  | { started: true; record: JobExecutionRecord }
  /** Someone else changed the execution first; `current` is how it stands now (absent if gone). */
  | { started: false; current?: JobExecutionRecord };

/** Executions of a thing. Every method touches only that thing's partition. */
export interface ExecutionStore {
  /** All pending executions of a thing in serving order (IN_PROGRESS first, then QUEUED). */
  listPending(thingName: string): Promise<JobExecutionRecord[]>;
  /** The first of listPending, read with one item. */
  findNextPending(thingName: string): Promise<JobExecutionRecord | undefined>;
  get(thingName: string, jobId: string): Promise<JobExecutionRecord | undefined>;
  /** QUEUED -> IN_PROGRESS, only if the execution is still exactly as read. */
  start(record: JobExecutionRecord, command: StartCommand): Promise<StartOutcome>;
  /** One conditional write; a rejected update throws the domain error that explains it. */
  applyDeviceUpdate(command: DeviceUpdateCommand): Promise<JobExecutionRecord>;
}

export interface JobDocumentSource {
  /** The immutable document of that incarnation of the job. */
  getDocument(jobId: string, jobIncarnation: string): Promise<string>;
}

export interface JobStore {
  /** Writes the job, then its executions; throws ResourceAlreadyExistsException for a taken jobId. */
  createJob(job: JobRecord, executions: JobExecutionRecord[]): Promise<void>;
}
