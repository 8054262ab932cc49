import { createHash, X509Certificate } from 'node:crypto';
import { CertificateValidationException } from '../shared/errors';
import type { ParsedCertificate } from './certificate';

/** One PEM certificate as node:crypto reads it, with the ID AWS gives it: SHA-256 of its DER bytes, lower-case hex. */
export interface X509 {
  parsed: ParsedCertificate;
  x509: X509Certificate;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function readCertificate(field: string, pem: string): X509 {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length !== 1)
    throw new CertificateValidationException(`${field}: must hold exactly one PEM certificate, not ${blocks.length}`);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(blocks[0]!);
  } catch {
    throw new CertificateValidationException(`${field}: is not a valid X.509 certificate`);
  }
  return {
    x509,
    parsed: {
      certificateId: createHash('sha256').update(x509.raw).digest('hex'),
      certificatePem: pem,
      notBefore: Date.parse(x509.validFrom),
      notAfter: Date.parse(x509.validTo),
    },
  };
}

/** The ID of a PEM certificate, or undefined if it is none (what a device presents over TLS). */
export function certificateIdOf(pem: string): string | undefined {
  try {
    return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
  } catch {
    return undefined;
  }
}

/** Signed by this CA: its issuer is the CA's subject, and the CA's key verifies its signature. */
export const isSignedBy = (certificate: X509Certificate, ca: X509Certificate): boolean =>
  certificate.checkIssued(ca) && certificate.verify(ca.publicKey);

/** A CA certificate: X.509 basic constraints say CA:TRUE. */
export const isCa = (certificate: X509Certificate): boolean => certificate.ca;
