import { randomUUID } from 'node:crypto';
import { type ArnContext, caCertificateArn } from '../shared/arns';
import type { Clock } from '../shared/clock';
import {
  CertificateStateException,
  CertificateValidationException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '../shared/errors';
import type { CaCertificateRecord } from './certificate';
import type * as inputs from './inputs';
import { isCa, isSignedBy, readCertificate } from './pem';
import type { CertificateStore } from './store';
import { caDescription, caSummary, fromMarker, toMarker } from './views';

/**
 * CA certificates: what RegisterCertificate checks a device certificate's signature against. Registered, described,
 * listed, made ACTIVE or INACTIVE, and deleted once no registered certificate it signed is left.
 */
export class CaCertificates {
  constructor(
    private readonly store: CertificateStore,
    private readonly arns: ArnContext,
    private readonly clock: Clock,
    private readonly newGenerationId: () => string = randomUUID,
  ) {}

  async register(input: inputs.RegisterCaInput & { verificationCertificate?: string }) {
    const ca = readCertificate('caCertificate', input.caCertificate);
    if (!isCa(ca.x509))
      throw new CertificateValidationException('caCertificate: is not a CA certificate (basic constraints CA:FALSE)');
    if (input.verificationCertificate !== undefined) {
      const proof = readCertificate('verificationCertificate', input.verificationCertificate);
      if (!isSignedBy(proof.x509, ca.x509))
        throw new CertificateValidationException('verificationCertificate: is not signed by the CA certificate');
    }
    const now = this.clock();
    const record: CaCertificateRecord = {
      ...ca.parsed,
      status: input.setAsActive ? 'ACTIVE' : 'INACTIVE',
      autoRegistrationStatus: 'DISABLE',
      creationDate: now,
      lastModifiedDate: now,
      customerVersion: 1,
      generationId: this.newGenerationId(),
      certificateCount: 0,
    };
    const arn = caCertificateArn(this.arns, record.certificateId);
    const outcome = await this.store.registerCa(record);
    if (!outcome.applied)
      throw new ResourceAlreadyExistsException('The CA certificate is already registered', record.certificateId, arn);
    return { certificateArn: arn, certificateId: record.certificateId };
  }

  async describe(input: inputs.CertificateIdInput) {
    return { certificateDescription: caDescription(this.arns, await this.existing(input.certificateId)) };
  }

  async list(input: inputs.ListCertificatesInput) {
    const page = await this.store.listCas({
      maxResults: input.maxResults,
      ascending: input.ascending,
      ...(input.nextToken !== undefined ? { nextToken: fromMarker(input.nextToken) } : {}),
    });
    return { certificates: page.items.map((record) => caSummary(this.arns, record)), ...toMarker(page.nextToken) };
  }

  async update(input: inputs.UpdateCaInput): Promise<object> {
    const outcome = await this.store.updateCa(
      input.certificateId,
      {
        ...(input.newStatus ? { status: input.newStatus } : {}),
        ...(input.newAutoRegistrationStatus ? { autoRegistrationStatus: input.newAutoRegistrationStatus } : {}),
      },
      this.clock(),
    );
    if (!outcome.applied) throw this.notFound(input.certificateId);
    return {};
  }

  async delete(input: inputs.CertificateIdInput): Promise<object> {
    const current = await this.existing(input.certificateId);
    this.checkDeletable(current);
    const outcome = await this.store.deleteCa(input.certificateId);
    if (outcome.applied || outcome.reason === 'missing') return {};
    // A certificate registered, or the CA activated, since it was read.
    this.checkDeletable((await this.store.getCa(input.certificateId)) ?? current);
    return {};
  }

  async existing(certificateId: string): Promise<CaCertificateRecord> {
    const record = await this.store.getCa(certificateId);
    if (!record) throw this.notFound(certificateId);
    return record;
  }

  private checkDeletable(ca: CaCertificateRecord): void {
    if (ca.certificateCount > 0) {
      throw new CertificateStateException(
        `CA certificate ${ca.certificateId} signed ${ca.certificateCount} registered certificate(s); delete them first`,
      );
    }
    if (ca.status === 'ACTIVE')
      throw new CertificateStateException(`CA certificate ${ca.certificateId} must be INACTIVE before deletion`);
  }

  private notFound(certificateId: string) {
    return new ResourceNotFoundException(`CA certificate ${certificateId} does not exist`);
  }
}
