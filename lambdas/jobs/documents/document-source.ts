import { InvalidRequestException } from '../shared/errors';
import type { ObjectReader } from './ports';
import { parseS3Url, S3_URL_FORMS, type S3Location } from './s3-url';

/** AWS's limit on a job document, whether given inline or in S3. */
export const MAX_DOCUMENT_BYTES = 32768;

/** The location a documentSource names, or an InvalidRequestException saying which forms are taken. */
export function documentSourceLocation(documentSource: string): S3Location {
  const location = parseS3Url(documentSource);
  if (!location) throw new InvalidRequestException(`documentSource: must be an S3 object URL, ${S3_URL_FORMS}`);
  return location;
}

/**
 * The document a documentSource holds, read once, when the job or template is made (a job's document never changes
 * after; S3 is not read again). A missing object, one the service may not read, one over 32 KB or not UTF-8 are each
 * refused in words that say so.
 */
export async function readDocumentSource(objects: ObjectReader, documentSource: string): Promise<string> {
  const location = documentSourceLocation(documentSource);
  const read = await objects.readText(location, MAX_DOCUMENT_BYTES);
  if (!read.found)
    throw new InvalidRequestException(
      read.failure === 'missing'
        ? `documentSource: there is no object ${location.key} in bucket ${location.bucket}`
        : `documentSource: access denied reading ${location.key} in bucket ${location.bucket}`,
    );
  if ('tooLarge' in read)
    throw new InvalidRequestException(
      `documentSource: the document is ${read.bytes} bytes; a job document is at most ${MAX_DOCUMENT_BYTES} bytes`,
    );
  if (!read.text.trim()) throw new InvalidRequestException('documentSource: the document is empty');
  return read.text;
}

/**
 * A CreateJob's or CreateJobTemplate's input with the document its documentSource holds (the URL kept, for the
 * describe operations); an input without one as it is.
 */
export async function withSourcedDocument<Input extends { document?: string; documentSource?: string }>(
  input: Input,
  objects: ObjectReader,
): Promise<Input> {
  if (input.documentSource === undefined) return input;
  return { ...input, document: await readDocumentSource(objects, input.documentSource) };
}
