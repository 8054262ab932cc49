import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  AutoRegistrationStatus,
  CaCertificateRecord,
  CaStatus,
  CertificateRecord,
  CertificateStatus,
  ThingPrincipalType,
} from '../../jobs/certificates/certificate';
import type {
  AttachOutcome,
  CertificateStore,
  CertificateWriteOutcome,
  ListOrder,
} from '../../jobs/certificates/store';
import type { CertificateDirectory, CertificateIdentity } from '../../jobs/device/device-authorization';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { keys } from '../table/keys';
import { TableAccess } from '../table/table-access';
import {
  certificateListPageKey,
  certificateListQuery,
  deleteCaParams,
  deleteCertificateWrites,
  fromCaItem,
  fromCertificateItem,
  registerCaParams,
  registerCertificateWrites,
  updateCaParams,
  updateStatusParams,
} from './certificate-items';
import {
  ATTACH_WRITE,
  attachWrites,
  detachWrites,
  thingPrincipalsPageKey,
  thingPrincipalsQuery,
} from './principal-items';

const APPLIED = { applied: true } as const;
const refused = (reason: Exclude<CertificateWriteOutcome, { applied: true }>['reason']) =>
  ({ applied: false, reason }) as const;
const failed = (reasons: (string | undefined)[], index: number) => reasons[index] === 'ConditionalCheckFailed';

