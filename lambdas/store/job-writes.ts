import type { JobRecord } from '../jobs/management/job';
import type { JobCancellation, JobUpdate, TargetAssociation } from '../jobs/management/store';
import type { Actor } from '../jobs/shared/actor';
import type { CascadeKind, JobCascade, JobWorkRecord } from '../jobs/work/job-work-record';
import { toJobItem } from './items';
import { CONDITION, Conditions, conditionalUpdate } from './table/expressions';
import { keys } from './table/keys';
import type { Item, PutParams, TransactParams, UpdateParams } from './table/table-params';
import { requestCascadeParams } from './work/job-cascade-items';
import { addSourcesParams, newWorkParams, rolloutRetunedParams } from './work/job-work-items';

/** A new job, only if its jobId is free. */
export const createJobParams = (job: JobRecord): PutParams => ({
  Item: toJobItem(job),
  ConditionExpression: CONDITION.absent,
});

/** A new job and its work record (where its fan-out stands), only if its jobId is free. */
export const createJobTransaction = (job: JobRecord, work: JobWorkRecord): TransactParams[] => [
  { Put: createJobParams(job) },
  { Put: newWorkParams(work) },
];

/**
 * A continuous job's targets grown: the job (still IN_PROGRESS, that
 * incarnation, the targets as read) shows the new ones and that its fan-out
 * runs again; its work record gets their member lists as sources, back in
 * the list of work to do.
 */
export function associateTargetsTransaction(job: JobRecord, change: TargetAssociation): TransactParams[] {
  const jobUpdate = conditionalUpdate(
    keys.job(job.jobId),
    {
      UpdateExpression:
        `SET targets = list_append(targets, :targets), executionsCreated = :false, lastUpdatedAt = :now` +
        `${change.comment !== undefined ? ', #comment = :comment' : ''}`,
      values: {
        ':targets': change.targets,
        ':false': false,
        ':now': change.now,
        ...(change.comment !== undefined ? { ':comment': change.comment } : {}),
      },
    },
    new Conditions()
      .add(CONDITION.jobInProgress, { ':jobInProgress': 'IN_PROGRESS' })
      .add(CONDITION.jobOfIncarnation, { ':jobIncarnation': job.incarnation })
      .add('size(targets) = :targetCount', { ':targetCount': job.targets.length }),
  );
  return [{ Update: jobUpdate }, { Update: addSourcesParams(job, change.sources) }];
}

/**
 * UpdateJob in one transaction: the members given set on the job, only while
 * it is IN_PROGRESS at this incarnation; and with a new rollout state, that
 * state on its work record (un-parked, so the next tick finds it), only while
 * no cascade is asked for.
 */
export function updateJobTransaction(job: JobRecord, update: JobUpdate): TransactParams[] {
  const entries = Object.entries(update.changes).filter(([, value]) => value !== undefined);
  const names = Object.fromEntries(entries.map(([name], i) => [`#m${i}`, name]));
  const jobUpdate = conditionalUpdate(
    keys.job(job.jobId),
    {
      UpdateExpression: `SET ${[...entries.map((_, i) => `#m${i} = :m${i}`), 'lastUpdatedAt = :now'].join(', ')}`,
      values: { ...Object.fromEntries(entries.map(([, value], i) => [`:m${i}`, value])), ':now': update.now },
    },
    new Conditions()
      .add(CONDITION.jobUpdatable, { ':jobInProgress': 'IN_PROGRESS', ':jobScheduled': 'SCHEDULED' })
      .add(CONDITION.jobOfIncarnation, { ':jobIncarnation': job.incarnation }),
  );
  const withNames = { ...jobUpdate, ExpressionAttributeNames: { ...jobUpdate.ExpressionAttributeNames, ...names } };
  return [{ Update: withNames }, ...(update.rollout ? [{ Update: rolloutRetunedParams(job, update.rollout) }] : [])];
}

/** SCHEDULED -> IN_PROGRESS at its startTime. */
export const startScheduledParams = (job: JobRecord, now: number): UpdateParams =>
  conditionalUpdate(
    keys.job(job.jobId),
    {
      UpdateExpression: 'SET #status = :inProgress, lastUpdatedAt = :now',
      values: { ':inProgress': 'IN_PROGRESS', ':now': now },
    },
    new Conditions()
      .add('#status = :scheduled', { ':scheduled': 'SCHEDULED' })
      .add(CONDITION.jobOfIncarnation, { ':jobIncarnation': job.incarnation }),
  );

