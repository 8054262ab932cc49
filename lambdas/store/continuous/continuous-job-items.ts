import type { JobExecutionRecord } from '../../jobs/execution/execution';
import { STOPPED_TIMERS } from '../../jobs/execution/timers';
import { targetGroupsOf } from '../../jobs/fleet/continuous-jobs';
import type { JobRecord } from '../../jobs/management/job';
import { GROUP_ACTOR } from '../../jobs/shared/actor';
import type { JobRef } from '../../jobs/shared/ports';
import { jobInProgressCheck, toExecutionItem } from '../items';
import { CONDITION, Conditions, conditionalUpdate, transitionExpression } from '../table/expressions';
import { keys } from '../table/keys';
import type { Item, QueryParams, TransactParams, UpdateParams } from '../table/table-params';

/**
 * The items a continuous job adds, and each request on them, built without
 * sending anything:
 * - `CONTINUOUS#<group>` / `JOB#<job>#<incarnation>`: the job listed under
 *   each group it targets, where a membership change of that group (or of
 *   one below it) finds it;
 * - `JOB#<job>` / `TARGETS#<incarnation>#J#<thing>`: a thing that got its
 *   execution by joining later, beside the fan-out's pages, so a cascade
 *   reaches it.
 */

export const continuousTargetItem = (groupName: string, job: JobRef): Item => ({
  ...keys.continuousTarget(groupName, job),
  jobId: job.jobId,
  incarnation: job.incarnation,
  thingGroupName: groupName,
});

/**
 * The job listed under each of its target groups (or those of `groupNames`): blind puts, written before the job itself
 * so that no joiner is missed.
 */
export const continuousTargetPuts = (
  job: JobRecord,
  groupNames: readonly string[] = targetGroupsOf(job),
): { PutRequest: { Item: Item } }[] =>
  groupNames.map((groupName) => ({ PutRequest: { Item: continuousTargetItem(groupName, job) } }));

export const continuousTargetDeletes = (
  job: JobRef,
  groupNames: readonly string[],
): { DeleteRequest: { Key: Record<string, string> } }[] =>
  groupNames.map((groupName) => ({ DeleteRequest: { Key: keys.continuousTarget(groupName, job) } }));

/** The job incarnations listed under one group (read strongly: a job listed a moment ago must be found). */
export const jobsTargetingQuery = (groupName: string): QueryParams => ({
  KeyConditionExpression: 'pk = :pk',
  ExpressionAttributeValues: { ':pk': keys.continuousTargetsOf(groupName) },
  ProjectionExpression: 'jobId, incarnation',
  ConsistentRead: true,
});

/**
 * A joiner's execution and its target entry, in one transaction: only while
 * the job is IN_PROGRESS at this incarnation (a CancelJob or DeleteJob
 * changes the job first, so its cascade meets every entry written before),
 * the thing is registered (a DeleteThing deletes the thing before its
 * executions), and the execution is as read: none of this incarnation, or
 * the REMOVED one being queued again.
 */
export function addExecutionParams(
  job: JobRecord,
  execution: JobExecutionRecord,
  replacing: JobExecutionRecord | undefined,
): TransactParams[] {
  const put = replacing
    ? {
        Item: toExecutionItem(execution),
        ConditionExpression: `${CONDITION.ofIncarnation} AND #status = :removed AND executionNumber = :executionNumber`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':incarnation': job.incarnation,
          ':removed': 'REMOVED',
          ':executionNumber': replacing.executionNumber,
        },
      }
    : {
        Item: toExecutionItem(execution),
        ConditionExpression: CONDITION.notOfThisIncarnation,
        ExpressionAttributeValues: { ':incarnation': job.incarnation },
      };
  return [
    jobInProgressCheck(job.jobId, job.incarnation),
    { ConditionCheck: { Key: keys.thing(execution.thingName), ConditionExpression: CONDITION.exists } },
    { Put: put },
    {
      Put: {
        Item: { ...keys.joinedTarget(job, execution.thingName), jobId: job.jobId, things: [execution.thingName] },
      },
    },
  ];
}

/**
 * QUEUED -> REMOVED: the thing left the job's groups before it started; only while still QUEUED and of that
 * incarnation.
 */
export function removeQueuedParams(job: JobRef, thingName: string, now: number): UpdateParams {
  const update = transitionExpression({
    thingName,
    status: 'REMOVED',
    at: now,
    timers: STOPPED_TIMERS,
    actor: GROUP_ACTOR,
  });
  const conditions = new Conditions()
    .add(CONDITION.queued, { ':queued': 'QUEUED' })
    .add(CONDITION.ofIncarnation, { ':incarnation': job.incarnation });
  return conditionalUpdate(keys.execution(thingName, job.jobId), update, conditions);
}

/**
 * The things that joined a job incarnation later, by name, after `after` (read strongly: a cascade must meet each one).
 */
export const joinedTargetsQuery = (job: JobRef): QueryParams => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :joined)',
  ExpressionAttributeValues: { ':pk': keys.job(job.jobId).pk, ':joined': keys.joinedTargetsOf(job.incarnation) },
  ProjectionExpression: 'pk, sk, things',
  ConsistentRead: true,
});
