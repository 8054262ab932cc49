import type { Actor } from '../shared/actor';
import type { JobExecutionRecord, PendingStatus, StatusDetails } from './execution';
import type { StepTimerRequest, TimerAssumptions, TimerWrite } from './timers';

/** The ports the execution rules need from a store: a thing's executions, and the deadline index. */

/** What a device's update asks the store to write, already validated and planned. */
export interface DeviceUpdateCommand {
  thingName: string;
  jobId: string;
  status: PendingStatus | 'SUCCEEDED' | 'FAILED' | 'REJECTED';
  statusDetails?: StatusDetails;
  timers: TimerWrite;
  /** What the timer write took for granted about the stored execution (a plan made without reading it). */
  assumes?: TimerAssumptions;
  /**
   * The step timer the device asked for (minutes, `clear` for -1), if it asked: what a retry of this update would set.
   */
  stepTimer?: StepTimerRequest;
  /** The version the plan was computed from (a plan made from a read): the write applies only to that version. */
  basisVersion?: number;
  expectedVersion?: number;
  executionNumber?: number;
  now: number;
  /** The device, and its request. */
  actor: Actor;
}

export interface StartCommand {
  statusDetails?: StatusDetails;
  timers: TimerWrite;
  now: number;
  /** The device, and its request. */
  actor: Actor;
}

export type WriteOutcome =
  | { applied: true; record: JobExecutionRecord }
  /** The write's condition failed; `current` is the execution as it stood then (absent if there is none). */
  | { applied: false; current?: JobExecutionRecord };

/** Executions of a thing. Every method touches only that thing's partition. */
export interface ExecutionStore {
  /** All pending executions of a thing in serving order (IN_PROGRESS first, then QUEUED). */
  listPending(thingName: string): Promise<JobExecutionRecord[]>;
  /** The first of listPending, read with one item. */
  findNextPending(thingName: string): Promise<JobExecutionRecord | undefined>;
  get(thingName: string, jobId: string): Promise<JobExecutionRecord | undefined>;
  /** QUEUED -> IN_PROGRESS, only if the execution is still exactly as read. */
  start(record: JobExecutionRecord, command: StartCommand): Promise<WriteOutcome>;
  /**
   * One conditional write: applies only while the execution is pending, has
   * not reached its deadline at `command.now`, and meets the command's
   * expectedVersion, executionNumber, basisVersion and timer assumptions.
   */
  applyDeviceUpdate(command: DeviceUpdateCommand): Promise<WriteOutcome>;
  /** IN_PROGRESS -> TIMED_OUT, only if it is still IN_PROGRESS with exactly this deadline. */
  timeOut(execution: ExpiredExecution): Promise<WriteOutcome>;
  /**
   * Pending -> REMOVED, for an execution whose job is gone: only while it is still pending and of that job incarnation.
   */
  removeOrphan(execution: JobExecutionRecord, now: number): Promise<WriteOutcome>;
}

/** An execution whose effective deadline has passed, as the timer index knows it. */
export interface ExpiredExecution {
  thingName: string;
  jobId: string;
  deadlineAt: number;
}

export interface ExpiredPage {
  executions: ExpiredExecution[];
  /** Where the next page starts; absent on the last page. */
  cursor?: unknown;
  /** Read capacity the query consumed, when the store reports it. */
  readCapacityUnits?: number;
}

/** The deadline index: only executions with a running timer are in it. */
export interface TimerIndex {
  /** The index's partitions; each is queried on its own, in parallel. */
  readonly shards: readonly string[];
  /** Executions in one shard whose deadline is at or before `now`, earliest first. */
  findExpired(shard: string, now: number, limit: number, cursor?: unknown): Promise<ExpiredPage>;
  timeOut(execution: ExpiredExecution): Promise<WriteOutcome>;
}

/** An operator's cancel of one execution (CancelJobExecution, or a CancelJob's cascade). */
export interface ExecutionCancellation {
  thingName: string;
  jobId: string;
  /** Only an execution of this job incarnation (a cascade of its job); any, when absent. */
  jobIncarnation?: string;
  force: boolean;
  expectedVersion?: number;
  statusDetails?: StatusDetails;
  now: number;
  /** The operator and its request; a cascade's cancel: whoever asked for the cascade. */
  actor: Actor;
}
