import type { ExecutionStatus, StatusDetails } from '../../jobs/execution/execution';
import type { TimerAssumptions, TimerWrite } from '../../jobs/execution/timers';
import type { Actor } from '../../jobs/shared/actor';
import { keys } from './keys';
import type { DeleteParams, Item, Key, UpdateParams } from './table-params';

/**
 * Condition clauses, named for the states they guard. Every state change is
 * one conditional write built from these; nothing is read-then-written blind.
 */
export const CONDITION = {
  /** The item is there: UpdateItem would otherwise create a half-item. */
  exists: 'attribute_exists(pk)',
  /** The key is free: a jobId is taken once. */
  absent: 'attribute_not_exists(pk)',
  /**
   * No execution of this job incarnation is there: the key is free, or holds a
   * leftover of a deleted job of the same jobId. A fan-out never overwrites
   * an execution of its own job, which a device may have moved on.
   */
  notOfThisIncarnation: '(attribute_not_exists(pk) OR jobIncarnation <> :incarnation)',
  /** Of the job incarnation read: a new job of the same jobId has not replaced it. */
  ofIncarnation: 'jobIncarnation = :incarnation',
  /** QUEUED or IN_PROGRESS: terminal executions never change again. */
  pending: '#status IN (:queued, :inProgress)',
  /** Before its deadline: at or after it the execution is TIMED_OUT, written or not, and takes no device update. */
  beforeDeadline: '(attribute_not_exists(deadlineAt) OR deadlineAt > :now)',
  /** Still QUEUED at the version read: of racing StartNext calls exactly one starts it. */
  queuedAsRead: '#status = :queued AND versionNumber = :readVersion',
  /** The device's optimistic lock (expectedVersion). */
  expectedVersion: 'versionNumber = :expectedVersion',
  /** The version an exact plan was computed from: anything written since invalidates the plan. */
  basisVersion: 'versionNumber = :basisVersion',
  /** The execution the device names is the current one. */
  executionNumber: 'executionNumber = :executionNumber',
  /**
   * Still IN_PROGRESS with the deadline that expired. A device's final status,
   * a new step timer written before the deadline, or another timeout written
   * first all make a timeout miss, so a timer never overwrites any of them.
   */
  runningPastDeadline: '#status = :inProgress AND deadlineAt = :deadline',
  /** Going IN_PROGRESS starts no in-progress timer: it already runs, or its job has none. */
  noInProgressTimerToStart: '(#status = :inProgress OR attribute_not_exists(inProgressTimeoutMinutes))',
  /** No in-progress deadline before the new step deadline: the step deadline is the effective one. */
  inProgressDeadlineNotBefore:
    '(attribute_not_exists(inProgressDeadlineAt) OR inProgressDeadlineAt >= :inProgressDeadlineFloor)',
  /** No in-progress deadline: removing the step timer leaves no deadline. */
  noInProgressDeadline: 'attribute_not_exists(inProgressDeadlineAt)',
  /** QUEUED: what a cancel without force may cancel. */
  queued: '#status = :queued',
  /**
   * QUEUED, or IN_PROGRESS before its deadline: what a forced cancel may cancel (a timed-out one is TIMED_OUT already).
   */
  queuedOrRunning:
    '(#status = :queued OR (#status = :inProgress AND (attribute_not_exists(deadlineAt) OR deadlineAt > :now)))',
  /** Terminal, counting an IN_PROGRESS one past its deadline as TIMED_OUT: what may be deleted without force. */
  settled: '(NOT #status IN (:queued, :inProgress) OR (#status = :inProgress AND deadlineAt <= :now))',
  /** A job that may be canceled (again: a second cancel with force reaches IN_PROGRESS executions). */
  jobCancelable: '#status IN (:jobInProgress, :jobCanceled, :jobScheduled)',
  /** A job UpdateJob may change: running, or scheduled to. */
  jobUpdatable: '#status IN (:jobInProgress, :jobScheduled)',
  /** A job that may go to DELETION_IN_PROGRESS without force (or stay there: a deletion resumes). */
  jobDeletable: '#status IN (:jobCompleted, :jobCanceled, :jobDeleting)',
  /** Any job that exists: what a forced delete may delete. */
  jobExists: 'attribute_exists(pk)',
  /** A job still running: only it can complete (a canceled, completed or deleting job stays as it is). */
  jobInProgress: '#status = :jobInProgress',
  /** This job, not another created later under the same jobId: counts belong to one incarnation. */
  jobOfIncarnation: 'incarnation = :jobIncarnation',
} as const;

/** Attribute names that are DynamoDB reserved words, written `#name` in expressions. */
const RESERVED_NAMES: Record<string, string> = {
  '#status': 'status',
  '#comment': 'comment',
  '#owner': 'owner',
  '#cursor': 'cursor',
  '#cascade': 'cascade',
};

