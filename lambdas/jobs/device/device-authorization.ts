import type { CertificateStatus } from '../certificates/certificate';
import { AccessDeniedException } from '../shared/errors';

/**
 * Who may touch a thing's jobs.
 * - `open`: anyone (the local runner without --tls, a sandbox without mutual TLS).
 * - `principal`: AWS IoT's rule. Only a device whose client certificate is registered, ACTIVE, and attached to that
 *   thing (AttachThingPrincipal). Its certificate item is read on every request, so an INACTIVE or REVOKED
 *   certificate is refused on its very next one.
 * - `subject-cn`: only the device whose client certificate's subject common name (CN) is that thing's name, for a
 *   fleet whose certificates are vouched for by the truststore alone (no registration, no call per request).
 */
export type DeviceAuthPolicy = 'open' | 'principal' | 'subject-cn';
export const DEVICE_AUTH_POLICIES: readonly DeviceAuthPolicy[] = ['open', 'principal', 'subject-cn'];

/** What the transport says about the caller: the verified client certificate, if any. */
export interface DeviceCaller {
  clientCertificateSubject?: string;
  /** SHA-256 of the certificate (DER), lower-case hex: its certificate ID. */
  clientCertificateFingerprint?: string;
}

/** What a registered certificate says about the device holding it. */
export interface CertificateIdentity {
  status: CertificateStatus;
  things: readonly string[];
}

/** The certificate registry, as device requests read it. */
export interface CertificateDirectory {
  identityOf(certificateId: string): Promise<CertificateIdentity | undefined>;
}

/**
 * The CN of a distinguished name such as `CN=t1,OU=devices,O=Acme`, exactly
 * as written (RFC 4514: `\,` escapes a comma, `\ ` a space). Only the space
 * that may follow a separating comma is not part of it; any other white space
 * is, so `CN=t2 ` is not t2. A subject with more than one CN is ambiguous and
 * names no thing.
 */
export function commonNameOf(subject: string): string | undefined {
  const parts = subject.split(/(?<!\\)[,+]/).map((part) => part.replace(/^ +/, ''));
  const names = parts.filter((part) => /^CN=/i.test(part));
  return names.length === 1 ? names[0]!.slice(3).replace(/\\(.)/g, '$1') : undefined;
}

function authorizeByCommonName(caller: DeviceCaller, thingName: string): void {
  const thing =
    caller.clientCertificateSubject === undefined ? undefined : commonNameOf(caller.clientCertificateSubject);
  if (thing === undefined)
    throw new AccessDeniedException(
      'This API requires a client certificate that names one thing (exactly one subject CN)',
    );
  if (thing !== thingName)
    throw new AccessDeniedException(`The client certificate is for thing ${thing}, not ${thingName}`);
}

async function authorizeByPrincipal(
  caller: DeviceCaller,
  thingName: string,
  directory: CertificateDirectory,
): Promise<void> {
  const certificateId = caller.clientCertificateFingerprint;
  if (!certificateId) throw new AccessDeniedException('This API requires a client certificate');
  const identity = await directory.identityOf(certificateId);
  if (!identity) throw new AccessDeniedException(`The client certificate ${certificateId} is not registered`);
  if (identity.status !== 'ACTIVE')
    throw new AccessDeniedException(`The client certificate ${certificateId} is ${identity.status}, not ACTIVE`);
  if (!identity.things.includes(thingName))
    throw new AccessDeniedException(`The client certificate ${certificateId} is not attached to thing ${thingName}`);
}

/** Throws AccessDeniedException unless the policy lets this caller act for `thingName`. */
export async function authorizeDevice(
  policy: DeviceAuthPolicy,
  caller: DeviceCaller,
  thingName: string,
  directory?: CertificateDirectory,
): Promise<void> {
  if (policy === 'open') return;
  if (policy === 'subject-cn') return authorizeByCommonName(caller, thingName);
  if (!directory) throw new AccessDeniedException('No certificate registry is configured');
  await authorizeByPrincipal(caller, thingName, directory);
}
