import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobCountDelta, JobCountsStore } from '../jobs/counts/job-counts';
import type { JobRef } from '../jobs/shared/ports';
import type { JobRecord } from '../jobs/management/job';
import { toEpochSeconds, type Clock } from '../jobs/shared/clock';
import { countAttribute, fromJobItem } from './items';
import { CONDITION, conditionalUpdate, Conditions } from './table/expressions';
import { keys } from './table/keys';
import { TableAccess, type TransactParams, type UpdateParams } from './table/table-access';

/** How long a counted batch is remembered: longer than a stream keeps records (24 hours). */
const COUNTED_BATCH_TTL_SECONDS = 2 * 24 * 3600;

/** The batch's marker, written only if absent, and the job's counters, added only if that job incarnation still exists: one transaction. */
export function applyDeltaParams(delta: JobCountDelta, now: number): [TransactParams, TransactParams] {
  const entries = Object.entries(delta.deltas);
  return [
    {
      Put: {
        Item: { ...keys.countedBatch(delta.jobId, delta.batchToken), expiresAt: toEpochSeconds(now) + COUNTED_BATCH_TTL_SECONDS },
        ConditionExpression: CONDITION.absent,
      },
    },
    {
      Update: {
        Key: keys.job(delta.jobId),
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ConditionExpression: `${CONDITION.exists} AND ${CONDITION.jobOfIncarnation}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([status], i) => [`#c${i}`, countAttribute(status)])),
        ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])), ':jobIncarnation': delta.jobIncarnation },
      },
    },
  ];
}

/** IN_PROGRESS -> COMPLETED, only if it still is IN_PROGRESS and that incarnation. */
export const completeJobParams = (job: JobRef, now: number): UpdateParams =>
  conditionalUpdate(
    keys.job(job.jobId),
    { UpdateExpression: 'SET #status = :completed, completedAt = :now, lastUpdatedAt = :now', values: { ':completed': 'COMPLETED', ':now': now } },
    new Conditions().add(CONDITION.jobInProgress, { ':jobInProgress': 'IN_PROGRESS' }).add(CONDITION.jobOfIncarnation, { ':jobIncarnation': job.incarnation }),
  );

/**
 * The job counters (`count_<STATUS>` on the job item). Each batch's deltas are
 * added in a transaction with a marker item named by the batch's token,
 * written only if absent: a batch delivered again finds its marker and adds
 * nothing.
 */
export class DynamoJobCountsStore implements JobCountsStore {
  private readonly access: TableAccess;

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    private readonly clock: Clock,
  ) {
    this.access = new TableAccess(db, tableName);
  }

  async applyDelta(delta: JobCountDelta): Promise<JobRecord | undefined> {
    const outcome = await this.access.transactWrite(applyDeltaParams(delta, this.clock()));
    if (!outcome.applied) {
      const [marker, job] = outcome.reasons;
      // That job is gone (deleted, perhaps created again under its jobId): nothing to count.
      if (job === 'ConditionalCheckFailed') return undefined;
      // Not counted, and not counted before (a conflicting write): the batch fails, and is delivered again.
      if (marker !== 'ConditionalCheckFailed') throw new Error(`The counts of job ${delta.jobId} were not written (${outcome.reasons.join(', ')}); the batch is retried`);
    }
    // Applied, or the marker was there (counted before): carry on from the job as it is, so a completion the first delivery missed still happens.
    const job = await this.getJob(delta.jobId);
    return job?.incarnation === delta.jobIncarnation ? job : undefined;
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const item = await this.access.get(keys.job(jobId));
    return item ? fromJobItem(item) : undefined;
  }

  async completeJob(job: JobRef, now: number): Promise<void> {
    // Refused when canceled, deleted or completed meanwhile: nothing to do.
    await this.access.update(completeJobParams(job, now));
  }
}