/** The name map the expressions need; DynamoDB refuses a map with names the expressions do not use. */
export function namesFor(...expressions: string[]) {
  const used = Object.entries(RESERVED_NAMES).filter(([alias]) =>
    expressions.some((e) => new RegExp(`${alias}\\b`).test(e)),
  );
  return used.length ? { ExpressionAttributeNames: Object.fromEntries(used) } : {};
}
export const PENDING_VALUES = { ':queued': 'QUEUED', ':inProgress': 'IN_PROGRESS' };

/** Conditions and their values, collected clause by clause. */
export class Conditions {
  private readonly clauses: string[] = [];
  readonly values: Record<string, unknown> = {};

  add(clause: string, values: Record<string, unknown> = {}): this {
    this.clauses.push(clause);
    Object.assign(this.values, values);
    return this;
  }

  get expression(): string {
    return this.clauses.join(' AND ');
  }
}

/**
 * A conditional UpdateItem's parameters, from an update expression and its conditions: what a store's params builder
 * returns.
 */
export function conditionalUpdate(
  Key: Key,
  update: { UpdateExpression: string; values: Item },
  conditions: Conditions,
): UpdateParams {
  return {
    Key,
    UpdateExpression: update.UpdateExpression,
    ConditionExpression: conditions.expression,
    ...namesFor(update.UpdateExpression, conditions.expression),
    ExpressionAttributeValues: { ...update.values, ...conditions.values },
  };
}

/** A conditional DeleteItem's parameters. */
export function conditionalDelete(Key: Key, conditions: Conditions): DeleteParams {
  return {
    Key,
    ConditionExpression: conditions.expression,
    ...namesFor(conditions.expression),
    ...(Object.keys(conditions.values).length ? { ExpressionAttributeValues: conditions.values } : {}),
  };
}

/** The clauses a device update's timer assumptions stand for. */
/**
 * A registry item deleted at the version the caller expects (DeleteThing's and DeleteThingGroup's `expectedVersion`);
 * none given, in whatever state.
 */
export function deleteAtVersion(Key: Key, expectedVersion: number | undefined): DeleteParams {
  if (expectedVersion === undefined) return { Key };
  return {
    Key,
    ConditionExpression: `${CONDITION.exists} AND version = :expectedVersion`,
    ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
  };
}

export function addAssumptions(conditions: Conditions, assumes: TimerAssumptions | undefined): void {
  if (assumes?.noInProgressTimerToStart)
    conditions.add(CONDITION.noInProgressTimerToStart, { ':inProgress': 'IN_PROGRESS' });
  if (assumes?.inProgressDeadlineNotBefore !== undefined) {
    conditions.add(CONDITION.inProgressDeadlineNotBefore, {
      ':inProgressDeadlineFloor': assumes.inProgressDeadlineNotBefore,
    });
  }
  if (assumes?.noInProgressDeadline) conditions.add(CONDITION.noInProgressDeadline);
}

export interface Transition {
  thingName: string;
  status: ExecutionStatus;
  /** The change's lastUpdatedAt: when it happened (a timeout happened at its deadline). */
  at: number;
  statusDetails?: StatusDetails;
  timers: TimerWrite;
  /** Who makes the change: written beside it, for the history. */
  actor: Actor;
  /** Other attributes the change sets. */
  also?: Record<string, unknown>;
}

const TIMER_FIELDS = ['stepDeadlineAt', 'inProgressDeadlineAt', 'deadlineAt'] as const;

/** The update expression of a state change: a new version, the timers, and the index keys that follow from both. */
export function transitionExpression(change: Transition) {
  const set = [
    '#status = :status',
    'versionNumber = versionNumber + :one',
    'lastUpdatedAt = :at',
    'changedBy = :changedBy',
  ];
  const remove: string[] = [];
  const values: Record<string, unknown> = {
    ':status': change.status,
    ':one': 1,
    ':at': change.at,
    ':changedBy': change.actor,
  };
  if (change.statusDetails) {
    set.push('statusDetails = :statusDetails');
    values[':statusDetails'] = change.statusDetails;
  }
  if (change.status === 'IN_PROGRESS') {
    set.push('startedAt = if_not_exists(startedAt, :at)', 'pendingKey = startedPendingKey');
  } else {
    // Leaving the pending set: out of the pending index.
    remove.push('pendingKey');
  }
  for (const field of TIMER_FIELDS) {
    const value = change.timers[field];
    if (value === null) remove.push(field);
    else if (value !== undefined) {
      set.push(`${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  for (const [name, value] of Object.entries(change.also ?? {})) {
    set.push(`${name} = :${name}`);
    values[`:${name}`] = value;
  }
  if (typeof change.timers.deadlineAt === 'number') {
    // Into the deadline index (items written before the index existed lack their shard).
    set.push('timerShard = :timerShard');
    values[':timerShard'] = keys.timerShard(change.thingName);
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    values,
  };
}
