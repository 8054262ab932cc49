import {
  AUTO_REGISTRATION_STATUSES,
  CA_STATUSES,
  CERTIFICATE_STATUSES,
  SETTABLE_STATUSES,
  type SettableStatus,
  THING_PRINCIPAL_TYPES,
} from '../../jobs/certificates/certificate';
import type * as inputs from '../../jobs/certificates/inputs';
import { InvalidRequestException } from '../../jobs/shared/errors';
import type { RawRequest } from '../http/raw-request';
import { pageRequest } from './management-requests';
import {
  optionalString,
  queryBoolean,
  queryInteger,
  refuseUnsupported,
  requireObject,
  requireOneOf,
  requireString,
  type StringRule,
  validateThingName,
} from './validation';

/** Request parsers of the certificate and thing-principal operations (iot), with botocore's constraints. */

const PEM: StringRule = { min: 1, max: 65536 };
const CERTIFICATE_ID: StringRule = {
  min: 64,
  max: 64,
  pattern: /^(0x)?[a-fA-F0-9]+$/,
  patternText: '(0x)?[a-fA-F0-9]+',
};
const MARKER: StringRule = {
  min: 0,
  max: 1024,
  pattern: /^[A-Za-z0-9+/]+={0,2}$/,
  patternText: '[A-Za-z0-9+/]+={0,2}',
};
const CSR: StringRule = { min: 1, max: 4096 };
const PAGE_SIZE = { min: 1, max: 250 };
const DEFAULT_PAGE_SIZE = 100;

/** Certificate IDs are hex: AWS's own are lower-case, so an upper-case one names the same certificate. */
const certificateIdOf = (field: string, value: unknown) => requireString(field, value, CERTIFICATE_ID).toLowerCase();

function queryEnum<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  return value === undefined ? undefined : requireOneOf(field, value, allowed);
}

/** A status a caller may set; AWS's own (PENDING_TRANSFER, PENDING_ACTIVATION, REGISTER_INACTIVE) are refused. */
function settableStatus(field: string, value: unknown): SettableStatus | undefined {
  if (value === undefined) return undefined;
  const status = requireOneOf(field, value, CERTIFICATE_STATUSES);
  if (!(SETTABLE_STATUSES as readonly string[]).includes(status))
    throw new InvalidRequestException(`${field}: ${status} is AWS's own status; give ACTIVE, INACTIVE or REVOKED`);
  return status as SettableStatus;
}

/** A list's marker and page size, and its order (newest first unless isAscendingOrder). */
function listRequest(raw: RawRequest): inputs.ListCertificatesInput {
  const marker = optionalString('marker', raw.query.marker, MARKER);
  return {
    maxResults: queryInteger('pageSize', raw.query.pageSize, PAGE_SIZE) ?? DEFAULT_PAGE_SIZE,
    ascending: queryBoolean('isAscendingOrder', raw.query.isAscendingOrder) ?? false,
    ...(marker ? { nextToken: marker } : {}),
  };
}

export function parseRegisterCa(raw: RawRequest): inputs.RegisterCaInput & { verificationCertificate?: string } {
  const body = requireObject('request body', raw.body ?? {});
  refuseUnsupported(body, ['registrationConfig'], 'just-in-time provisioning is not supported by this service');
  if (queryBoolean('allowAutoRegistration', raw.query.allowAutoRegistration)) {
    throw new InvalidRequestException(
      'allowAutoRegistration: just-in-time registration is not supported by this service; register each certificate',
    );
  }
  const verificationCertificate = optionalString('verificationCertificate', body.verificationCertificate, PEM);
  if (body.certificateMode !== undefined)
    requireOneOf('certificateMode', body.certificateMode, ['DEFAULT', 'SNI_ONLY']);
  return {
    caCertificate: requireString('caCertificate', body.caCertificate, PEM),
    setAsActive: queryBoolean('setAsActive', raw.query.setAsActive) ?? false,
    allowAutoRegistration: false,
    ...(verificationCertificate !== undefined ? { verificationCertificate } : {}),
  };
}

/** The status a registration gives: `status`, else setAsActive (deprecated) ACTIVE, else INACTIVE (AWS's default). */
function registrationStatus(raw: RawRequest, body: Record<string, unknown>): SettableStatus {
  return (
    settableStatus('status', body.status) ??
    (queryBoolean('setAsActive', raw.query.setAsActive) ? 'ACTIVE' : 'INACTIVE')
  );
}

export function parseRegisterCertificate(raw: RawRequest): inputs.RegisterCertificateInput {
  const body = requireObject('request body', raw.body ?? {});
  const caCertificatePem = optionalString('caCertificatePem', body.caCertificatePem, PEM);
  return {
    certificatePem: requireString('certificatePem', body.certificatePem, PEM),
    ...(caCertificatePem !== undefined ? { caCertificatePem } : {}),
    status: registrationStatus(raw, body),
  };
}

