import type { RolloutState } from '../../jobs/rollout/release-rate';
import type { JobRef } from '../../jobs/shared/ports';
import type { FanOutCursor, FanOutSource, JobWorkRecord } from '../../jobs/work/job-work-record';
import { keys } from '../table/keys';
import type { PutParams, QueryParams, TransactParams, UpdateParams } from '../table/table-params';
import { INDEX, LIST, LIST_KEY, named, toWorkItem } from './job-work-item-mapping';

/**
 * A job's work record (`JOB#<job>` / `WORK`) and its pages of things
 * (`JOB#<job>` / `TARGETS#<n>`), and the request of each of their writes,
 * built without sending anything. While work is left the record sits in the
 * registry index's `WORK` list, where the sweeper finds workers that died.
 *
 * The record's item itself, both ways, and the index that lists it: job-work-item-mapping.ts.
 */

/**
 * The record of a new job, beside its job item in CreateJob's transaction (which holds only while the jobId is free: a
 * record left of an earlier job of that ID is replaced).
 */
export const newWorkParams = (work: JobWorkRecord): PutParams => ({ Item: toWorkItem(work) });

/** The lease: taken if the work is left and nobody holds it (or the holder's lease ran out, or `breakLease`). */
export function claimParams(
  jobId: string,
  owner: string,
  leaseUntil: number,
  now: number,
  breakLease: boolean,
): UpdateParams {
  return named({
    Key: keys.jobWork(jobId),
    UpdateExpression: 'SET #owner = :owner, leaseUntil = :until',
    ConditionExpression:
      `attribute_exists(${LIST})` + `${breakLease ? '' : ' AND (attribute_not_exists(#owner) OR leaseUntil < :now)'}`,
    ExpressionAttributeValues: { ':owner': owner, ':until': leaseUntil, ...(breakLease ? {} : { ':now': now }) },
  });
}

/** Held by this owner, with the pages as it read them: nobody else moved the fan-out on. */
const heldAt = (owner: string, pages: number) => ({
  condition: '#owner = :owner AND pages = :pages',
  values: { ':owner': owner, ':pages': pages },
});

/**
 * A page of things and the fan-out's step past them (with the pages done so
 * far confirmed, and a rollout's release of them counted), in one
 * transaction; only while no cascade is asked for (a cancel or delete stops
 * the fan-out). The page is the release: a worker that dies after it redoes
 * the page, never releases it twice.
 */
