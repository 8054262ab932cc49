import { type ArnContext, caCertificateArn, certificateArn } from '../shared/arns';
import { InvalidRequestException } from '../shared/errors';
import type { CaCertificateRecord, CertificateRecord } from './certificate';

/** What the certificate operations answer, in AWS's shapes (dates in epoch seconds). */

const seconds = (ms: number) => ms / 1000;

export const certificateSummary = (ctx: ArnContext, record: CertificateRecord) => ({
  certificateArn: certificateArn(ctx, record.certificateId),
  certificateId: record.certificateId,
  status: record.status,
  certificateMode: 'DEFAULT',
  creationDate: seconds(record.creationDate),
});

export const certificateDescription = (ctx: ArnContext, record: CertificateRecord) => ({
  ...certificateSummary(ctx, record),
  ...(record.caCertificateId ? { caCertificateId: record.caCertificateId } : {}),
  certificatePem: record.certificatePem,
  ownedBy: ctx.account,
  lastModifiedDate: seconds(record.lastModifiedDate),
  customerVersion: record.customerVersion,
  generationId: record.generationId,
  transferData: {},
  validity: { notBefore: seconds(record.notBefore), notAfter: seconds(record.notAfter) },
});

export const caSummary = (ctx: ArnContext, record: CaCertificateRecord) => ({
  certificateArn: caCertificateArn(ctx, record.certificateId),
  certificateId: record.certificateId,
  status: record.status,
  creationDate: seconds(record.creationDate),
});

export const caDescription = (ctx: ArnContext, record: CaCertificateRecord) => ({
  ...caSummary(ctx, record),
  certificatePem: record.certificatePem,
  ownedBy: ctx.account,
  autoRegistrationStatus: record.autoRegistrationStatus,
  lastModifiedDate: seconds(record.lastModifiedDate),
  customerVersion: record.customerVersion,
  generationId: record.generationId,
  validity: { notBefore: seconds(record.notBefore), notAfter: seconds(record.notAfter) },
  certificateMode: 'DEFAULT',
});

/** AWS's list markers are base64 (`[A-Za-z0-9+/]+={0,2}`); the store's page tokens are base64url. */
export const toMarker = (token: string | undefined) =>
  token === undefined ? {} : { nextMarker: Buffer.from(token, 'base64url').toString('base64') };
export function fromMarker(marker: string): string {
  const token = Buffer.from(marker, 'base64').toString('base64url');
  if (!token) throw new InvalidRequestException('marker: is not a marker this list issued; start again without one');
  return token;
}
