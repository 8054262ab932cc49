import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CertificateDirectory } from '../jobs/device/device-authorization';
import { keys } from './table/keys';
import { TableAccess } from './table/table-access';

/** How long a container trusts what it read: an unbinding takes effect within this. */
const CACHE_MS = 60_000;

/**
 * The certificate table (items `CERT#<fingerprint>` in the jobs table): which
 * thing each device certificate stands for, when certificates do not carry
 * thing names. Read per request through a short cache.
 */
export class DynamoCertificateStore implements CertificateDirectory {
  private readonly access: TableAccess;
  /** Bindings only: an unbound certificate is looked up again, so a device works the moment it is bound. */
  private readonly cache = new Map<string, { thing: string; until: number }>();

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.access = new TableAccess(db, tableName);
  }

  async thingOf(fingerprint: string): Promise<string | undefined> {
    const cached = this.cache.get(fingerprint);
    if (cached && cached.until > this.now()) return cached.thing;
    const item = await this.access.get(keys.certificate(fingerprint));
    const thing = typeof item?.thingName === 'string' ? item.thingName : undefined;
    if (thing !== undefined) this.cache.set(fingerprint, { thing, until: this.now() + CACHE_MS });
    return thing;
  }

  async bind(fingerprint: string, thingName: string): Promise<void> {
    await this.access.put({ Item: { ...keys.certificate(fingerprint), fingerprint, thingName, boundAt: this.now() } });
  }

  async unbind(fingerprint: string): Promise<void> {
    await this.access.delete({ Key: keys.certificate(fingerprint) });
  }
}
