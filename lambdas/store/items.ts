import { pendingOrderKey, isPending, type JobExecutionRecord } from '../jobs/execution/execution';
import type { JobRecord } from '../jobs/management/job';
import { effectiveDeadline } from '../jobs/execution/timers';
import { JOBS_TABLE } from './table/table-design';

const THING_PREFIX = 'THING#';
const JOB_PREFIX = 'JOB#';

/** FNV-1a: a stable, even spread of things over an index's shards. */
function shardOf(thingName: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < thingName.length; i++) hash = Math.imul(hash ^ thingName.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shardCount;
}

const twoDigits = (n: number) => String(n).padStart(2, '0');
/** Job creation times sort as text. */
const sortableTime = (ms: number) => String(ms).padStart(15, '0');
const JOB_LIST_PARTITION = 'JOBS';

/** Key builders: the only place that knows how items are addressed. */
export const keys = {
  thingPartition: (thingName: string) => `${THING_PREFIX}${thingName}`,
  execution: (thingName: string, jobId: string) => ({ pk: `${THING_PREFIX}${thingName}`, sk: `${JOB_PREFIX}${jobId}` }),
  job: (jobId: string) => ({ pk: `${JOB_PREFIX}${jobId}`, sk: 'JOB' }),
  /** The deadline-index partition an execution's timer lives in; all of a thing's timers share one. */
  timerShard: (thingName: string) => twoDigits(shardOf(thingName, JOBS_TABLE.deadlineIndex.shardCount)),
  allTimerShards: () => Array.from({ length: JOBS_TABLE.deadlineIndex.shardCount }, (_, i) => twoDigits(i)),
  /** The executionsByJob partition an execution sits in. */
  jobShard: (jobId: string, thingName: string) => `${jobId}#${twoDigits(shardOf(thingName, JOBS_TABLE.jobExecutionsIndex.shardCount))}`,
  allJobShards: (jobId: string) => Array.from({ length: JOBS_TABLE.jobExecutionsIndex.shardCount }, (_, i) => `${jobId}#${twoDigits(i)}`),
  jobListPartition: JOB_LIST_PARTITION,
  /** A device certificate's binding to its thing, by the certificate's SHA-256 fingerprint. */
  certificate: (fingerprint: string) => ({ pk: `CERT#${fingerprint}`, sk: 'CERT' }),
};

/** The thing and job an execution item's key names. */
export function parseExecutionKey(key: { pk: string; sk: string }): { thingName: string; jobId: string } {
  return { thingName: key.pk.slice(THING_PREFIX.length), jobId: key.sk.slice(JOB_PREFIX.length) };
}

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
    ...(isPending(record.status) ? { pendingKey: pendingOrderKey(record.status as 'QUEUED' | 'IN_PROGRESS', record.queuedAt, record.jobId) } : {}),
    startedPendingKey: pendingOrderKey('IN_PROGRESS', record.queuedAt, record.jobId),
    ...(deadlineAt !== undefined ? { deadlineAt } : {}),
    timerShard: keys.timerShard(record.thingName),
    jobShard: keys.jobShard(record.jobId, record.thingName),
  };
}

export function fromExecutionItem(item: Record<string, unknown>): JobExecutionRecord {
  const { pk: _pk, sk: _sk, pendingKey: _pending, startedPendingKey: _started, deadlineAt: _deadline, timerShard: _shard, jobShard: _jobShard, ...record } = item;
  return record as unknown as JobExecutionRecord;
}

export function toJobItem(job: JobRecord): JobItem {
  return { ...keys.job(job.jobId), ...job, jobListPartition: JOB_LIST_PARTITION, jobListKey: `${sortableTime(job.createdAt)}#${job.jobId}` };
}

const COUNT_PREFIX = 'count_';

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
