import type { Page, PageQuery } from '../shared/ports';
import type { HistoryEntry } from './execution-history';

/** Where execution history is kept: written off the request path, read by thing (and job). */
export interface HistoryStore {
  /** Writes the entries; an entry written before (the same change read again) is written over with itself. */
  record(entries: readonly HistoryEntry[]): Promise<void>;
  /** A thing's entries, by job and then in the order they happened; only one job's when `jobId` is given. */
  list(thingName: string, jobId: string | undefined, page: PageQuery): Promise<Page<HistoryEntry>>;
}
