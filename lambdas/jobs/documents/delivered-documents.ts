import type { Clock } from '../shared/clock';
import { ResourceNotFoundException } from '../shared/errors';
import type { JobDocumentSource } from '../shared/ports';
import type { UrlPresigner } from './ports';
import { type PresignedUrlConfig, withPresignedUrls } from './presigned-urls';

/** A job's document as stored, with what its delivery needs (read once per container, like the document). */
export interface StoredJobDocument {
  document: string;
  presignedUrlConfig?: PresignedUrlConfig;
}

export interface StoredDocuments {
  findStored(jobId: string, jobIncarnation: string): Promise<StoredJobDocument | undefined>;
}

/**
 * The documents devices receive (every device path: DescribeJobExecution, StartNext, UpdateJobExecution's, and MQTT's
 * get, start-next and notify-next): the stored document with its presigned-URL placeholders replaced at each delivery.
 * Presigning is computation in this process: a delivery makes no request beyond the document's one cached read.
 */
export class DeliveredDocuments implements JobDocumentSource {
  constructor(
    private readonly stored: StoredDocuments,
    private readonly presigner: UrlPresigner,
    private readonly clock: Clock,
  ) {}

  async findDocument(jobId: string, jobIncarnation: string): Promise<string | undefined> {
    const stored = await this.stored.findStored(jobId, jobIncarnation);
    if (!stored) return undefined;
    return withPresignedUrls(stored.document, stored.presignedUrlConfig, this.presigner, this.clock());
  }

  async getDocument(jobId: string, jobIncarnation: string): Promise<string> {
    const document = await this.findDocument(jobId, jobIncarnation);
    if (document === undefined) throw new ResourceNotFoundException(`Job ${jobId} no longer exists`);
    return document;
  }
}
