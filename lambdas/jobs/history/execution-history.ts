import type { ExecutionStatus, StatusDetails } from '../execution/execution';
import type { Actor } from '../shared/actor';

/**
 * Execution history: one entry per change of an execution, worked out from
 * the item as it was before and after the change (the table's stream). AWS
 * keeps only the latest state; this keeps how it got there, and who moved it.
 */

export const HISTORY_EVENTS = [
  'CREATED',
  /** Created by a job's rollout rate, when its window let the thing have it. */
  'RELEASED',
  'STARTED',
  /** An IN_PROGRESS execution updated again (statusDetails, a step timer). */
  'PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
  'TIMED_OUT',
  'CANCELED',
  'REMOVED',
  /** The next attempt of a failed or timed-out execution (a new executionNumber). */
  'RETRIED',
  'DELETED',
] as const;
export type HistoryEvent = (typeof HISTORY_EVENTS)[number];

/** Which timer ran out, for a TIMED_OUT entry. */
export type TimerName = 'step' | 'in-progress';

export interface HistoryEntry {
  thingName: string;
  jobId: string;
  jobIncarnation: string;
  executionNumber: number;
  /** The execution's versionNumber after the change (before it, for DELETED). */
  versionNumber: number;
  event: HistoryEvent;
  /** The status after the change (the last one, for DELETED). */
  status: ExecutionStatus;
  /** The status before, when there was an execution before. */
  previousStatus?: ExecutionStatus;
  /**
   * When it happened, epoch ms: the change's lastUpdatedAt (a timeout: its deadline); a deletion: when the history read
   * it.
   */
  at: number;
  statusDetails?: StatusDetails;
  actor: Actor & { timer?: TimerName };
}

/** The attributes of an execution image the history reads. */
export interface ExecutionImage {
  thingName: string;
  jobId: string;
  jobIncarnation: string;
  status: ExecutionStatus;
  executionNumber: number;
  versionNumber: number;
  lastUpdatedAt: number;
  statusDetails?: StatusDetails;
  stepDeadlineAt?: number;
  inProgressDeadlineAt?: number;
  changedBy?: Actor;
}

export interface ExecutionImageChange {
  before?: ExecutionImage;
  after?: ExecutionImage;
}

/** The event a status reached names, when nothing else (a creation, a retry) says more. */
const EVENT_OF_STATUS: Record<ExecutionStatus, HistoryEvent> = {
  QUEUED: 'CREATED',
  IN_PROGRESS: 'STARTED',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  REJECTED: 'REJECTED',
  TIMED_OUT: 'TIMED_OUT',
  CANCELED: 'CANCELED',
  REMOVED: 'REMOVED',
};

/**
 * Items written before executions carried `changedBy`: the device for what a device may report, the service otherwise.
 */
function actorOf(image: ExecutionImage): Actor {
  if (image.changedBy) return image.changedBy;
  return ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED'].includes(image.status)
    ? { kind: 'device', name: image.thingName }
    : { kind: 'service' };
}

/** The timer whose deadline a timeout happened at: the step timer when both ran out at once. */
function timerThatRanOut(before: ExecutionImage | undefined, at: number): TimerName | undefined {
  if (!before) return undefined;
  if (before.stepDeadlineAt === at) return 'step';
  if (before.inProgressDeadlineAt === at) return 'in-progress';
  return undefined;
}

function eventOf(before: ExecutionImage | undefined, after: ExecutionImage): HistoryEvent {
  const fresh = !before || before.jobIncarnation !== after.jobIncarnation;
  if (!fresh && after.executionNumber > before!.executionNumber)
    return after.changedBy?.kind === 'retry' ? 'RETRIED' : 'CREATED';
  if (fresh || after.executionNumber !== before!.executionNumber)
    return after.changedBy?.kind === 'rollout' ? 'RELEASED' : 'CREATED';
  if (after.status === 'IN_PROGRESS' && before!.status === 'IN_PROGRESS') return 'PROGRESS';
  return EVENT_OF_STATUS[after.status];
}

/**
 * The entry of one change, or none: a write that changed no version (an
 * index key filled in) is not a change of the execution. `readAt` is when a
 * deletion is read, for its time.
 */
export function historyEntryOf(change: ExecutionImageChange, readAt: number): HistoryEntry | undefined {
  const { before, after } = change;
  if (!after) {
    if (!before) return undefined;
    return {
      ...identity(before),
      versionNumber: before.versionNumber,
      event: 'DELETED',
      status: before.status,
      previousStatus: before.status,
      at: readAt,
      // Deletions come from the management API only (DeleteJobExecution, DeleteJob, DeleteThing); the item is gone, so
      // nothing names the request.
      actor: { kind: 'operator' },
    };
  }
  const sameExecution =
    before && before.jobIncarnation === after.jobIncarnation && before.executionNumber === after.executionNumber;
  if (sameExecution && before!.versionNumber === after.versionNumber) return undefined;
  const event = eventOf(before, after);
  const timer = event === 'TIMED_OUT' ? timerThatRanOut(before, after.lastUpdatedAt) : undefined;
  return {
    ...identity(after),
    versionNumber: after.versionNumber,
    event,
    status: after.status,
    ...(sameExecution || event === 'RETRIED' ? { previousStatus: before!.status } : {}),
    at: after.lastUpdatedAt,
    ...(after.statusDetails && Object.keys(after.statusDetails).length ? { statusDetails: after.statusDetails } : {}),
    actor: { ...actorOf(after), ...(timer ? { timer } : {}) },
  };
}

const identity = (image: ExecutionImage) => ({
  thingName: image.thingName,
  jobId: image.jobId,
  jobIncarnation: image.jobIncarnation,
  executionNumber: image.executionNumber,
});

/** A history entry as the API answers it: times in epoch seconds with fractions, as the management API's. */
export function toHistoryView(entry: HistoryEntry) {
  return {
    thingName: entry.thingName,
    jobId: entry.jobId,
    executionNumber: entry.executionNumber,
    versionNumber: entry.versionNumber,
    event: entry.event,
    status: entry.status,
    ...(entry.previousStatus ? { previousStatus: entry.previousStatus } : {}),
    at: entry.at / 1000,
    ...(entry.statusDetails ? { statusDetails: entry.statusDetails } : {}),
    actor: entry.actor,
  };
}
