import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobRecord } from '../../lambdas/jobs/management/job';
import { toExecutionItem, toJobItem } from '../../lambdas/store/items';
import { TableAccess } from '../../lambdas/store/table/table-access';

export interface Fleet {
  /** Things the service serves. */
  serviceThings: string[];
  /** As many things again, with the same queue, for the floor. */
  floorThings: string[];
  /** In queue order: round r works on jobIds[r]. */
  jobIds: string[];
}

const INCARNATION = 'bench';
const QUEUED_FROM = Date.UTC(2026, 0, 1);
const pad = (n: number) => String(n).padStart(5, '0');

export function planFleet(things: number, jobs: number): Fleet {
  return {
    serviceThings: Array.from({ length: things }, (_, i) => `bench-service-${pad(i)}`),
    floorThings: Array.from({ length: things }, (_, i) => `bench-floor-${pad(i)}`),
    jobIds: Array.from({ length: jobs }, (_, j) => `bench-job-${pad(j)}`),
  };
}

/**
 * Writes the jobs and one QUEUED execution per thing and job, items exactly
 * as CreateJob writes them but without its 1,000-target limit, queued a second
 * apart so every thing serves the jobs in order.
 */
export async function seedFleet(
  db: DynamoDBDocumentClient,
  tableName: string,
  fleet: Fleet,
  parallelWriters = 8,
): Promise<void> {
  const access = new TableAccess(db, tableName);
  const things = [...fleet.serviceThings, ...fleet.floorThings];
  const items: object[] = fleet.jobIds.map((jobId, j) => toJobItem(benchJob(jobId, QUEUED_FROM + j * 1000)));
  fleet.jobIds.forEach((jobId, j) => {
    const queuedAt = QUEUED_FROM + j * 1000;
    for (const thingName of things) {
      items.push(
        toExecutionItem({
          thingName,
          jobId,
          jobIncarnation: INCARNATION,
          status: 'QUEUED',
          queuedAt,
          lastUpdatedAt: queuedAt,
          versionNumber: 1,
          executionNumber: 1,
        }),
      );
    }
  });
  await access.batchWrite(
    items.map((Item) => ({ PutRequest: { Item } })),
    parallelWriters,
  );
}

function benchJob(jobId: string, createdAt: number): JobRecord {
  return {
    jobId,
    incarnation: INCARNATION,
    jobArn: `arn:aws:iot:us-east-1:123456789012:job/${jobId}`,
    status: 'IN_PROGRESS',
    document: JSON.stringify({ operation: 'firmware-update', version: jobId, url: 'https://example.com/firmware.bin' }),
    // Devices never read a job's targets; a fleet-sized list would not fit in one item anyway.
    targets: [],
    createdAt,
    lastUpdatedAt: createdAt,
    executionsCreated: true,
  };
}
