import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ExecutionStatus } from '../jobs/execution/execution';
import type { ExecutionChange } from '../jobs/counts/job-counts';
import { isExecutionItem, isJobItem } from './table/keys';

/** What the aggregator reads of a stream record; Lambda's DynamoDBRecord and GetRecords' Record both have it. */
export interface StreamRecordLike {
  eventID?: string;
  dynamodb?: {
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
  };
}

const image = (raw: Record<string, unknown> | undefined) => (raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined);

/** A stream batch as the counts aggregator needs it: execution status changes, and jobs whose fan-out just finished. */
export function readStreamBatch(records: readonly StreamRecordLike[]): { changes: ExecutionChange[]; fanOutsFinished: string[] } {
  const changes: ExecutionChange[] = [];
  const fanOutsFinished: string[] = [];
  for (const record of records) {
    const before = image(record.dynamodb?.OldImage);
    const after = image(record.dynamodb?.NewImage);
    const item = after ?? before;
    if (isExecutionItem(item)) {
      changes.push({
        eventId: record.eventID ?? '',
        jobId: item!.jobId as string,
        ...(before ? { from: before.status as ExecutionStatus } : {}),
        ...(after ? { to: after.status as ExecutionStatus } : {}),
      });
    } else if (isJobItem(item) && after?.executionsCreated === true && before?.executionsCreated !== true) {
      fanOutsFinished.push(after.jobId as string);
    }
  }
  return { changes, fanOutsFinished };
}
