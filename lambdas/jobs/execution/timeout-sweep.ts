import type { TimerIndex } from './store';

export interface SweepOptions {
  /** The sweep's one instant: everything with a deadline at or before it times out. */
  now: number;
  /** Asked before each page; false stops the sweep cleanly (the next run picks up the rest). */
  hasTimeLeft: () => boolean;
  /** Index items read per query, and so the most timeouts written at once per shard. */
  pageSize?: number;
}

export interface SweepReport {
  /** Executions this sweep moved to TIMED_OUT. */
  timedOut: number;
  /** Expired in the index but already settled by someone else (a device that finished first, an observer, a rerun). */
  alreadySettled: number;
  /** Index items read: what the sweep costs, bounded by the number expired, not by the table. */
  indexItemsRead: number;
  readCapacityUnits: number;
  /** False if time ran out with expired executions possibly left. */
  complete: boolean;
}

export const DEFAULT_SWEEP_PAGE_SIZE = 100;

/**
 * Persists TIMED_OUT for every execution whose deadline has passed. Reads only
 * the expired part of the deadline index, each shard in parallel, page by
 * page. Safe to stop at any point and to rerun, and to run while devices
 * write: each timeout is a conditional write that applies only if the
 * execution is still IN_PROGRESS with the deadline the index showed.
 */
export async function sweepTimedOutExecutions(index: TimerIndex, options: SweepOptions): Promise<SweepReport> {
  const pageSize = options.pageSize ?? DEFAULT_SWEEP_PAGE_SIZE;
  const report: SweepReport = {
    timedOut: 0,
    alreadySettled: 0,
    indexItemsRead: 0,
    readCapacityUnits: 0,
    complete: true,
  };

  const sweepShard = async (shard: string): Promise<void> => {
    let cursor: unknown;
    do {
      if (!options.hasTimeLeft()) {
        report.complete = false;
        return;
      }
      const page = await index.findExpired(shard, options.now, pageSize, cursor);
      report.indexItemsRead += page.executions.length;
      report.readCapacityUnits += page.readCapacityUnits ?? 0;
      const outcomes = await Promise.all(page.executions.map((execution) => index.timeOut(execution)));
      for (const outcome of outcomes) {
        if (outcome.applied) report.timedOut++;
        else report.alreadySettled++;
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
  };

  await Promise.all(index.shards.map(sweepShard));
  return report;
}
