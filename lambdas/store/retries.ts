import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobExecutionRecord } from '../jobs/execution/execution';
import type { RetryStore } from '../jobs/rollout/retry';
import { jobInProgressCheck, toExecutionItem } from './items';
import { CONDITION } from './table/expressions';
import { TableAccess } from './table/table-access';
import type { TransactParams } from './table/table-params';

/**
 * A retry's write: the failed attempt replaced by the next, in one
 * transaction that holds only while the job is IN_PROGRESS at that
 * incarnation (a canceled job retries nothing) and the execution is still
 * the failed attempt as the stream showed it (a redelivered record, or a
 * second consumer, finds it moved on and writes nothing).
 */
export function retryParams(failed: JobExecutionRecord, next: JobExecutionRecord): TransactParams[] {
  return [
    jobInProgressCheck(failed.jobId, failed.jobIncarnation),
    {
      Put: {
        Item: toExecutionItem(next),
        ConditionExpression: `${CONDITION.ofIncarnation} AND #status = :failed AND executionNumber = :executionNumber`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':incarnation': failed.jobIncarnation,
          ':failed': failed.status,
          ':executionNumber': failed.executionNumber,
        },
      },
    },
  ];
}

export class DynamoRetryStore implements RetryStore {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  async writeRetry(failed: JobExecutionRecord, next: JobExecutionRecord): Promise<boolean> {
    const outcome = await this.access.transactWrite(retryParams(failed, next));
    if (outcome.applied) return true;
    // Refused by a condition: the job is no longer running, or the attempt moved on. Anything else (a conflict,
    // throttling) fails the batch, which is given again.
    if (outcome.reasons.some((reason) => reason === 'ConditionalCheckFailed')) return false;
    throw new Error(
      `The retry of ${failed.jobId} on ${failed.thingName} was not written (${outcome.reasons.join(', ')}); ` +
        `the batch is retried`,
    );
  }
}
