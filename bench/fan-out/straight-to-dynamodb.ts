import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { JobRecord } from '../../lambdas/jobs/management/job';
import { shardOfJobQuery } from '../../lambdas/store/queries';
import { keys } from '../../lambdas/store/table/keys';

/** As the fan-out sends them: 8 requests of 25 executions in flight (DynamoExecutionStore's FAN_OUT_CONCURRENCY). */
export const FLOOR_CONCURRENCY = 8;

/** A job as the floor's executions name it (never stored: the floor writes executions only). */
export const floorJobOf = (jobId: string): JobRecord => ({
  jobId,
  incarnation: jobId,
  jobArn: `arn:aws:iot:us-east-1:123456789012:job/${jobId}`,
  status: 'IN_PROGRESS',
  document: '{}',
  targets: [],
  createdAt: Date.now(),
  lastUpdatedAt: Date.now(),
  executionsCreated: false,
});

/** The executions of a job, counted in the executionsByJob index shard by shard (a COUNT query reads no items out). */
export async function countExecutions(db: DynamoDBDocumentClient, tableName: string, jobId: string): Promise<number> {
  let total = 0;
  for (const shard of keys.allJobShards(jobId)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          ...shardOfJobQuery(shard, undefined),
          TableName: tableName,
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return total;
}
