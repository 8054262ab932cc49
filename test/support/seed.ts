import type { JobExecutionRecord } from '../../lambdas/jobs/execution/execution';
import { toExecutionItem } from '../../lambdas/store/items';
import { TableAccess } from '../../lambdas/store/table/table-access';
import type { TestTable } from './test-table';

/** An execution as a test wants it stored; IN_PROGRESS ones carry whatever timers `over` gives them. */
export function executionRecord(
  thingName: string,
  jobId: string,
  over: Partial<JobExecutionRecord> = {},
): JobExecutionRecord {
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

/**
 * Writes executions straight into the table, items exactly as the repository builds them, several batches at a time.
 */
export async function seedExecutions(
  table: TestTable,
  records: JobExecutionRecord[],
  parallelBatches = 8,
): Promise<void> {
  const access = new TableAccess(table.client, table.tableName);
  await access.batchWrite(
    records.map((record) => ({ PutRequest: { Item: toExecutionItem(record) } })),
    parallelBatches,
  );
}