/** The cascade a cancel or delete of this incarnation asks for. */
const cascadeOf = (kind: CascadeKind, force: boolean, serial: string, by?: Actor): JobCascade => ({
  kind,
  force,
  serial,
  page: 0,
  ...(by ? { by } : {}),
});

/**
 * IN_PROGRESS or CANCELED -> CANCELED, with why (a forced cancel stays forced), and the cascade that cancels its
 * executions, in one transaction.
 */
export function cancelJobTransaction(job: JobRecord, cancellation: JobCancellation): TransactParams[] {
  const update = cancelJobParams(job.jobId, cancellation);
  return [
    { Update: withIncarnation(update, job.incarnation) },
    {
      Update: requestCascadeParams(
        job.jobId,
        job.incarnation,
        cascadeOf('cancel', cancellation.force, cancellation.serial, cancellation.by),
      ),
    },
  ];
}

/** -> DELETION_IN_PROGRESS, and the cascade that deletes its executions and then the job, in one transaction. */
export function deleteJobTransaction(
  job: JobRecord,
  deletion: { force: boolean; serial: string; now: number },
): TransactParams[] {
  return [
    { Update: withIncarnation(startDeletionParams(job.jobId, deletion.force, deletion.now), job.incarnation) },
    { Update: requestCascadeParams(job.jobId, job.incarnation, cascadeOf('delete', deletion.force, deletion.serial)) },
  ];
}

/** The same write, only to the incarnation read (the job was not deleted and created again in between). */
const withIncarnation = (params: UpdateParams, incarnation: string): UpdateParams => ({
  ...params,
  ConditionExpression: `(${params.ConditionExpression}) AND incarnation = :jobIncarnation`,
  ExpressionAttributeValues: { ...params.ExpressionAttributeValues, ':jobIncarnation': incarnation },
});

/**
 * IN_PROGRESS, SCHEDULED or CANCELED (an abort or a scheduled end: not CANCELED) -> CANCELED, with why; a forced cancel
 * stays forced.
 */
export function cancelJobParams(jobId: string, cancellation: Omit<JobCancellation, 'serial'>): UpdateParams {
  const set = ['#status = :canceled', 'lastUpdatedAt = :now'];
  const values: Item = { ':canceled': 'CANCELED', ':now': cancellation.now };
  // A forced cancel stays forced: a later cancel without force does not undo it.
  set.push(cancellation.force ? 'forceCanceled = :true' : 'forceCanceled = if_not_exists(forceCanceled, :false)');
  values[cancellation.force ? ':true' : ':false'] = cancellation.force;
  if (cancellation.reasonCode !== undefined) {
    set.push('reasonCode = :reasonCode');
    values[':reasonCode'] = cancellation.reasonCode;
  }
  if (cancellation.comment !== undefined) {
    set.push('#comment = :comment');
    values[':comment'] = cancellation.comment;
  }
  const conditions = cancellation.onlyUnfinished
    ? new Conditions().add(CONDITION.jobUpdatable, { ':jobInProgress': 'IN_PROGRESS', ':jobScheduled': 'SCHEDULED' })
    : new Conditions().add(CONDITION.jobCancelable, {
        ':jobInProgress': 'IN_PROGRESS',
        ':jobCanceled': 'CANCELED',
        ':jobScheduled': 'SCHEDULED',
      });
  return conditionalUpdate(keys.job(jobId), { UpdateExpression: `SET ${set.join(', ')}`, values }, conditions);
}

/** -> DELETION_IN_PROGRESS: from a finished job (or one being deleted), or from any with force. */
export function startDeletionParams(jobId: string, force: boolean, now: number): UpdateParams {
  const conditions = force
    ? new Conditions().add(CONDITION.jobExists)
    : new Conditions().add(CONDITION.jobDeletable, {
        ':jobCompleted': 'COMPLETED',
        ':jobCanceled': 'CANCELED',
        ':jobDeleting': 'DELETION_IN_PROGRESS',
      });
  const update = {
    UpdateExpression: 'SET #status = :deleting, lastUpdatedAt = :now',
    values: { ':deleting': 'DELETION_IN_PROGRESS', ':now': now },
  };
  return conditionalUpdate(keys.job(jobId), update, conditions);
}
