import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { executionEventOf } from '../jobs/events/execution-item-events';
import {
  CANCEL_END_ATTRIBUTE,
  COUNTED_STATUSES,
  type EventContext,
  type ExecutionImage,
  type JobEvent,
  type JobImage,
} from '../jobs/events/job-events';
import { jobEventOf } from '../jobs/events/job-item-events';
import type { Clock } from '../jobs/shared/clock';
import { countAttribute, fromJobItem } from './items';
import { changeIdOf, imageOf, type StreamRecordLike } from './stream-changes';
import { isExecutionItem, isJobItem, parseExecutionKey } from './table/keys';

/** What the events read of a stream record: what the counts read (its ID, keys and images). */
export type StreamEventRecord = StreamRecordLike;

export interface StreamEventsContext extends EventContext {
  /** An event's timestamp: when it is read off the stream, by the service's clock. */
  clock: Clock;
}

/**
 * What the events read of each kind of item: a job's document, or anything else a device wrote, is never unmarshalled.
 */
const KEY_ATTRIBUTES = ['pk', 'sk'];
const JOB_ATTRIBUTES = [
  ...KEY_ATTRIBUTES,
  'jobId',
  'incarnation',
  'status',
  'targetSelection',
  'targets',
  'description',
  'comment',
  'forceCanceled',
  'createdAt',
  'lastUpdatedAt',
  'completedAt',
  'executionsCreated',
  CANCEL_END_ATTRIBUTE,
  ...COUNTED_STATUSES.map(countAttribute),
];
const EXECUTION_ATTRIBUTES = [...KEY_ATTRIBUTES, 'thingName', 'jobId', 'jobIncarnation', 'status', 'executionNumber'];

type RawImage = Record<string, unknown> | undefined;

/**
 * A device's statusDetails, on its own: one the SDK hands over malformed is left out of the event rather than failing
 * the batch.
 */
function statusDetailsOf(raw: RawImage): Record<string, string> | undefined {
  if (raw?.statusDetails === undefined) return undefined;
  try {
    return unmarshall({ statusDetails: raw.statusDetails } as unknown as Record<string, AttributeValue>)
      .statusDetails as Record<string, string>;
  } catch {
    return undefined;
  }
}

function executionImage(raw: RawImage): ExecutionImage | undefined {
  const image = imageOf(raw, EXECUTION_ATTRIBUTES);
  if (!image) return undefined;
  const statusDetails = statusDetailsOf(raw);
  const thingName =
    (image.thingName as string | undefined) ?? parseExecutionKey(image as { pk: string; sk: string }).thingName;
  return { ...(image as ExecutionImage), thingName, ...(statusDetails ? { statusDetails } : {}) };
}

const jobImage = (raw: RawImage): JobImage | undefined => {
  const image = imageOf(raw, JOB_ATTRIBUTES);
  return image && (fromJobItem(image) as JobImage);
};

/**
 * The jobs events of a stream batch, in record order: at most one per record; counts, markers, pages, work records and
 * the registry give none.
 */
export function readJobEvents(records: readonly StreamEventRecord[], context: StreamEventsContext): JobEvent[] {
  const events: JobEvent[] = [];
  for (const record of records) {
    const { OldImage: before, NewImage: after } = record.dynamodb ?? {};
    const keys = imageOf(after ?? before, KEY_ATTRIBUTES);
    const execution = isExecutionItem(keys);
    if (!execution && !isJobItem(keys)) continue;
    // The service's clock, not the record's ApproximateCreationDateTime: DynamoDB Local rounds that down to the minute,
    // and locally time is the controllable clock's.
    const change = { changeId: changeIdOf(record), at: context.clock() };
    const event = execution
      ? executionEventOf({ ...change, before: executionImage(before), after: executionImage(after) }, context)
      : jobEventOf({ ...change, before: jobImage(before), after: jobImage(after) }, context);
    if (event) events.push(event);
  }
  return events;
}
