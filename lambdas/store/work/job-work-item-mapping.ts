import type { RolloutState } from '../../jobs/rollout/release-rate';
import type { FanOutCursor, JobCascade, JobWorkRecord } from '../../jobs/work/job-work-record';
import { namesFor } from '../table/expressions';
import { keys } from '../table/keys';
import { JOBS_TABLE } from '../table/table-design';
import type { Item } from '../table/table-params';

/**
 * A job's work record and its item (`JOB#<job>` / `WORK`), both ways. While work is left the item is listed in the
 * registry index's `WORK` list. The request of each write: job-work-items.ts and job-cascade-items.ts.
 */

export const { name: INDEX, partitionKey: LIST, sortKey: LIST_KEY } = JOBS_TABLE.registryIndex;

/** The attribute-name map of the reserved words the expressions use (owner, cursor, cascade). */
export const named = <
  T extends {
    UpdateExpression?: string;
    ConditionExpression?: string;
    FilterExpression?: string;
    ProjectionExpression?: string;
  },
>(
  params: T,
): T => ({
  ...params,
  ...namesFor(
    params.UpdateExpression ?? '',
    params.ConditionExpression ?? '',
    params.FilterExpression ?? '',
    params.ProjectionExpression ?? '',
  ),
});

export function toWorkItem(work: JobWorkRecord): Item {
  const { cascade, owner, leaseUntil, ...rest } = work;
  return {
    ...keys.jobWork(work.jobId),
    ...rest,
    ...(cascade ? { cascade } : {}),
    ...(owner !== undefined ? { owner, leaseUntil } : {}),
    [LIST]: keys.workList,
    [LIST_KEY]: work.jobId,
  };
}

/**
 * A record from its item; one a CancelJob or DeleteJob made for a job from before pages has no sources: its targets are
 * its one page.
 */
export function fromWorkItem(item: Item): JobWorkRecord {
  return {
    jobId: item.jobId as string,
    incarnation: item.incarnation as string,
    ...(item.sources ? { sources: item.sources as JobWorkRecord['sources'] } : {}),
    ...(item.continuous === true ? { continuous: true } : {}),
    requireRegistered: (item.requireRegistered as boolean | undefined) ?? false,
    snapshotAt: (item.snapshotAt as number | undefined) ?? 0,
    cursor: (item.cursor as FanOutCursor | undefined) ?? { source: 0, position: 0 },
    pages: (item.pages as number | undefined) ?? 0,
    confirmed: (item.confirmed as number | undefined) ?? 0,
    targetCount: (item.targetCount as number | undefined) ?? 0,
    fanOutDone: (item.fanOutDone as boolean | undefined) ?? true,
    ...(item.cascade ? { cascade: item.cascade as JobCascade } : {}),
    ...(item.rollout ? { rollout: item.rollout as RolloutState } : {}),
    ...(item.releaseAt !== undefined ? { releaseAt: item.releaseAt as number } : {}),
    ...(item.owner !== undefined ? { owner: item.owner as string, leaseUntil: item.leaseUntil as number } : {}),
  };
}
