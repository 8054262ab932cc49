import type { Clock } from '../shared/clock';
import type { PageQuery } from '../shared/ports';
import { type ExecutionImageChange, type HistoryEntry, historyEntryOf, toHistoryView } from './execution-history';
import type { HistoryStore } from './store';

export interface ListHistoryInput extends PageQuery {
  thingName: string;
  jobId?: string;
}

/**
 * Execution history: recorded from the table's stream (every change of every
 * execution, with who made it), read by thing and job. With no store (a
 * deployment that keeps none) nothing is recorded, and lists are empty.
 */
export class ExecutionHistory {
  constructor(
    private readonly store: HistoryStore | undefined,
    private readonly clock: Clock,
  ) {}

  /**
   * The entries of one stream batch's changes, in the batch's order; safe to give the same batch again (an entry's key
   * is its change).
   */
  async record(changes: readonly ExecutionImageChange[]): Promise<HistoryEntry[]> {
    if (!this.store) return [];
    const readAt = this.clock();
    const entries = changes
      .map((change) => historyEntryOf(change, readAt))
      .filter((entry): entry is HistoryEntry => entry !== undefined);
    await this.store.record(entries);
    return entries;
  }

  async list(input: ListHistoryInput) {
    if (!this.store) return { history: [] };
    const page = await this.store.list(input.thingName, input.jobId, input);
    return { history: page.items.map(toHistoryView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }
}
