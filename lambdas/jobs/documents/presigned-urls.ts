import { InvalidRequestException } from '../shared/errors';
import type { UrlPresigner } from './ports';
import { parseS3Url, S3_URL_FORMS } from './s3-url';

/** CreateJob's presignedUrlConfig: whose role signs the URLs devices download with, and how long each is good for. */
export interface PresignedUrlConfig {
  roleArn: string;
  /** 60 to 3600; AWS's default, 3600. */
  expiresInSec?: number;
}

export const DEFAULT_EXPIRES_IN_SEC = 3600;

/** `${aws:iot:s3-presigned-url:URL}`: replaced by a presigned GET of that S3 object each time a device gets it. */
const PLACEHOLDER = /\$\{aws:iot:s3-presigned-url:([^}]*)\}/g;

export const hasPresignedPlaceholders = (document: string): boolean =>
  document.includes(`\${aws:iot:s3-presigned-url:`);

/**
 * A document's placeholders checked when the job (or template) is made, not when a device first asks: each names an S3
 * object URL, and the job says whose role presigns them.
 */
export function checkPresignedPlaceholders(document: string, config: PresignedUrlConfig | undefined): void {
  const urls = [...document.matchAll(PLACEHOLDER)].map((match) => match[1]!);
  if (!urls.length) return;
  if (!config)
    throw new InvalidRequestException(
      `presignedUrlConfig: is required when the document holds \${aws:iot:s3-presigned-url:...} placeholders`,
    );
  for (const url of urls)
    if (!parseS3Url(url))
      throw new InvalidRequestException(
        `document: \${aws:iot:s3-presigned-url:${url}} must name an S3 object URL, ${S3_URL_FORMS}`,
      );
}

/**
 * The document a device receives: each placeholder replaced by a presigned GET URL made now, good for expiresInSec (so
 * every delivery carries fresh ones). Nothing is stored: the job keeps its document as it was created.
 */
export async function withPresignedUrls(
  document: string,
  config: PresignedUrlConfig | undefined,
  presigner: UrlPresigner,
  now: number,
): Promise<string> {
  if (!config || !hasPresignedPlaceholders(document)) return document;
  const urls = [...new Set([...document.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
  const expiresInSec = config.expiresInSec ?? DEFAULT_EXPIRES_IN_SEC;
  const signed = new Map(
    await Promise.all(
      urls.map(async (url) => {
        const location = parseS3Url(url);
        // Checked at creation; a document stored before that check keeps its placeholder as it is.
        if (!location) return [url, undefined] as const;
        return [url, await presigner.presignGet(location, { roleArn: config.roleArn, expiresInSec, now })] as const;
      }),
    ),
  );
  return document.replace(PLACEHOLDER, (placeholder, url: string) => signed.get(url) ?? placeholder);
}
