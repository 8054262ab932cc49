import { describe, expect, it } from 'vitest';
import { DeliveredDocuments } from '../../../lambdas/jobs/documents/delivered-documents';
import type { UrlPresigner } from '../../../lambdas/jobs/documents/ports';
import { checkPresignedPlaceholders, withPresignedUrls } from '../../../lambdas/jobs/documents/presigned-urls';
import { parseS3Url } from '../../../lambdas/jobs/documents/s3-url';

/** A presigner that says what it was asked, so each substitution can be read back. */
const presigner: UrlPresigner & { calls: number } = {
  calls: 0,
  presignGet(location, { roleArn, expiresInSec, now }) {
    this.calls++;
    return Promise.resolve(
      `https://signed/${location.bucket}/${location.key}?role=${roleArn}&expires=${expiresInSec}&at=${now}`,
    );
  },
};

describe('S3 object URLs', () => {
  it.each([
    ['https://s3.amazonaws.com/b-1/fw/3.1.bin', { bucket: 'b-1', key: 'fw/3.1.bin' }],
    ['https://s3.eu-west-1.amazonaws.com/b-1/a%20b.bin', { bucket: 'b-1', key: 'a b.bin', region: 'eu-west-1' }],
    ['https://s3-us-west-2.amazonaws.com/b-1/k', { bucket: 'b-1', key: 'k', region: 'us-west-2' }],
    ['https://b-1.s3.amazonaws.com/k', { bucket: 'b-1', key: 'k' }],
    ['https://my.bucket.s3.ap-south-1.amazonaws.com/k', { bucket: 'my.bucket', key: 'k', region: 'ap-south-1' }],
  ])('%s', (url, location) => expect(parseS3Url(url)).toEqual(location));

  it.each([
    'http://s3.amazonaws.com/b-1/k',
    'https://s3.amazonaws.com/b-1',
    'https://s3.amazonaws.com/b-1/',
    'https://example.com/b-1/k',
    'https://b-1.s3.amazonaws.com/',
    'https://s3.amazonaws.com/B_1/k',
    'https://s3.amazonaws.com/b-1/k?versionId=1',
    's3://b-1/k',
  ])('refuses %s', (url) => expect(parseS3Url(url)).toBeUndefined());
});

describe('presigned-URL placeholders', () => {
  const config = { roleArn: 'arn:aws:iam::123456789012:role/r', expiresInSec: 120 };
  const document = JSON.stringify({
    a: `\${aws:iot:s3-presigned-url:https://s3.amazonaws.com/b-1/a.bin}`,
    b: `\${aws:iot:s3-presigned-url:https://b-1.s3.amazonaws.com/b.bin}`,
    again: `\${aws:iot:s3-presigned-url:https://s3.amazonaws.com/b-1/a.bin}`,
  });

  it('replaces each with a URL signed now, for expiresInSec, with the role; the same URL once', async () => {
    presigner.calls = 0;
    const delivered = JSON.parse(await withPresignedUrls(document, config, presigner, 5000));
    expect(delivered).toEqual({
      a: 'https://signed/b-1/a.bin?role=arn:aws:iam::123456789012:role/r&expires=120&at=5000',
      b: 'https://signed/b-1/b.bin?role=arn:aws:iam::123456789012:role/r&expires=120&at=5000',
      again: delivered.a,
    });
    expect(presigner.calls).toBe(2);
    // AWS's default: an hour.
    expect(await withPresignedUrls(document, { roleArn: config.roleArn }, presigner, 0)).toContain('expires=3600');
  });

  it('leaves a document without placeholders as it is, signing nothing', async () => {
    presigner.calls = 0;
    expect(await withPresignedUrls(`{"a":"\${aws:iot:parameter:x}"}`, config, presigner, 0)).toBe(
      `{"a":"\${aws:iot:parameter:x}"}`,
    );
    expect(presigner.calls).toBe(0);
  });

  it('are checked at creation: they need a presignedUrlConfig and an S3 object URL', () => {
    expect(() => checkPresignedPlaceholders(document, undefined)).toThrow('presignedUrlConfig: is required');
    expect(() => checkPresignedPlaceholders(`{"u":"\${aws:iot:s3-presigned-url:ftp://x/y}"}`, config)).toThrow(
      'must name an S3 object URL',
    );
    expect(() => checkPresignedPlaceholders(document, config)).not.toThrow();
    expect(() => checkPresignedPlaceholders('{}', undefined)).not.toThrow();
  });

  it('devices get them substituted at each delivery, from the one stored document', async () => {
    let now = 1000;
    let reads = 0;
    const delivered = new DeliveredDocuments(
      {
        findStored: () => {
          reads++;
          return Promise.resolve({ document, presignedUrlConfig: config });
        },
      },
      presigner,
      () => now,
    );
    const first = await delivered.getDocument('j', 'i');
    now = 2000;
    const second = await delivered.getDocument('j', 'i');
    expect(first).toContain('at=1000');
    expect(second).toContain('at=2000');
    expect(reads).toBe(2);
  });
});
