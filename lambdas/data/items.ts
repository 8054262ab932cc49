import { pendingOrderKey, isPending, type JobExecutionRecord } from '../domain/execution';
import type { JobRecord } from '../domain/job';
import { effectiveDeadline } from '../domain/timers';
import { JOBS_TABLE } from './table-design';

const THING_PREFIX = 'THING#';
const JOB_PREFIX = 'JOB#';

/** FNV-1a: a stable, even spread of things over the deadline index's shards. */
function shardOf(thingName: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < thingName.length; i++) hash = Math.imul(hash ^ thingName.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % JOBS_TABLE.deadlineIndex.shardCount;
}

/** Key builders: the only place that knows how items are addressed. */
export const keys = {
  thingPartition: (thingName: string) => `${THING_PREFIX}${thingName}`,
  execution: (thingName: string, jobId: string) => ({ pk: `${THING_PREFIX}${thingName}`, sk: `${JOB_PREFIX}${jobId}` }),
  job: (jobId: string) => ({ pk: `${JOB_PREFIX}${jobId}`, sk: 'JOB' }),
  /** The deadline-index partition an execution's timer lives in; all of a thing's timers share one. */
  timerShard: (thingName: string) => String(shardOf(thingName)).padStart(2, '0'),
  allTimerShards: () => Array.from({ length: JOBS_TABLE.deadlineIndex.shardCount }, (_, i) => String(i).padStart(2, '0')),
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
};

export type JobItem = JobRecord & { pk: string; sk: string };

export function toExecutionItem(record: JobExecutionRecord): ExecutionItem {
  const deadlineAt = effectiveDeadline(record);
  return {
    ...keys.execution(record.thingName, record.jobId),
    ...record,
    ...(isPending(record.status) ? { pendingKey: pendingOrderKey(record.status as 'QUEUED' | 'IN_PROGRESS', record.queuedAt, record.jobId) } : {}),
    startedPendingKey: pendingOrderKey('IN_PROGRESS', record.queuedAt, record.jobId),
    ...(deadlineAt !== undefined ? { deadlineAt } : {}),
    timerShard: keys.timerShard(record.thingName),
  };
}

export function fromExecutionItem(item: Record<string, unknown>): JobExecutionRecord {
  const { pk: _pk, sk: _sk, pendingKey: _pending, startedPendingKey: _started, deadlineAt: _deadline, timerShard: _shard, ...record } = item;
  return record as unknown as JobExecutionRecord;
}

export function toJobItem(job: JobRecord): JobItem {
  return { ...keys.job(job.jobId), ...job };
}
