import type { PageQuery } from '../shared/ports';
import type { AutoRegistrationStatus, CaStatus, SettableStatus, ThingPrincipalType } from './certificate';

/** The inputs of the certificate operations, as the request parsers give them. */

export interface RegisterCaInput {
  caCertificate: string;
  setAsActive: boolean;
  allowAutoRegistration: boolean;
}

export interface RegisterCertificateInput {
  certificatePem: string;
  caCertificatePem?: string;
  status: SettableStatus;
}

export interface RegisterWithoutCaInput {
  certificatePem: string;
  status: SettableStatus;
}

export interface CertificateIdInput {
  certificateId: string;
}

export interface ListCertificatesInput extends PageQuery {
  ascending: boolean;
}

export interface ListByCaInput extends ListCertificatesInput {
  caCertificateId: string;
}

export interface UpdateCertificateInput extends CertificateIdInput {
  newStatus: SettableStatus;
}

export interface UpdateCaInput extends CertificateIdInput {
  newStatus?: CaStatus;
  newAutoRegistrationStatus?: AutoRegistrationStatus;
}

export interface DeleteCertificateInput extends CertificateIdInput {
  forceDelete: boolean;
}

export interface ThingPrincipalInput {
  thingName: string;
  /** A certificate ARN. */
  principal: string;
}

export interface AttachInput extends ThingPrincipalInput {
  thingPrincipalType: ThingPrincipalType;
}

export interface ListThingPrincipalsInput extends PageQuery {
  thingName: string;
  thingPrincipalType?: ThingPrincipalType;
}

export interface ListPrincipalThingsInput extends PageQuery {
  principal: string;
  thingPrincipalType?: ThingPrincipalType;
}