export function parseRegisterWithoutCa(raw: RawRequest): inputs.RegisterWithoutCaInput {
  const body = requireObject('request body', raw.body ?? {});
  return {
    certificatePem: requireString('certificatePem', body.certificatePem, PEM),
    status: settableStatus('status', body.status) ?? 'INACTIVE',
  };
}

export const parseCertificateId = (raw: RawRequest): inputs.CertificateIdInput => ({
  certificateId: certificateIdOf('certificateId', raw.path.certificateId),
});

export const parseCaCertificateId = (raw: RawRequest): inputs.CertificateIdInput => ({
  certificateId: certificateIdOf('caCertificateId', raw.path.caCertificateId),
});

export const parseListCertificates = listRequest;

export function parseListCas(raw: RawRequest): inputs.ListCertificatesInput {
  refuseUnsupported(raw.query, ['templateName'], 'provisioning templates are not supported by this service');
  return listRequest(raw);
}

export const parseListByCa = (raw: RawRequest): inputs.ListByCaInput => ({
  ...listRequest(raw),
  caCertificateId: certificateIdOf('caCertificateId', raw.path.caCertificateId),
});

export function parseUpdateCertificate(raw: RawRequest): inputs.UpdateCertificateInput {
  const newStatus = settableStatus('newStatus', raw.query.newStatus);
  if (!newStatus) throw new InvalidRequestException('newStatus: is required');
  return { ...parseCertificateId(raw), newStatus };
}

export function parseUpdateCa(raw: RawRequest): inputs.UpdateCaInput {
  const body = requireObject('request body', raw.body ?? {});
  refuseUnsupported(body, ['registrationConfig'], 'just-in-time provisioning is not supported by this service');
  const newStatus = queryEnum('newStatus', raw.query.newStatus, CA_STATUSES);
  const auto = queryEnum('newAutoRegistrationStatus', raw.query.newAutoRegistrationStatus, AUTO_REGISTRATION_STATUSES);
  if (auto === 'ENABLE')
    throw new InvalidRequestException('newAutoRegistrationStatus: just-in-time registration is not supported');
  return {
    ...parseCaCertificateId(raw),
    ...(newStatus ? { newStatus } : {}),
    ...(auto ? { newAutoRegistrationStatus: auto } : {}),
  };
}

export const parseDeleteCertificate = (raw: RawRequest): inputs.DeleteCertificateInput => ({
  ...parseCertificateId(raw),
  forceDelete: queryBoolean('forceDelete', raw.query.forceDelete) ?? false,
});

const principalOf = (raw: RawRequest) => requireString('principal', raw.principal, { min: 1, max: 2048 });

export const parseThingPrincipal = (raw: RawRequest): inputs.ThingPrincipalInput => ({
  thingName: validateThingName(raw.path.thingName),
  principal: principalOf(raw),
});

export const parseAttach = (raw: RawRequest): inputs.AttachInput => ({
  ...parseThingPrincipal(raw),
  thingPrincipalType:
    queryEnum('thingPrincipalType', raw.query.thingPrincipalType, THING_PRINCIPAL_TYPES) ?? 'NON_EXCLUSIVE_THING',
});

export function parseListThingPrincipals(raw: RawRequest): inputs.ListThingPrincipalsInput {
  const type = queryEnum('thingPrincipalType', raw.query.thingPrincipalType, THING_PRINCIPAL_TYPES);
  return {
    ...pageRequest(raw),
    thingName: validateThingName(raw.path.thingName),
    ...(type ? { thingPrincipalType: type } : {}),
  };
}

export function parseListPrincipalThings(raw: RawRequest): inputs.ListPrincipalThingsInput {
  const type = queryEnum('thingPrincipalType', raw.query.thingPrincipalType, THING_PRINCIPAL_TYPES);
  return { ...pageRequest(raw), principal: principalOf(raw), ...(type ? { thingPrincipalType: type } : {}) };
}

/** CreateKeysAndCertificate and CreateCertificateFromCsr: the status the new certificate gets. */
export const parseSetAsActive = (raw: RawRequest): { setAsActive: boolean } => ({
  setAsActive: queryBoolean('setAsActive', raw.query.setAsActive) ?? false,
});

export function parseCreateFromCsr(raw: RawRequest): { certificateSigningRequest: string; setAsActive: boolean } {
  const body = requireObject('request body', raw.body ?? {});
  return {
    certificateSigningRequest: requireString('certificateSigningRequest', body.certificateSigningRequest, CSR),
    ...parseSetAsActive(raw),
  };
}
