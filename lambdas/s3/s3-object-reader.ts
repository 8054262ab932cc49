import { GetObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { ObjectRead, ObjectReader } from '../jobs/documents/ports';
import type { S3Location } from '../jobs/documents/s3-url';
import type { S3Clients } from './s3-clients';

/** S3's answers that mean there is nothing there, and those that mean we may not look. */
const MISSING = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound']);
const DENIED = new Set(['AccessDenied', 'Forbidden', 'AllAccessDisabled', 'InvalidAccessKeyId']);

/** Reads an object's text with GetObject; a body over the limit is not read (its Content-Length says so). */
export class S3ObjectReader implements ObjectReader {
  constructor(private readonly clients: S3Clients) {}

  async readText(location: S3Location, maxBytes: number): Promise<ObjectRead> {
    try {
      const answer = await this.clients
        .forRegion(location.region)
        .send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
      const bytes = answer.ContentLength ?? 0;
      if (bytes > maxBytes) {
        (answer.Body as { destroy?: () => void } | undefined)?.destroy?.();
        return { found: true, tooLarge: true, bytes };
      }
      return { found: true, text: (await answer.Body?.transformToString('utf-8')) ?? '' };
    } catch (error) {
      if (error instanceof S3ServiceException) {
        if (MISSING.has(error.name) || error.$metadata.httpStatusCode === 404)
          return { found: false, failure: 'missing' };
        if (DENIED.has(error.name) || error.$metadata.httpStatusCode === 403)
          return { found: false, failure: 'denied' };
      }
      throw error;
    }
  }
}
