import { ResourceNotFoundException } from './errors';
import type { JobDocumentSource } from './ports';

type Loader = (jobId: string) => Promise<{ document: string; incarnation: string } | undefined>;

/**
 * Job documents never change once created, so each Lambda container reads a
 * job's document once. Keyed by incarnation: a job deleted and recreated under
 * the same ID is a new key, never a stale hit. Concurrent misses share one read.
 */
export class CachedJobDocuments implements JobDocumentSource {
  private readonly entries = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly load: Loader,
    private readonly maxEntries = 1000,
  ) {}

  async getDocument(jobId: string, jobIncarnation: string): Promise<string> {
    const document = await this.findDocument(jobId, jobIncarnation);
    if (document === undefined) throw new ResourceNotFoundException(`Job ${jobId} no longer exists`);
    return document;
  }

  findDocument(jobId: string, jobIncarnation: string): Promise<string | undefined> {
    const key = `${jobId}#${jobIncarnation}`;
    const cached = this.entries.get(key);
    if (cached) {
      // Re-insert to mark as recently used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const loading = this.load(jobId).then((job) =>
      job && job.incarnation === jobIncarnation ? job.document : undefined,
    );
    this.entries.set(key, loading);
    // A gone job is not remembered (nor is a failed read): the entry stays for documents only.
    loading.then(
      (document) => document === undefined && this.entries.delete(key),
      () => this.entries.delete(key),
    );
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return loading;
  }
}
