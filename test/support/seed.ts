import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { toExecutionItem } from '../../lambdas/data/items';
import type { JobExecutionRecord } from '../../lambdas/domain/execution';
import type { TestTable } from './test-table';

/** An execution as a test wants it stored; IN_PROGRESS ones carry whatever timers `over` gives them. */
export function executionRecord(thingName: string, jobId: string, over: Partial<JobExecutionRecord> = {}): JobExecutionRecord {
  return {
    thingName,
    jobId,
    jobIncarnation: 'seeded',
    status: 'QUEUED',
    queuedAt: 1_600_000_000_000,
    lastUpdatedAt: 1_600_000_000_000,
    versionNumber: 1,
    executionNumber: 1,
    ...over,
  };
}

/** Writes executions straight into the table, items exactly as the repository builds them, several batches at a time. */
export async function seedExecutions(table: TestTable, records: JobExecutionRecord[], parallelBatches = 8): Promise<void> {
  const batches: JobExecutionRecord[][] = [];
  for (let i = 0; i < records.length; i += 25) batches.push(records.slice(i, i + 25));
  const writeBatch = async (batch: JobExecutionRecord[]) => {
    let requests = batch.map((record) => ({ PutRequest: { Item: toExecutionItem(record) } }));
    while (requests.length) {
      const result = await table.client.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: parallelBatches }, async () => {
      while (next < batches.length) await writeBatch(batches[next++]!);
    }),
  );
}
