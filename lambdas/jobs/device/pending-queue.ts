import type { JobExecutionRecord } from '../execution/execution';
import { settleExpired } from '../execution/expiry';
import type { ExecutionStore } from '../execution/store';
import { hasTimedOut } from '../execution/timers';
import { ServiceUnavailableException } from '../shared/errors';
import type { JobDocumentSource } from '../shared/ports';

/** Executions of deleted jobs one request clears from a thing's queue before it asks the device to retry. */
const MAX_ORPHANS_REMOVED = 50;

/**
 * What the reads wait for before they write anything (timing out an expired execution, removing an orphan): the
 * caller's authorization, read beside them, so that a refused caller reads but never writes.
 */
export type WriteGate = Promise<unknown>;
const OPEN: WriteGate = Promise.resolve();

/** The thing's pending executions that are still live at `now`; any found expired are timed out on the way. */
export async function livePending(
  executions: ExecutionStore,
  thingName: string,
  now: number,
  beforeWriting: WriteGate = OPEN,
): Promise<JobExecutionRecord[]> {
  const pending = await executions.listPending(thingName);
  const expired = pending.filter((e) => hasTimedOut(e, now));
  if (expired.length) await beforeWriting;
  await Promise.all(expired.map((e) => settleExpired(executions, e, now)));
  return pending.filter((e) => !hasTimedOut(e, now));
}

/** The next pending execution, skipping (and timing out) any that expired: one item read unless some did. */
async function nextPending(
  executions: ExecutionStore,
  thingName: string,
  now: number,
  beforeWriting: WriteGate,
): Promise<JobExecutionRecord | undefined> {
  const next = await executions.findNextPending(thingName);
  if (!next || !hasTimedOut(next, now)) return next;
  return (await livePending(executions, thingName, now, beforeWriting))[0];
}

/**
 * The next pending execution whose job still exists, with its document.
 * One whose job is gone (deleted, or replaced by a new job of the same
 * jobId) is moved to REMOVED on the way, so that it never blocks the
 * thing's other jobs.
 */
export async function nextServable(
  executions: ExecutionStore,
  documents: JobDocumentSource,
  thingName: string,
  now: number,
  beforeWriting: WriteGate = OPEN,
): Promise<{ record: JobExecutionRecord; document: string } | undefined> {
  for (let removed = 0; removed < MAX_ORPHANS_REMOVED; removed++) {
    const record = await nextPending(executions, thingName, now, beforeWriting);
    if (!record) return undefined;
    const document = await documents.findDocument(record.jobId, record.jobIncarnation);
    if (document !== undefined) return { record, document };
    await beforeWriting;
    // Refused only if it changed meanwhile; either way the next read sees it as it is now.
    await executions.removeOrphan(record, now);
  }
  throw new ServiceUnavailableException(
    `Too many executions of deleted jobs in the queue of thing ${thingName}; retry`,
  );
}
