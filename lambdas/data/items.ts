import { pendingOrderKey, isPending, type JobExecutionRecord } from '../domain/execution';
import type { JobRecord } from '../domain/job';

/** Key builders: the only place that knows how items are addressed. */
export const keys = {
  thingPartition: (thingName: string) => `THING#${thingName}`,
  execution: (thingName: string, jobId: string) => ({ pk: `THING#${thingName}`, sk: `JOB#${jobId}` }),
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' }),
};

export type ExecutionItem = JobExecutionRecord & {
  pk: string;
  sk: string;
  /** Present only while pending: the sort key of the `pending` LSI. */
  pendingKey?: string;
  /** The pendingKey this execution takes once IN_PROGRESS, kept so an update can set it without reading queuedAt. */
  startedPendingKey: string;
};

export type JobItem = JobRecord & { pk: string; sk: string };

export function toExecutionItem(record: JobExecutionRecord): ExecutionItem {
  return {
    ...keys.execution(record.thingName, record.jobId),
    ...record,
    ...(isPending(record.status) ? { pendingKey: pendingOrderKey(record.status as 'QUEUED' | 'IN_PROGRESS', record.queuedAt, record.jobId) } : {}),
    startedPendingKey: pendingOrderKey('IN_PROGRESS', record.queuedAt, record.jobId),
  };
}

export function fromExecutionItem(item: Record<string, unknown>): JobExecutionRecord {
  const { pk: _pk, sk: _sk, pendingKey: _pending, startedPendingKey: _started, ...record } = item;
  return record as unknown as JobExecutionRecord;
}

export function toJobItem(job: JobRecord): JobItem {
  return { ...keys.job(job.jobId), ...job };
}
