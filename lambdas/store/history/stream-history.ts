import type { ExecutionImage, ExecutionImageChange } from '../../jobs/history/execution-history';
import { imageOf, type StreamRecordLike } from '../stream-changes';
import { isExecutionItem } from '../table/keys';

/** What the history reads of an execution image. */
const HISTORY_ATTRIBUTES = [
  'pk',
  'sk',
  'thingName',
  'jobId',
  'jobIncarnation',
  'status',
  'executionNumber',
  'versionNumber',
  'lastUpdatedAt',
  'stepDeadlineAt',
  'inProgressDeadlineAt',
  'changedBy',
] as const;

/**
 * One image as the history reads it. A device's statusDetails are read on
 * their own: should they ever fail to read, the entry is kept without them
 * rather than failing the batch the counts share.
 */
function historyImage(raw: Record<string, unknown> | undefined): ExecutionImage | undefined {
  const image = imageOf(raw, HISTORY_ATTRIBUTES);
  if (!isExecutionItem(image)) return undefined;
  let statusDetails: unknown;
  try {
    statusDetails = imageOf(raw, ['statusDetails'])?.statusDetails;
  } catch {
    statusDetails = undefined;
  }
  const { pk: _pk, sk: _sk, ...rest } = image!;
  return {
    ...(rest as unknown as ExecutionImage),
    ...(statusDetails && typeof statusDetails === 'object'
      ? { statusDetails: statusDetails as Record<string, string> }
      : {}),
  };
}

/** The execution changes of a stream batch, in order, as the history reads them. */
export function readHistoryChanges(records: readonly StreamRecordLike[]): ExecutionImageChange[] {
  const changes: ExecutionImageChange[] = [];
  for (const record of records) {
    const before = historyImage(record.dynamodb?.OldImage);
    const after = historyImage(record.dynamodb?.NewImage);
    if (before || after) changes.push({ ...(before ? { before } : {}), ...(after ? { after } : {}) });
  }
  return changes;
}
