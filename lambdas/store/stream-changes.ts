import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ExecutionChange } from '../jobs/counts/job-counts';
import type { ExecutionStatus, JobExecutionRecord } from '../jobs/execution/execution';
import type { MembershipChange } from '../jobs/fleet/continuous-jobs';
import { hasRetryLeft } from '../jobs/rollout/retry';
import type { JobRef } from '../jobs/shared/ports';
import { fromExecutionItem } from './items';
import { isExecutionItem, isJobItem, isMembershipItem } from './table/keys';

/** What the aggregator reads of a stream record; Lambda's DynamoDBRecord and GetRecords' Record both have it. */
export interface StreamRecordLike {
  eventID?: string;
  dynamodb?: {
    Keys?: Record<string, unknown>;
    SequenceNumber?: string;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
  };
}

const incarnationOf = (image: Record<string, unknown>) => image.jobIncarnation as string;
/**
 * What the counts read of an item: the rest of an image (a device's statusDetails, a thing's attributes) is never
 * unmarshalled, so nothing in it can fail a batch.
 */
const READ_ATTRIBUTES = [
  'pk',
  'sk',
  'jobId',
  'status',
  'jobIncarnation',
  'incarnation',
  'executionsCreated',
  'retryLimits',
  'retriesUsed',
  'retryAttempt',
];
/** Only the named attributes of a stream image, unmarshalled. */
export const imageOf = (raw: Record<string, unknown> | undefined, attributes: readonly string[]) =>
  raw
    ? unmarshall(
        Object.fromEntries(
          attributes.filter((name) => raw[name] !== undefined).map((name) => [name, raw[name]]),
        ) as Record<string, AttributeValue>,
      )
    : undefined;
const image = (raw: Record<string, unknown> | undefined) => imageOf(raw, READ_ATTRIBUTES);

/** `fromRetrying` / `toRetrying` when the image is a failure with a retry left. */
const retrying = (side: 'from' | 'to', image: Record<string, unknown>) =>
  hasRetryLeft(image as Parameters<typeof hasRetryLeft>[0]) ? { [`${side}Retrying`]: true } : {};

/**
 * The executions of a batch that failed or timed out with a retry left (their new images): each gets its next attempt.
 */
export function readRetries(records: readonly StreamRecordLike[]): JobExecutionRecord[] {
  const failed: JobExecutionRecord[] = [];
  for (const record of records) {
    const after = imageOf(record.dynamodb?.NewImage, RETRY_ATTRIBUTES);
    const before = imageOf(record.dynamodb?.OldImage, ['status', 'executionNumber']);
    if (!isExecutionItem(after) || !hasRetryLeft(after as Parameters<typeof hasRetryLeft>[0])) continue;
    // Only the write that made it fail: a later change of the same failed execution (none is allowed) is no new
    // failure.
    if (before && before.status === after!.status && before.executionNumber === after!.executionNumber) continue;
    failed.push(fromExecutionItem(after!));
  }
  return failed;
}

/** What a retry carries over from the failed attempt. */
const RETRY_ATTRIBUTES = [
  'pk',
  'sk',
  'thingName',
  'jobId',
  'jobIncarnation',
  'status',
  'executionNumber',
  'inProgressTimeoutMinutes',
  'retryLimits',
  'retriesUsed',
  'retryAttempt',
  'queuedAt',
  'lastUpdatedAt',
  'versionNumber',
];

/**
 * A record's ID, the same each time the stream delivers it: what its count's marker, and its events' IDs, are named by.
 */
export function changeIdOf(record: StreamRecordLike): string {
  const id = record.eventID ?? record.dynamodb?.SequenceNumber;
  if (!id) throw new Error('A stream record without an eventID or sequence number cannot be counted exactly once');
  return id;
}

/** A stream batch as the counts aggregator needs it: execution status changes, and jobs whose fan-out just finished. */
export function readStreamBatch(records: readonly StreamRecordLike[]): {
  changes: ExecutionChange[];
  fanOutsFinished: JobRef[];
} {
  const changes: ExecutionChange[] = [];
  const fanOutsFinished: JobRef[] = [];
  for (const record of records) {
    const before = image(record.dynamodb?.OldImage);
    const after = image(record.dynamodb?.NewImage);
    const item = after ?? before;
    if (isExecutionItem(item)) {
      const eventId = changeIdOf(record);
      const jobId = item!.jobId as string;
      if (before && after && incarnationOf(before) !== incarnationOf(after)) {
        // A new job of the same jobId took over the item: the old job loses an execution, the new one gains one.
        changes.push({
          changeId: `${eventId}#left`,
          jobId,
          jobIncarnation: incarnationOf(before),
          from: before.status as ExecutionStatus,
          ...retrying('from', before),
        });
        changes.push({
          changeId: `${eventId}#entered`,
          jobId,
          jobIncarnation: incarnationOf(after),
          to: after.status as ExecutionStatus,
          ...retrying('to', after),
        });
        continue;
      }
      changes.push({
        changeId: eventId,
        jobId,
        jobIncarnation: incarnationOf(item!),
        ...(before ? { from: before.status as ExecutionStatus, ...retrying('from', before) } : {}),
        ...(after ? { to: after.status as ExecutionStatus, ...retrying('to', after) } : {}),
      });
    } else if (isJobItem(item) && after?.executionsCreated === true && before?.executionsCreated !== true) {
      fanOutsFinished.push({ jobId: after.jobId as string, incarnation: after.incarnation as string });
    }
  }
  return { changes, fanOutsFinished };
}

/** What the membership reactor reads of an image. */
const MEMBERSHIP_ATTRIBUTES = ['pk', 'sk', 'thingName', 'thingGroupName', 'groupPath'];
const membershipImage = (raw: Record<string, unknown> | undefined) => imageOf(raw, MEMBERSHIP_ATTRIBUTES);

/** A stream batch as the membership reactor needs it: each membership written (joined) or deleted (left), in order. */
export function readMembershipChanges(records: readonly StreamRecordLike[]): MembershipChange[] {
  const changes: MembershipChange[] = [];
  for (const record of records) {
    const before = membershipImage(record.dynamodb?.OldImage);
    const after = membershipImage(record.dynamodb?.NewImage);
    const item = after ?? before;
    if (!isMembershipItem(item) || typeof item!.thingGroupName !== 'string' || typeof item!.thingName !== 'string')
      continue;
    changes.push({
      thingName: item!.thingName,
      groupName: item!.thingGroupName,
      // A membership written before memberships carried their path: the reactor reads the group's.
      ...(Array.isArray(item!.groupPath) ? { groupPath: item!.groupPath as string[] } : {}),
      change: after ? 'joined' : 'left',
    });
  }
  return changes;
}
