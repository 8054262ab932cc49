import type { S3Location } from './s3-url';

/** Why an object could not be read: none at that key (or no such bucket), or the service may not read it. */
export type ObjectReadFailure = 'missing' | 'denied';

/** An object's text, or why there is none; `tooLarge` when it is over the bytes asked for (its body left unread). */
export type ObjectRead =
  | { found: true; text: string }
  | { found: true; tooLarge: true; bytes: number }
  | { found: false; failure: ObjectReadFailure };

/** Reads objects from S3 (deployed: with the function's role; locally: the runner's S3). */
export interface ObjectReader {
  readText(location: S3Location, maxBytes: number): Promise<ObjectRead>;
}

/** Presigns GETs of S3 objects (deployed: with the job's role's credentials; locally: for the runner's S3). */
export interface UrlPresigner {
  /** A URL that downloads the object until `expiresInSec` after `now` (the service's clock), and not after. */
  presignGet(location: S3Location, signing: { roleArn: string; expiresInSec: number; now: number }): Promise<string>;
}
