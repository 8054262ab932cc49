import { randomUUID } from 'node:crypto';
import { type ArnContext, certificateArn } from '../shared/arns';
import type { Clock } from '../shared/clock';
import {
  CertificateConflictException,
  CertificateStateException,
  CertificateValidationException,
  DeleteConflictException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '../shared/errors';
import type { CaCertificateRecord, CertificateRecord, ParsedCertificate, SettableStatus } from './certificate';
import { transitionRefusal } from './certificate';
import type * as inputs from './inputs';
import { isSignedBy, readCertificate, type X509 } from './pem';
import type { CertificateStore } from './store';
import { certificateDescription, certificateSummary, fromMarker, toMarker } from './views';

/** CAs read per page while looking for the one that signed a certificate. */
const CA_PAGE = 250;
const UPDATE_ATTEMPTS = 3;

/**
 * Device certificates: registered (signed by a registered CA, or without one), described, listed, given a status,
 * deleted, as AWS IoT's certificate operations do. A certificate is known by its ID, the SHA-256 of its DER.
 */
export class Certificates {
  constructor(
    private readonly store: CertificateStore,
    private readonly arns: ArnContext,
    private readonly clock: Clock,
    private readonly newGenerationId: () => string = randomUUID,
  ) {}

  async register(input: inputs.RegisterCertificateInput) {
    const certificate = readCertificate('certificatePem', input.certificatePem);
    const ca = await this.signerOf(certificate, input.caCertificatePem);
    if (ca.status !== 'ACTIVE')
      throw new CertificateStateException(`The CA certificate ${ca.certificateId} that signed it is not ACTIVE`);
    return this.save(certificate.parsed, input.status, ca.certificateId);
  }

  registerWithoutCa(input: inputs.RegisterWithoutCaInput) {
    return this.save(readCertificate('certificatePem', input.certificatePem).parsed, input.status);
  }

  /** A certificate made here (CreateKeysAndCertificate, CreateCertificateFromCsr), signed by a registered CA. */
  registerIssued(pem: string, caCertificateId: string, status: SettableStatus) {
    return this.save(readCertificate('certificatePem', pem).parsed, status, caCertificateId);
  }

  async describe(input: inputs.CertificateIdInput) {
    return { certificateDescription: certificateDescription(this.arns, await this.existing(input.certificateId)) };
  }

  async list(input: inputs.ListCertificatesInput, caCertificateId?: string) {
    const page = await this.store.listCertificates(
      {
        maxResults: input.maxResults,
        ascending: input.ascending,
        ...(input.nextToken !== undefined ? { nextToken: fromMarker(input.nextToken) } : {}),
      },
      caCertificateId,
    );
    return {
      certificates: page.items.map((record) => certificateSummary(this.arns, record)),
      ...toMarker(page.nextToken),
    };
  }

  listByCa(input: inputs.ListByCaInput) {
    return this.list(input, input.caCertificateId);
  }

  async update(input: inputs.UpdateCertificateInput): Promise<object> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const current = await this.existing(input.certificateId);
      const refusal = transitionRefusal(current.status, input.newStatus);
      if (refusal)
        throw new CertificateStateException(
          `Certificate ${input.certificateId} cannot be ${input.newStatus}: ${refusal}`,
        );
      if (current.status === input.newStatus) return {};
      const outcome = await this.store.updateCertificateStatus(
        input.certificateId,
        current.status,
        input.newStatus,
        this.clock(),
      );
      if (outcome.applied) return {};
      if (outcome.reason === 'missing') throw this.notFound(input.certificateId);
      // Its status changed meanwhile: judge the transition again from the new one.
    }
    throw new ServiceUnavailableException(`Certificate ${input.certificateId} keeps changing; retry`);
  }

  async delete(input: inputs.DeleteCertificateInput): Promise<object> {
    const current = await this.existing(input.certificateId);
    if (current.status === 'ACTIVE') throw this.stillActive(input.certificateId);
    if (current.things.length > 0) throw this.stillAttached(input.certificateId);
    const outcome = await this.store.deleteCertificate(current);
    if (outcome.applied || outcome.reason === 'missing') return {};
    // Activated or attached since it was read.
    if (outcome.reason === 'active') throw this.stillActive(input.certificateId);
    throw this.stillAttached(input.certificateId);
  }

  async existing(certificateId: string): Promise<CertificateRecord> {
    const record = await this.store.getCertificate(certificateId);
    if (!record) throw this.notFound(certificateId);
    return record;
  }

  private async save(parsed: ParsedCertificate, status: SettableStatus, caCertificateId?: string) {
    const now = this.clock();
    const record: CertificateRecord = {
      ...parsed,
      status,
      ...(caCertificateId ? { caCertificateId } : {}),
      creationDate: now,
      lastModifiedDate: now,
      customerVersion: 1,
      generationId: this.newGenerationId(),
      things: [],
    };
    const outcome = await this.store.registerCertificate(record);
    const arn = certificateArn(this.arns, parsed.certificateId);
    if (!outcome.applied) {
      if (outcome.reason === 'exists')
        throw new ResourceAlreadyExistsException('The certificate is already registered', parsed.certificateId, arn);
      if (outcome.reason === 'caInactive')
        throw new CertificateStateException(`The CA certificate ${caCertificateId} that signed it is not ACTIVE`);
      throw new CertificateValidationException(`The CA certificate ${caCertificateId} is no longer registered`);
    }
    return { certificateArn: arn, certificateId: parsed.certificateId };
  }

  /** The registered CA that signed the certificate: the one named, or the only registered one that did. */
  private async signerOf(certificate: X509, caPem: string | undefined): Promise<CaCertificateRecord> {
    if (caPem !== undefined) {
      const ca = readCertificate('caCertificatePem', caPem);
      const record = await this.store.getCa(ca.parsed.certificateId);
      if (!record) throw new CertificateValidationException('caCertificatePem: is not a registered CA certificate');
      if (!isSignedBy(certificate.x509, ca.x509))
        throw new CertificateValidationException('certificatePem: is not signed by the CA certificate given');
      return record;
    }
    const signers: CaCertificateRecord[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.store.listCas({
        maxResults: CA_PAGE,
        ascending: true,
        ...(nextToken ? { nextToken } : {}),
      });
      for (const ca of page.items)
        if (isSignedBy(certificate.x509, readCertificate('CA', ca.certificatePem).x509)) signers.push(ca);
      nextToken = page.nextToken;
    } while (nextToken);
    if (signers.length === 0)
      throw new CertificateValidationException('certificatePem: is not signed by any registered CA certificate');
    if (signers.length > 1) {
      throw new CertificateConflictException(
        'certificatePem: more than one registered CA certificate could have signed it; give caCertificatePem',
      );
    }
    return signers[0]!;
  }

  private notFound(certificateId: string) {
    return new ResourceNotFoundException(`Certificate ${certificateId} does not exist`);
  }

  private stillActive(certificateId: string) {
    return new CertificateStateException(
      `Certificate must be deactivated (not ACTIVE) before deletion. Id: ${certificateId}`,
    );
  }

  private stillAttached(certificateId: string) {
    return new DeleteConflictException(
      `Things must be detached before deletion (arn: ${certificateArn(this.arns, certificateId)})`,
    );
  }
}
