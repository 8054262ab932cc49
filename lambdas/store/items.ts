/** How executions and jobs are stored as items: the record plus its keys and index attributes, and back. */
import { isPending, type JobExecutionRecord, pendingOrderKey } from '../jobs/execution/execution';
import { effectiveDeadline } from '../jobs/execution/timers';
import type { JobRecord } from '../jobs/management/job';
import { CONDITION } from './table/expressions';
import { keys } from './table/keys';
import type { TransactParams } from './table/table-params';

export type ExecutionItem = JobExecutionRecord & {
  pk: string;
  sk: string;
  /** Present only while pending: the sort key of the `pending` LSI. */
  pendingKey?: string;
  /** The pendingKey this execution takes once IN_PROGRESS, kept so an update can set it without reading queuedAt. */
  startedPendingKey: string;
  /** Present only while a timer runs: the effective deadline, sort key of the `deadlines` GSI. */
  deadlineAt?: number;
  /** Partition key of the `deadlines` GSI. */
  timerShard: string;
  /** Partition key of the `executionsByJob` GSI (its sort key is thingName). */
  jobShard: string;
};

export type JobItem = JobRecord & { pk: string; sk: string; jobListPartition: string; jobListKey: string };

export function toExecutionItem(record: JobExecutionRecord): ExecutionItem {
  const deadlineAt = effectiveDeadline(record);
  return {
    ...keys.execution(record.thingName, record.jobId),
    ...record,
    ...(isPending(record.status)
      ? {
          pendingKey: pendingOrderKey(
            record.status as 'QUEUED' | 'IN_PROGRESS',
            record.queuedAt,
            record.jobIncarnation,
            record.jobId,
          ),
        }
      : {}),
    startedPendingKey: pendingOrderKey('IN_PROGRESS', record.queuedAt, record.jobIncarnation, record.jobId),
    ...(deadlineAt !== undefined ? { deadlineAt } : {}),
    timerShard: keys.timerShard(record.thingName),
    jobShard: keys.jobShard(record.jobId, record.thingName),
  };
}

export function fromExecutionItem(item: Record<string, unknown>): JobExecutionRecord {
  const {
    pk: _pk,
    sk: _sk,
    pendingKey: _pending,
    startedPendingKey: _started,
    deadlineAt: _deadline,
    timerShard: _shard,
    jobShard: _jobShard,
    ...record
  } = item;
  return record as unknown as JobExecutionRecord;
}

export function toJobItem(job: JobRecord): JobItem {
  return {
    ...keys.job(job.jobId),
    ...job,
    jobListPartition: keys.jobListPartition,
    jobListKey: keys.jobListKey(job.createdAt, job.jobId),
  };
}

const COUNT_PREFIX = 'count_';

/** The job item's attribute that counts its executions in one status (kept by the counts aggregator). */
export const countAttribute = (status: string): string => `${COUNT_PREFIX}${status}`;

/** A job item as the domain sees it; the aggregator's `count_<STATUS>` attributes become executionCounts. */
export function fromJobItem(item: Record<string, unknown>): JobRecord {
  const { pk: _pk, sk: _sk, jobListPartition: _partition, jobListKey: _key, ...rest } = item;
  const job: Record<string, unknown> = {};
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(rest)) {
    if (name.startsWith(COUNT_PREFIX)) counts[name.slice(COUNT_PREFIX.length)] = value as number;
    else job[name] = value;
  }
  return { ...(job as unknown as JobRecord), ...(Object.keys(counts).length ? { executionCounts: counts } : {}) };
}

/**
 * In a transaction: the job is IN_PROGRESS at this incarnation (a canceled, finished or deleted job takes no more
 * executions).
 */
export const jobInProgressCheck = (jobId: string, incarnation: string): TransactParams => ({
  ConditionCheck: {
    Key: keys.job(jobId),
    ConditionExpression: `${CONDITION.jobInProgress} AND ${CONDITION.jobOfIncarnation}`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':jobInProgress': 'IN_PROGRESS', ':jobIncarnation': incarnation },
  },
});
