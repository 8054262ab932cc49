import type { ExecutionStatus } from '../jobs/execution/execution';
import { keys } from './table/keys';
import type { PageKeyShape } from './table/page-token';
import { JOBS_TABLE } from './table/table-design';
import type { QueryParams } from './table/table-params';

/** The queries the stores send, built without sending anything (each names the index it reads). */

const TABLE_KEY = [JOBS_TABLE.partitionKey, JOBS_TABLE.sortKey];

/** A list filtered on status: DynamoDB filters after reading, so the list pages on. */
const statusFilter = (status: string | undefined) =>
  status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {};

/** A thing's pending executions in serving order, from the `pending` LSI. */
export function pendingQuery(thingName: string): QueryParams {
  return {
    IndexName: JOBS_TABLE.pendingIndex.name,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.thingPartition(thingName) },
    // StartNext must see the write a racing StartNext just made.
    ConsistentRead: true,
  };
}

/** One shard of the `deadlines` GSI, up to `now`, earliest first; the sweep reads what it consumed. */
export function expiredQuery(
  shard: string,
  now: number,
  limit: number,
): { params: QueryParams; deadlineAttribute: string } {
  const { partitionKey, sortKey, name } = JOBS_TABLE.deadlineIndex;
  return {
    params: {
      IndexName: name,
      KeyConditionExpression: '#shard = :shard AND #deadline <= :now',
      ExpressionAttributeNames: { '#shard': partitionKey, '#deadline': sortKey },
      ExpressionAttributeValues: { ':shard': shard, ':now': now },
      Limit: limit,
      ReturnConsumedCapacity: 'TOTAL',
    },
    deadlineAttribute: sortKey,
  };
}

/** One shard of a job's executions in the `executionsByJob` GSI, in thing-name order. */
export function shardOfJobQuery(shard: string, status: ExecutionStatus | undefined): QueryParams {
  return {
    IndexName: JOBS_TABLE.jobExecutionsIndex.name,
    KeyConditionExpression: `${JOBS_TABLE.jobExecutionsIndex.partitionKey} = :shard`,
    ExpressionAttributeValues: { ':shard': shard, ...(status ? { ':status': status } : {}) },
    ...statusFilter(status),
  };
}

/** A start key of a job's executions: in that shard of that job. */
export const shardOfJobPageKey = (jobId: string): PageKeyShape => ({
  attributes: [...TABLE_KEY, JOBS_TABLE.jobExecutionsIndex.partitionKey, JOBS_TABLE.jobExecutionsIndex.sortKey],
  fixed: (shard) => ({ [JOBS_TABLE.jobExecutionsIndex.partitionKey]: keys.allJobShards(jobId)[shard]! }),
  shardCount: JOBS_TABLE.jobExecutionsIndex.shardCount,
});

/** A thing's executions (all of them, or the one of `jobId`), from its own partition. */
export function thingExecutionsQuery(
  thingName: string,
  filter: { status?: ExecutionStatus; jobId?: string },
): QueryParams {
  const key = filter.jobId ? keys.execution(thingName, filter.jobId) : undefined;
  return {
    KeyConditionExpression: key ? 'pk = :pk AND sk = :sk' : 'pk = :pk AND begins_with(sk, :jobPrefix)',
    ExpressionAttributeValues: {
      ':pk': keys.thingPartition(thingName),
      ...(key ? { ':sk': key.sk } : { ':jobPrefix': keys.execution(thingName, '').sk }),
      ...(filter.status ? { ':status': filter.status } : {}),
    },
    ConsistentRead: true,
    ...statusFilter(filter.status),
  };
}

/** A start key of a thing's executions: in that thing's partition. */
export const thingExecutionsPageKey = (thingName: string): PageKeyShape => ({
  attributes: TABLE_KEY,
  fixed: () => ({ [JOBS_TABLE.partitionKey]: keys.thingPartition(thingName) }),
});

/** All jobs, newest first, from the `jobs` GSI. */
export function jobListQuery(status: string | undefined): QueryParams {
  const { name, partitionKey } = JOBS_TABLE.jobListIndex;
  return {
    IndexName: name,
    KeyConditionExpression: `${partitionKey} = :partition`,
    ExpressionAttributeValues: { ':partition': keys.jobListPartition, ...(status ? { ':status': status } : {}) },
    ScanIndexForward: false,
    ...statusFilter(status),
  };
}

/** A start key of the job list: in its one partition. */
export const jobListPageKey: PageKeyShape = {
  attributes: [...TABLE_KEY, JOBS_TABLE.jobListIndex.partitionKey, JOBS_TABLE.jobListIndex.sortKey],
  fixed: () => ({ [JOBS_TABLE.jobListIndex.partitionKey]: keys.jobListPartition }),
};
