import { InvalidRequestException } from '../shared/errors';
import type { SettableStatus } from './certificate';
import type { Certificates } from './certificates';

/** What signs certificates the service makes itself: the local runner's development CA (deployed: none). */
export interface CertificateIssuer {
  /** The registered CA certificate it signs with. */
  caCertificateId(): Promise<string>;
  /** A new key pair and a certificate for its public key. */
  createKeysAndCertificate(): Promise<{ certificatePem: string; publicKey: string; privateKey: string }>;
  /** A certificate for a CSR's public key; throws InvalidRequestException for a CSR that is not one. */
  signCsr(csrPem: string): Promise<string>;
}

const NO_ISSUER =
  'This service holds no CA key to sign certificates with: sign device certificates with your own CA and register ' +
  'them (RegisterCACertificate once, then RegisterCertificate; see docs/deploy.md, "Device certificates"), or, ' +
  'locally, start the runner with --tls, whose development CA signs them';

/** CreateKeysAndCertificate and CreateCertificateFromCsr: made, signed and registered in one call, as in AWS IoT. */
export class IssuedCertificates {
  constructor(
    private readonly certificates: Certificates,
    private readonly issuer: CertificateIssuer | undefined,
  ) {}

  async createKeysAndCertificate(input: { setAsActive: boolean }) {
    const issuer = this.required();
    const made = await issuer.createKeysAndCertificate();
    const registered = await this.certificates.registerIssued(
      made.certificatePem,
      await issuer.caCertificateId(),
      statusOf(input.setAsActive),
    );
    return {
      ...registered,
      certificatePem: made.certificatePem,
      keyPair: { PublicKey: made.publicKey, PrivateKey: made.privateKey },
    };
  }

  async createCertificateFromCsr(input: { certificateSigningRequest: string; setAsActive: boolean }) {
    const issuer = this.required();
    const certificatePem = await issuer.signCsr(input.certificateSigningRequest);
    const registered = await this.certificates.registerIssued(
      certificatePem,
      await issuer.caCertificateId(),
      statusOf(input.setAsActive),
    );
    return { ...registered, certificatePem };
  }

  private required(): CertificateIssuer {
    if (!this.issuer) throw new InvalidRequestException(NO_ISSUER);
    return this.issuer;
  }
}

/** As AWS: INACTIVE unless setAsActive. */
const statusOf = (setAsActive: boolean): SettableStatus => (setAsActive ? 'ACTIVE' : 'INACTIVE');