/** Certificates, CA certificates and their attachments to things, on the jobs table. */
export class DynamoCertificateStore implements CertificateStore, CertificateDirectory {
  private readonly access: TableAccess;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.access = new TableAccess(db, tableName);
  }

  /** What a device request over mutual TLS reads: one GetItem of the certificate's status and things, no cache. */
  async identityOf(certificateId: string): Promise<CertificateIdentity | undefined> {
    // The whole item: a PEM and a few names fit one read unit, as the two attributes would.
    const item = await this.access.get(keys.certificate(certificateId));
    if (!item) return undefined;
    const record = fromCertificateItem(item);
    return { status: record.status, things: record.things };
  }

  async registerCertificate(record: CertificateRecord): Promise<CertificateWriteOutcome> {
    const outcome = await this.access.transactWrite(registerCertificateWrites(record));
    if (outcome.applied) return APPLIED;
    if (failed(outcome.reasons, 0)) return refused('exists');
    if (!failed(outcome.reasons, 1)) throw new Error(`RegisterCertificate was canceled: ${outcome.reasons.join(', ')}`);
    return refused((await this.getCa(record.caCertificateId!)) ? 'caInactive' : 'caMissing');
  }

  async getCertificate(certificateId: string): Promise<CertificateRecord | undefined> {
    const item = await this.access.get(keys.certificate(certificateId));
    return item ? fromCertificateItem(item) : undefined;
  }

  async listCertificates(order: ListOrder, caCertificateId?: string): Promise<Page<CertificateRecord>> {
    const list = keys.certificateList;
    const page = await this.access.queryPage(
      caCertificateId ? `certificates-by-ca#${caCertificateId}#${order.ascending}` : `certificates#${order.ascending}`,
      order,
      certificateListQuery(list, order.ascending, caCertificateId),
      certificateListPageKey(list),
    );
    return { items: page.items.map(fromCertificateItem), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async updateCertificateStatus(
    certificateId: string,
    from: CertificateStatus,
    to: CertificateStatus,
    now: number,
  ): Promise<CertificateWriteOutcome> {
    const outcome = await this.access.update(updateStatusParams(certificateId, from, to, now));
    return outcome.applied ? APPLIED : refused(outcome.item ? 'status' : 'missing');
  }

  async deleteCertificate(record: CertificateRecord): Promise<CertificateWriteOutcome> {
    const outcome = await this.access.transactWrite(deleteCertificateWrites(record));
    if (outcome.applied) return APPLIED;
    const current = await this.getCertificate(record.certificateId);
    if (!current) return refused('missing');
    return refused(current.status === 'ACTIVE' ? 'active' : 'attached');
  }

  async registerCa(record: CaCertificateRecord): Promise<CertificateWriteOutcome> {
    return (await this.access.put(registerCaParams(record))).applied ? APPLIED : refused('exists');
  }

  async getCa(certificateId: string): Promise<CaCertificateRecord | undefined> {
    const item = await this.access.get(keys.caCertificate(certificateId));
    return item ? fromCaItem(item) : undefined;
  }

  async listCas(order: ListOrder): Promise<Page<CaCertificateRecord>> {
    const list = keys.caCertificateList;
    const page = await this.access.queryPage(
      `ca-certificates#${order.ascending}`,
      order,
      certificateListQuery(list, order.ascending),
      certificateListPageKey(list),
    );
    return { items: page.items.map(fromCaItem), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async updateCa(
    certificateId: string,
    change: { status?: CaStatus; autoRegistrationStatus?: AutoRegistrationStatus },
    now: number,
  ): Promise<CertificateWriteOutcome> {
    return (await this.access.update(updateCaParams(certificateId, change, now))).applied
      ? APPLIED
      : refused('missing');
  }

  async deleteCa(certificateId: string): Promise<CertificateWriteOutcome> {
    const outcome = await this.access.delete(deleteCaParams(certificateId));
    return outcome.applied ? APPLIED : refused(outcome.item ? 'status' : 'missing');
  }

  async attach(
    thingName: string,
    certificateId: string,
    type: ThingPrincipalType,
    now: number,
  ): Promise<AttachOutcome> {
    const outcome = await this.access.transactWrite(attachWrites(thingName, certificateId, type, now));
    if (outcome.applied) return APPLIED;
    if (failed(outcome.reasons, ATTACH_WRITE.thing)) return { applied: false, reason: 'thingMissing' };
    if (!failed(outcome.reasons, ATTACH_WRITE.certificate))
      throw new Error(`AttachThingPrincipal was canceled: ${outcome.reasons.join(', ')}`);
    const current = await this.getCertificate(certificateId);
    if (!current) return { applied: false, reason: 'certificateMissing' };
    const exclusiveElsewhere = current.exclusiveThing !== undefined && current.exclusiveThing !== thingName;
    if (type === 'NON_EXCLUSIVE_THING' && !exclusiveElsewhere) return { applied: false, reason: 'tooMany' };
    return { applied: false, reason: 'exclusive' };
  }

  async detach(thingName: string, certificate: CertificateRecord): Promise<void> {
    const outcome = await this.access.transactWrite(
      detachWrites(thingName, certificate.certificateId, certificate.exclusiveThing === thingName),
    );
    // The certificate was deleted meanwhile: nothing is attached to it any more but the thing's item, now gone.
    if (!outcome.applied) await this.access.delete({ Key: keys.thingPrincipal(thingName, certificate.certificateId) });
  }

  async principalsOf(
    thingName: string,
    page: PageQuery,
    type?: ThingPrincipalType,
  ): Promise<Page<{ certificateId: string; thingPrincipalType: ThingPrincipalType }>> {
    const result = await this.access.queryPage(
      `thing-principals#${thingName}#${type ?? ''}`,
      page,
      thingPrincipalsQuery(thingName, type),
      thingPrincipalsPageKey(thingName),
    );
    return {
      items: result.items.map((item) => ({
        certificateId: (item.sk as string).slice(keys.thingPrincipalPrefix.length),
        thingPrincipalType: item.thingPrincipalType as ThingPrincipalType,
      })),
      ...(result.nextToken ? { nextToken: result.nextToken } : {}),
    };
  }

  async hasPrincipals(thingName: string): Promise<boolean> {
    const result = await this.access.query({ ...thingPrincipalsQuery(thingName), Limit: 1 });
    return (result.Items?.length ?? 0) > 0;
  }

  async thingExists(thingName: string): Promise<boolean> {
    return (await this.access.get(keys.thing(thingName), 'pk')) !== undefined;
  }
}
