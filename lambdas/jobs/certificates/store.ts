import type { Page, PageQuery } from '../shared/ports';
import type {
  AutoRegistrationStatus,
  CaCertificateRecord,
  CaStatus,
  CertificateRecord,
  CertificateStatus,
  ThingPrincipalType,
} from './certificate';

/** Why a certificate write was refused: what the store saw, for the rules to name the error. */
export type CertificateWriteOutcome =
  | { applied: true }
  | { applied: false; reason: 'exists' | 'missing' | 'caMissing' | 'caInactive' | 'attached' | 'active' | 'status' };

/** What AttachThingPrincipal's one transaction may meet. */
export type AttachOutcome =
  | { applied: true }
  | { applied: false; reason: 'thingMissing' | 'certificateMissing' | 'exclusive' | 'tooMany' };

export interface ListOrder extends PageQuery {
  ascending: boolean;
}

/** Device certificates, their attachments to things, and CA certificates: one item each. */
export interface CertificateStore {
  /** A new certificate, and with a CA its count of certificates one more (the CA must be there and ACTIVE). */
  registerCertificate(record: CertificateRecord): Promise<CertificateWriteOutcome>;
  getCertificate(certificateId: string): Promise<CertificateRecord | undefined>;
  listCertificates(order: ListOrder, caCertificateId?: string): Promise<Page<CertificateRecord>>;
  /** Its status set, only if it is still `from` (what the rules checked the transition against). */
  updateCertificateStatus(
    certificateId: string,
    from: CertificateStatus,
    to: CertificateStatus,
    now: number,
  ): Promise<CertificateWriteOutcome>;
  /** Deleted only if attached to nothing and not ACTIVE; its CA's count of certificates one less. */
  deleteCertificate(record: CertificateRecord): Promise<CertificateWriteOutcome>;

  registerCa(record: CaCertificateRecord): Promise<CertificateWriteOutcome>;
  getCa(certificateId: string): Promise<CaCertificateRecord | undefined>;
  listCas(order: ListOrder): Promise<Page<CaCertificateRecord>>;
  updateCa(
    certificateId: string,
    change: { status?: CaStatus; autoRegistrationStatus?: AutoRegistrationStatus },
    now: number,
  ): Promise<CertificateWriteOutcome>;
  /** Deleted only if it signed no registered certificate and is INACTIVE. */
  deleteCa(certificateId: string): Promise<CertificateWriteOutcome>;

  attach(thingName: string, certificateId: string, type: ThingPrincipalType, now: number): Promise<AttachOutcome>;
  /** The attachment gone (if there was one), and the thing out of the certificate's list. */
  detach(thingName: string, certificate: CertificateRecord): Promise<void>;
  /** The certificates attached to a thing, by ID, with how each is attached. */
  principalsOf(
    thingName: string,
    page: PageQuery,
    type?: ThingPrincipalType,
  ): Promise<Page<{ certificateId: string; thingPrincipalType: ThingPrincipalType }>>;
  thingExists(thingName: string): Promise<boolean>;
  /** Whether any certificate is attached to the thing (DeleteThing refuses then). */
  hasPrincipals(thingName: string): Promise<boolean>;
}
