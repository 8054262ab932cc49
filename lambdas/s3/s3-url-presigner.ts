import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UrlPresigner } from '../jobs/documents/ports';
import type { S3Location } from '../jobs/documents/s3-url';
import type { RoleCredentials, TemporaryCredentials } from './role-credentials';
import type { S3Clients } from './s3-clients';

/**
 * Presigned GETs with the SDK's presigner: computation in this process, signed as of the service's clock. Deployed,
 * with the job role's credentials (what the URL may read is what the role may: AWS IoT's own rule); locally, for the
 * runner's S3, with its local key.
 */
export class S3UrlPresigner implements UrlPresigner {
  /** Per region and role: a client on the role's current session (a new session, a new client). */
  private readonly roleClients = new Map<string, { credentials: TemporaryCredentials; client: S3Client }>();

  constructor(
    private readonly clients: S3Clients,
    private readonly roles: RoleCredentials | undefined,
    private readonly region: string,
  ) {}

  async presignGet(
    location: S3Location,
    signing: { roleArn: string; expiresInSec: number; now: number },
  ): Promise<string> {
    const client = await this.clientFor(location.region ?? this.region, signing);
    return getSignedUrl(client, new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), {
      expiresIn: signing.expiresInSec,
      signingDate: new Date(signing.now),
    });
  }

  private async clientFor(region: string, signing: { roleArn: string; expiresInSec: number }): Promise<S3Client> {
    if (this.clients.local || !this.roles) return this.clients.forRegion(region);
    const credentials = await this.roles.forUrlsOf(signing.roleArn, signing.expiresInSec);
    const name = `${region} ${signing.roleArn}`;
    const current = this.roleClients.get(name);
    if (current?.credentials === credentials) return current.client;
    current?.client.destroy();
    // Static credentials: the client signs with exactly the session the role's cache chose.
    const client = new S3Client({ region, credentials });
    this.roleClients.set(name, { credentials, client });
    return client;
  }

  destroy(): void {
    for (const { client } of this.roleClients.values()) client.destroy();
  }
}
