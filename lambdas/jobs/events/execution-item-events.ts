import type { ExecutionStatus } from '../execution/execution';
import { thingArn } from '../shared/arns';
import {
  type EventContext,
  EXECUTION_EVENT_DETAIL_TYPE,
  type ExecutionEventPayload,
  type ExecutionImage,
  type ExecutionOperation,
  headerOf,
  type ItemChange,
  type JobEvent,
} from './job-events';

/** The outcome event each terminal status is; the pending ones (QUEUED, IN_PROGRESS) have none. */
const OUTCOMES: Partial<Record<ExecutionStatus, ExecutionOperation>> = {
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  REJECTED: 'rejected',
  CANCELED: 'canceled',
  TIMED_OUT: 'timed_out',
  REMOVED: 'removed',
};

function executionOperationOf(
  before: ExecutionImage | undefined,
  after: ExecutionImage | undefined,
): ExecutionOperation | undefined {
  // DeleteJobExecution, or a delete cascade: each execution deleted is an event of its own (AWS).
  if (!after) return before ? 'deleted' : undefined;
  // A new job of the same jobId wrote over an earlier one's execution: not one execution moving on.
  if (before && before.jobIncarnation !== after.jobIncarnation) return undefined;
  // Pending, which a retry's next attempt (QUEUED, written over the failure it follows) is too.
  const outcome = OUTCOMES[after.status];
  if (!outcome) return undefined;
  // Already that outcome of that attempt: not a new one.
  if (before && before.status === after.status && before.executionNumber === after.executionNumber) return undefined;
  return outcome;
}

/** The job execution event of one change of an execution item, if it is one. */
export function executionEventOf(change: ItemChange<ExecutionImage>, context: EventContext): JobEvent | undefined {
  const operation = executionOperationOf(change.before, change.after);
  if (!operation) return undefined;
  const execution = (change.after ?? change.before)!;
  const payload: ExecutionEventPayload = {
    eventType: 'JOB_EXECUTION',
    ...headerOf(change, operation, context),
    jobId: execution.jobId,
    thingArn: thingArn(context.arns, execution.thingName),
    status: execution.status,
    ...(execution.statusDetails !== undefined ? { statusDetails: execution.statusDetails } : {}),
  };
  return {
    detailType: EXECUTION_EVENT_DETAIL_TYPE,
    topic: `$aws/events/jobExecution/${execution.jobId}/${operation}`,
    operation,
    payload,
  };
}