export function addPageParams(
  work: JobWorkRecord,
  owner: string,
  things: string[],
  cursor: FanOutCursor,
  leaseUntil: number,
  confirmed: number,
  rollout?: RolloutState,
): TransactParams[] {
  const held = heldAt(owner, work.pages);
  return [
    {
      Put: {
        Item: { ...keys.targetPage(work, work.pages + 1), jobId: work.jobId, things },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: named({
        Key: keys.jobWork(work.jobId),
        UpdateExpression:
          `SET pages = :next, confirmed = :confirmed, #cursor = :cursor, ` +
          `targetCount = targetCount + :count, leaseUntil = :until${rollout ? ', rollout = :rollout' : ''}`,
        ConditionExpression: `${held.condition} AND attribute_not_exists(#cascade)`,
        ExpressionAttributeValues: {
          ...held.values,
          ':next': work.pages + 1,
          ':confirmed': confirmed,
          ':cursor': cursor,
          ':count': things.length,
          ':until': leaseUntil,
          ...(rollout ? { ':rollout': rollout } : {}),
        },
      }),
    },
  ];
}

/** Every page's executions written: a worker that takes over has nothing to redo. */
export function confirmParams(work: JobWorkRecord, owner: string, leaseUntil: number): UpdateParams {
  const held = heldAt(owner, work.pages);
  return named({
    Key: keys.jobWork(work.jobId),
    UpdateExpression: 'SET confirmed = :pages, leaseUntil = :until',
    ConditionExpression: held.condition,
    ExpressionAttributeValues: { ...held.values, ':until': leaseUntil },
  });
}

/**
 * The job has all its executions: set on the job item too (the counts aggregator then may complete it), in one
 * transaction.
 */
export function finishFanOutParams(work: JobWorkRecord, owner: string): TransactParams[] {
  const held = heldAt(owner, work.pages);
  return [
    {
      Update: named({
        Key: keys.jobWork(work.jobId),
        UpdateExpression: 'SET fanOutDone = :true, confirmed = :pages, #cursor = :cursor',
        // Sources added since the worker read the record (AssociateTargetsWithJob) are not read yet: the fan-out goes
        // on.
        ConditionExpression:
          `${held.condition} AND attribute_not_exists(#cascade)` +
          `${work.sources ? ' AND size(sources) = :sourceCount' : ''}`,
        ExpressionAttributeValues: {
          ...held.values,
          ':true': true,
          ':cursor': work.cursor,
          ...(work.sources ? { ':sourceCount': work.sources.length } : {}),
        },
      }),
    },
    executionsCreatedUpdate(work),
  ];
}

export const executionsCreatedUpdate = (work: JobWorkRecord): TransactParams => ({
  Update: named({
    Key: keys.job(work.jobId),
    UpdateExpression: 'SET executionsCreated = :true',
    ConditionExpression: 'incarnation = :incarnation',
    ExpressionAttributeValues: { ':true': true, ':incarnation': work.incarnation },
  }),
});

/** The lease let go; with `ifIdle`, only when nothing is left (then out of the WORK list too). */
export function releaseParams(jobId: string, owner: string, ifIdle: boolean): UpdateParams {
  return named({
    Key: keys.jobWork(jobId),
    UpdateExpression: `REMOVE #owner, leaseUntil${ifIdle ? `, ${LIST}, ${LIST_KEY}` : ''}`,
    ConditionExpression: `#owner = :owner${ifIdle ? ' AND fanOutDone = :true AND attribute_not_exists(#cascade)' : ''}`,
    ExpressionAttributeValues: { ':owner': owner, ...(ifIdle ? { ':true': true } : {}) },
  });
}

/**
 * A rollout's state after UpdateJob changed its rate: set only on that incarnation's record with no cascade asked for,
 * and un-parked.
 */
export function rolloutRetunedParams(job: JobRef, rollout: RolloutState): UpdateParams {
  return named({
    Key: keys.jobWork(job.jobId),
    UpdateExpression: 'SET rollout = :rollout REMOVE releaseAt',
    ConditionExpression: 'incarnation = :incarnation AND attribute_not_exists(#cascade)',
    ExpressionAttributeValues: { ':rollout': rollout, ':incarnation': job.incarnation },
  });
}

/** The lease let go until a rollout's next window (service time): the resume schedule skips the work until then. */
export function parkParams(jobId: string, owner: string, releaseAt: number): UpdateParams {
  return named({
    Key: keys.jobWork(jobId),
    UpdateExpression: 'SET releaseAt = :at REMOVE #owner, leaseUntil',
    ConditionExpression: '#owner = :owner',
    ExpressionAttributeValues: { ':owner': owner, ':at': releaseAt },
  });
}

/**
 * More sources for the fan-out (AssociateTargetsWithJob), which runs again: back in the list of work to do; never
 * during a cascade.
 */
export function addSourcesParams(job: JobRef, sources: FanOutSource[]): UpdateParams {
  return named({
    Key: keys.jobWork(job.jobId),
    UpdateExpression:
      `SET sources = list_append(sources, :sources), ` +
      `fanOutDone = :false, ` +
      `${LIST} = :list, ${LIST_KEY} = :jobId`,
    ConditionExpression: 'incarnation = :incarnation AND attribute_exists(sources) AND attribute_not_exists(#cascade)',
    ExpressionAttributeValues: {
      ':sources': sources,
      ':false': false,
      ':list': keys.workList,
      ':jobId': job.jobId,
      ':incarnation': job.incarnation,
    },
  });
}

/** A job's pages, in order (consistent: the pages are the truth of who may have an execution). */
export const pagesQuery = (job: JobRef): QueryParams => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pages)',
  ExpressionAttributeValues: { ':pk': keys.job(job.jobId).pk, ':pages': keys.targetPagesOf(job.incarnation) },
  ProjectionExpression: 'things',
  ConsistentRead: true,
});

/**
 * Work left with no live lease (its worker died, its queue message was lost,
 * or a rollout's next window has opened), as of `now` on the lease clock and
 * `serviceNow` on the service clock. A parked rollout waits for its window,
 * unless a cancel or delete came since.
 */
export const stalledQuery = (now: number, serviceNow: number): QueryParams =>
  named({
    IndexName: INDEX,
    KeyConditionExpression: `${LIST} = :list`,
    FilterExpression:
      '(attribute_not_exists(#owner) OR leaseUntil < :now) ' +
      'AND (attribute_not_exists(releaseAt) OR releaseAt <= :serviceNow OR attribute_exists(#cascade))',
    ExpressionAttributeValues: { ':list': keys.workList, ':now': now, ':serviceNow': serviceNow },
    ProjectionExpression: 'jobId',
  });
