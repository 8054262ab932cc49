import { S3Client } from '@aws-sdk/client-s3';

/**
 * Where the service's S3 requests go: AWS's S3 in the region a URL names (else the service's own), or one
 * S3-compatible endpoint for every URL (the local runner's), addressed path-style with its local credentials.
 */
export interface S3Settings {
  region: string;
  /** Every bucket is read from (and presigned for) this endpoint instead of AWS's. */
  endpoint?: string;
}

/** The local S3's credentials (the key it knows; it checks no secret). */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** One S3 client per region, made on first use and kept for the container's life. */
export class S3Clients {
  private readonly clients = new Map<string, S3Client>();

  constructor(private readonly settings: S3Settings) {}

  get local(): boolean {
    return this.settings.endpoint !== undefined;
  }

  forRegion(region: string | undefined): S3Client {
    const name = this.settings.endpoint ? 'local' : (region ?? this.settings.region);
    let client = this.clients.get(name);
    if (!client) {
      client = new S3Client(
        this.settings.endpoint
          ? {
              region: this.settings.region,
              endpoint: this.settings.endpoint,
              forcePathStyle: true,
              credentials: LOCAL_CREDENTIALS,
            }
          : { region: name },
      );
      this.clients.set(name, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
