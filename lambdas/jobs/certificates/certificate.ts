/** Device certificates and the CA certificates that sign them, as the registry holds them. */

export const CERTIFICATE_STATUSES = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
/** What a caller may give a certificate (at registration, or by UpdateCertificate); the others are AWS's own. */
export const SETTABLE_STATUSES = ['ACTIVE', 'INACTIVE', 'REVOKED'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

export const CA_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type CaStatus = (typeof CA_STATUSES)[number];
export const AUTO_REGISTRATION_STATUSES = ['ENABLE', 'DISABLE'] as const;
export type AutoRegistrationStatus = (typeof AUTO_REGISTRATION_STATUSES)[number];

export const THING_PRINCIPAL_TYPES = ['EXCLUSIVE_THING', 'NON_EXCLUSIVE_THING'] as const;
export type ThingPrincipalType = (typeof THING_PRINCIPAL_TYPES)[number];

/** What the PEM itself says: its ID (SHA-256 of the DER, hex) and validity. */
export interface ParsedCertificate {
  certificateId: string;
  /** The PEM as the caller gave it. */
  certificatePem: string;
  notBefore: number;
  notAfter: number;
}

export interface CertificateRecord extends ParsedCertificate {
  status: CertificateStatus;
  /** The registered CA that signed it (RegisterCertificate), absent for RegisterCertificateWithoutCA. */
  caCertificateId?: string;
  creationDate: number;
  lastModifiedDate: number;
  customerVersion: number;
  generationId: string;
  /** The things it is attached to. */
  things: string[];
  /** The one thing it is attached to exclusively (EXCLUSIVE_THING), if any. */
  exclusiveThing?: string;
}

export interface CaCertificateRecord extends ParsedCertificate {
  status: CaStatus;
  autoRegistrationStatus: AutoRegistrationStatus;
  creationDate: number;
  lastModifiedDate: number;
  customerVersion: number;
  generationId: string;
  /** How many registered device certificates it signed: it may not be deleted while there are any. */
  certificateCount: number;
}

/**
 * Whether UpdateCertificate may take a certificate from `from` to `to`: a REVOKED certificate stays revoked (it is
 * reissued, never brought back), and a certificate in one of AWS's own transfer states is not the caller's to change.
 */
export function transitionRefusal(from: CertificateStatus, to: SettableStatus): string | undefined {
  if (from === to) return undefined;
  if (from === 'REVOKED') return 'it is REVOKED, and a revoked certificate cannot be given another status';
  if (from === 'PENDING_TRANSFER') return 'it is PENDING_TRANSFER';
  return undefined;
}

/** At most this many things per certificate (ours: the certificate item holds their names). */
export const MAX_THINGS_PER_CERTIFICATE = 1000;
