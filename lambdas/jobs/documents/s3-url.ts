/** An object in S3, as a job names it: a documentSource, or the URL inside a presigned-URL placeholder. */
export interface S3Location {
  bucket: string;
  key: string;
  /** The region the URL names (s3.REGION.amazonaws.com), if it names one. */
  region?: string;
}

/** The S3 endpoint names AWS accepts: s3, s3.REGION and the older s3-REGION, on amazonaws.com (or .com.cn). */
const S3_HOST = /^s3(?:[.-]([a-z]{2}(?:-[a-z]+)+-\d))?\.amazonaws\.com(?:\.cn)?$/;
/** Bucket names as S3 allows them (3 to 63 lowercase letters, digits, dots and hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const decodedKey = (path: string): string | undefined => {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
};

/**
 * The bucket and key of an S3 object URL, in the path-style form (https://s3.REGION.amazonaws.com/BUCKET/KEY) or the
 * virtual-hosted one (https://BUCKET.s3.REGION.amazonaws.com/KEY), the region optional in both; undefined for anything
 * else.
 */
export function parseS3Url(text: string): S3Location | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || url.port) return undefined;
  const host = url.hostname.toLowerCase();
  const path = url.pathname.slice(1);
  const atEndpoint = S3_HOST.exec(host);
  let bucket: string;
  let rawKey: string;
  let region: string | undefined;
  if (atEndpoint) {
    const slash = path.indexOf('/');
    if (slash <= 0) return undefined;
    bucket = path.slice(0, slash);
    rawKey = path.slice(slash + 1);
    region = atEndpoint[1];
  } else {
    const dot = host.indexOf('.s3');
    const endpoint = dot > 0 ? S3_HOST.exec(host.slice(dot + 1)) : null;
    if (!endpoint) return undefined;
    bucket = host.slice(0, dot);
    rawKey = path;
    region = endpoint[1];
  }
  const key = decodedKey(rawKey);
  if (!BUCKET.test(bucket) || !key) return undefined;
  return { bucket, key, ...(region ? { region } : {}) };
}

export const S3_URL_FORMS = 'https://s3.amazonaws.com/BUCKET/KEY or https://BUCKET.s3.REGION.amazonaws.com/KEY';
