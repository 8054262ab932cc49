import type { JobExecutionRecord } from '../jobs/execution/execution';
import type { DeviceUpdateCommand, ExpiredExecution, StartCommand } from '../jobs/execution/store';
import { STOPPED_TIMERS } from '../jobs/execution/timers';
import type { ExecutionCancellation, ExecutionDeletion } from '../jobs/management/store';
import { SERVICE_ACTOR, TIMER_ACTOR } from '../jobs/shared/actor';
import { toExecutionItem } from './items';
import {
  addAssumptions,
  CONDITION,
  Conditions,
  conditionalDelete,
  conditionalUpdate,
  PENDING_VALUES,
  transitionExpression,
} from './table/expressions';
import { keys } from './table/keys';
import type { DeleteParams, PutParams, UpdateParams } from './table/table-params';

/**
 * The parameters of every write to an execution item, built without sending
 * anything, so a test can read the exact request. Each state change is one
 * conditional write; the clauses say which states it may leave.
 */

/** QUEUED -> IN_PROGRESS, only if still QUEUED at the version read. */
export function startParams(record: JobExecutionRecord, command: StartCommand): UpdateParams {
  const { now: at, statusDetails, timers, actor } = command;
  const update = transitionExpression({
    thingName: record.thingName,
    status: 'IN_PROGRESS',
    at,
    statusDetails,
    timers,
    actor,
  });
  const conditions = new Conditions().add(CONDITION.queuedAsRead, {
    ':queued': 'QUEUED',
    ':readVersion': record.versionNumber,
  });
  return conditionalUpdate(keys.execution(record.thingName, record.jobId), update, conditions);
}

/**
 * A device's update: only while pending and before the deadline, at the versions and on the assumptions the command
 * states.
 */
export function deviceUpdateParams(command: DeviceUpdateCommand): UpdateParams {
  const { thingName, status, now: at, statusDetails, timers, actor } = command;
  const update = transitionExpression({ thingName, status, at, statusDetails, timers, actor });
  const conditions = new Conditions()
    .add(CONDITION.exists)
    .add(CONDITION.pending, PENDING_VALUES)
    .add(CONDITION.beforeDeadline, { ':now': command.now });
  if (command.expectedVersion !== undefined)
    conditions.add(CONDITION.expectedVersion, { ':expectedVersion': command.expectedVersion });
  if (command.basisVersion !== undefined)
    conditions.add(CONDITION.basisVersion, { ':basisVersion': command.basisVersion });
  if (command.executionNumber !== undefined)
    conditions.add(CONDITION.executionNumber, { ':executionNumber': command.executionNumber });
  addAssumptions(conditions, command.assumes);
  return conditionalUpdate(keys.execution(command.thingName, command.jobId), update, conditions);
}

/** IN_PROGRESS -> TIMED_OUT, only if still IN_PROGRESS with the deadline that expired. */
export function timeOutParams(execution: ExpiredExecution): UpdateParams {
  const update = transitionExpression({
    thingName: execution.thingName,
    status: 'TIMED_OUT',
    // It timed out at its deadline, whenever this write happens.
    at: execution.deadlineAt,
    timers: STOPPED_TIMERS,
    // Which of its timers ran out, the history reads from the image before (the deadline that equals this one).
    actor: TIMER_ACTOR,
  });
  const conditions = new Conditions().add(CONDITION.runningPastDeadline, {
    ':inProgress': 'IN_PROGRESS',
    ':deadline': execution.deadlineAt,
  });
  return conditionalUpdate(keys.execution(execution.thingName, execution.jobId), update, conditions);
}

/** Pending -> REMOVED: an execution whose job is gone, so that it never blocks its thing's queue. */
export function removeOrphanParams(execution: JobExecutionRecord, now: number): UpdateParams {
  const update = transitionExpression({
    thingName: execution.thingName,
    status: 'REMOVED',
    at: now,
    timers: STOPPED_TIMERS,
    actor: SERVICE_ACTOR,
  });
  const conditions = new Conditions()
    .add(CONDITION.pending, PENDING_VALUES)
    .add(CONDITION.ofIncarnation, { ':incarnation': execution.jobIncarnation });
  return conditionalUpdate(keys.execution(execution.thingName, execution.jobId), update, conditions);
}

/** QUEUED -> CANCELED; with force, IN_PROGRESS (before its deadline) -> CANCELED too. */
export function cancelParams(cancellation: ExecutionCancellation): UpdateParams {
  const { thingName, now: at, statusDetails, force, actor } = cancellation;
  const update = transitionExpression({
    thingName,
    status: 'CANCELED',
    at,
    statusDetails,
    timers: STOPPED_TIMERS,
    actor,
    also: { forceCanceled: force },
  });
  const conditions = cancellation.force
    ? new Conditions().add(CONDITION.queuedOrRunning, { ...PENDING_VALUES, ':now': cancellation.now })
    : new Conditions().add(CONDITION.queued, { ':queued': 'QUEUED' });
  if (cancellation.expectedVersion !== undefined)
    conditions.add(CONDITION.expectedVersion, { ':expectedVersion': cancellation.expectedVersion });
  if (cancellation.jobIncarnation !== undefined)
    conditions.add(CONDITION.ofIncarnation, { ':incarnation': cancellation.jobIncarnation });
  return conditionalUpdate(keys.execution(cancellation.thingName, cancellation.jobId), update, conditions);
}

/** Deletes the execution with that number: a settled one, or any with force. */
export function deleteParams(deletion: ExecutionDeletion): DeleteParams {
  const conditions = new Conditions()
    .add(CONDITION.exists)
    .add(CONDITION.executionNumber, { ':executionNumber': deletion.executionNumber });
  if (!deletion.force) conditions.add(CONDITION.settled, { ...PENDING_VALUES, ':now': deletion.now });
  return conditionalDelete(keys.execution(deletion.thingName, deletion.jobId), conditions);
}

/**
 * A new execution, written only where none of its job is: a retried or resumed fan-out never resets one that moved on.
 */
export function createIfAbsentParams(execution: JobExecutionRecord): PutParams {
  return {
    Item: toExecutionItem(execution),
    ConditionExpression: CONDITION.notOfThisIncarnation,
    ExpressionAttributeValues: { ':incarnation': execution.jobIncarnation },
  };
}

/**
 * A fan-out's new executions, as BatchWriteItem puts: blind, so only for things no earlier write of the job can have
 * reached (see JobWork).
 */
export const fanOutPuts = (executions: JobExecutionRecord[]): { PutRequest: { Item: object } }[] =>
  executions.map((execution) => ({ PutRequest: { Item: toExecutionItem(execution) } }));
