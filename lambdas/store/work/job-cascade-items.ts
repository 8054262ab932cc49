import { CANCEL_END_ATTRIBUTE } from '../../jobs/events/job-events';
import type { JobCascade, JobWorkRecord } from '../../jobs/work/job-work-record';
import { keys } from '../table/keys';
import type { Item, TransactParams, UpdateParams } from '../table/table-params';
import { LIST, LIST_KEY, named } from './job-work-item-mapping';

/**
 * The writes of a CancelJob's or DeleteJob's cascade on a job's work record
 * (`JOB#<job>` / `WORK`): asking for one, its progress page by page, and its
 * end, each built without sending anything.
 */

/**
 * A CancelJob's or DeleteJob's cascade asked for, beside the job's own change
 * in one transaction; it replaces one asked for before (a forced cancel after
 * a plain one, a delete after a cancel). A job from before pages gets its
 * record here.
 */
export function requestCascadeParams(jobId: string, incarnation: string, cascade: JobCascade): UpdateParams {
  return named({
    Key: keys.jobWork(jobId),
    UpdateExpression:
      `SET #cascade = :cascade, ${LIST} = :list, ${LIST_KEY} = :jobId, ` +
      `jobId = :jobId, incarnation = if_not_exists(incarnation, :incarnation)`,
    ConditionExpression: 'attribute_not_exists(pk) OR incarnation = :incarnation',
    ExpressionAttributeValues: {
      ':cascade': cascade,
      ':list': keys.workList,
      ':jobId': jobId,
      ':incarnation': incarnation,
    },
  });
}

/** Held by this owner, for the cascade it read: a second CancelJob or DeleteJob restarts it. */
const heldForCascade = (owner: string, cascade: JobCascade) => ({
  condition: '#owner = :owner AND #cascade.serial = :serial',
  values: { ':owner': owner, ':serial': cascade.serial },
});

export function cascadeProgressParams(
  work: JobWorkRecord,
  owner: string,
  page: number,
  leaseUntil: number,
  joined?: { after?: string; done: boolean },
): UpdateParams {
  const held = heldForCascade(owner, work.cascade!);
  const set = ['#cascade.page = :page', 'leaseUntil = :until'];
  const values: Item = { ...held.values, ':page': page, ':until': leaseUntil };
  if (joined) {
    set.push('#cascade.joinedDone = :joinedDone');
    values[':joinedDone'] = joined.done;
    if (joined.after !== undefined) {
      set.push('#cascade.joinedAfter = :joinedAfter');
      values[':joinedAfter'] = joined.after;
    }
  }
  return named({
    Key: keys.jobWork(work.jobId),
    UpdateExpression: `SET ${set.join(', ')}`,
    ConditionExpression: held.condition,
    ExpressionAttributeValues: values,
  });
}

/**
 * A cancel's cascade done: the fan-out is over for good (a canceled job gets no more executions), and the job says so.
 */
export function finishCancelParams(work: JobWorkRecord, owner: string): TransactParams[] {
  const held = heldForCascade(owner, work.cascade!);
  return [
    {
      Update: named({
        Key: keys.jobWork(work.jobId),
        UpdateExpression: 'SET fanOutDone = :true, confirmed = pages REMOVE #cascade',
        ConditionExpression: held.condition,
        ExpressionAttributeValues: { ...held.values, ':true': true },
      }),
    },
    {
      // The job item changes at a cancel's end even when its fan-out had long finished: that change is what the
      // `canceled` job event is read from.
      Update: named({
        Key: keys.job(work.jobId),
        UpdateExpression: `SET executionsCreated = :true, ${CANCEL_END_ATTRIBUTE} = :serial`,
        ConditionExpression: 'incarnation = :incarnation',
        ExpressionAttributeValues: { ':true': true, ':incarnation': work.incarnation, ':serial': work.cascade!.serial },
      }),
    },
  ];
}

/** A delete's end: the record and the job item, in one transaction (the pages go first, in batches). */
export function finishDeleteParams(work: JobWorkRecord, owner: string): TransactParams[] {
  const held = heldForCascade(owner, work.cascade!);
  return [
    {
      Delete: named({
        Key: keys.jobWork(work.jobId),
        ConditionExpression: held.condition,
        ExpressionAttributeValues: held.values,
      }),
    },
    {
      Delete: {
        Key: keys.job(work.jobId),
        ConditionExpression: 'incarnation = :incarnation',
        ExpressionAttributeValues: { ':incarnation': work.incarnation },
      },
    },
  ];
}

export const pageDeletes = (work: JobWorkRecord): { DeleteRequest: { Key: Record<string, string> } }[] =>
  Array.from({ length: work.pages }, (_, i) => ({ DeleteRequest: { Key: keys.targetPage(work, i + 1) } }));
