import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobRecord } from '../jobs/management/job';
import type { JobCountDelta, JobCountsStore } from '../jobs/counts/job-counts';
import { fromJobItem, keys } from './items';
import { TableAccess } from './table/table-access';

/** How long a counted batch is remembered: longer than a stream keeps records (24 hours). */
const COUNTED_BATCH_TTL_SECONDS = 2 * 24 * 3600;

/**
 * The job counters. Each batch's deltas are added in a transaction with a
 * marker item named by the batch's token, written only if absent: a batch
 * delivered again finds its marker and adds nothing.
 */
export class JobCountsRepository implements JobCountsStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async applyDelta(delta: JobCountDelta): Promise<JobRecord | undefined> {
    const entries = Object.entries(delta.deltas);
    const names = Object.fromEntries(entries.map(([status], i) => [`#c${i}`, `count_${status}`]));
    const values = Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n]));
    const marker = { pk: keys.job(delta.jobId).pk, sk: `COUNTED#${delta.batchToken}` };
    try {
      await this.access.send(() =>
        this.access.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.access.tableName,
                  Item: { ...marker, expiresAt: Math.floor(Date.now() / 1000) + COUNTED_BATCH_TTL_SECONDS },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: this.access.tableName,
                  Key: keys.job(delta.jobId),
                  UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeNames: names,
                  ExpressionAttributeValues: values,
                },
              },
            ],
          }),
        ),
      );
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
      // The job is gone (deleted): nothing to count.
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return undefined;
      // Counted before: carry on from the job as it is, so a completion the first delivery missed still happens.
      if (reasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
    }
    return this.getJob(delta.jobId);
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const item = await this.access.get(keys.job(jobId));
    return item ? fromJobItem(item) : undefined;
  }

  async completeJob(jobId: string, now: number): Promise<void> {
    try {
      await this.access.send(() =>
        this.access.db.send(
          new UpdateCommand({
            TableName: this.access.tableName,
            Key: keys.job(jobId),
            UpdateExpression: 'SET #status = :completed, completedAt = :now, lastUpdatedAt = :now',
            ConditionExpression: '#status = :inProgress',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':completed': 'COMPLETED', ':inProgress': 'IN_PROGRESS', ':now': now },
          }),
        ),
      );
    } catch (error) {
      // Canceled, deleted or completed meanwhile: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
