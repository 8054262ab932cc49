import type { StoredDocuments, StoredJobDocument } from '../documents/delivered-documents';
import { ResourceNotFoundException } from './errors';
import type { JobDocumentSource } from './ports';

type Loader = (jobId: string) => Promise<(StoredJobDocument & { incarnation: string }) | undefined>;

/**
 * Job documents never change once created, so each Lambda container reads a
 * job's document once (with its presignedUrlConfig, which deliveries need).
 * Keyed by incarnation: a job deleted and recreated under the same ID is a new
 * key, never a stale hit. Concurrent misses share one read.
 */
export class CachedJobDocuments implements JobDocumentSource, StoredDocuments {
  private readonly entries = new Map<string, Promise<StoredJobDocument | undefined>>();

  constructor(
    private readonly load: Loader,
    private readonly maxEntries = 1000,
  ) {}

  async getDocument(jobId: string, jobIncarnation: string): Promise<string> {
    const document = await this.findDocument(jobId, jobIncarnation);
    if (document === undefined) throw new ResourceNotFoundException(`Job ${jobId} no longer exists`);
    return document;
  }

  async findDocument(jobId: string, jobIncarnation: string): Promise<string | undefined> {
    return (await this.findStored(jobId, jobIncarnation))?.document;
  }

  findStored(jobId: string, jobIncarnation: string): Promise<StoredJobDocument | undefined> {
    const key = `${jobId}#${jobIncarnation}`;
    const cached = this.entries.get(key);
    if (cached) {
      // Re-insert to mark as recently used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const loading = this.load(jobId).then((job) =>
      job && job.incarnation === jobIncarnation
        ? {
            document: job.document,
            ...(job.presignedUrlConfig ? { presignedUrlConfig: job.presignedUrlConfig } : {}),
          }
        : undefined,
    );
    this.entries.set(key, loading);
    // A gone job is not remembered (nor is a failed read): the entry stays for documents only.
    loading.then(
      (stored) => stored === undefined && this.entries.delete(key),
      () => this.entries.delete(key),
    );
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return loading;
  }
}
