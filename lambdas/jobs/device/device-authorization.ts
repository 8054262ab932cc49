import { AccessDeniedException } from '../shared/errors';

/**
 * Who may touch a thing's jobs.
 * - `open`: anyone (the local runner by default, a sandbox without mutual TLS).
 * - `certificate`: only the device whose client certificate's subject common
 *   name (CN) is that thing's name.
 * - `certificate-table`: only the device whose client certificate is bound to
 *   that thing in the certificate table (by the certificate's SHA-256
 *   fingerprint), for fleets whose certificates do not carry thing names.
 */
export type DeviceAuthPolicy = 'open' | 'certificate' | 'certificate-table';
export const DEVICE_AUTH_POLICIES: readonly DeviceAuthPolicy[] = ['open', 'certificate', 'certificate-table'];

/** What the transport says about the caller: the verified client certificate, if any. */
export interface DeviceCaller {
  clientCertificateSubject?: string;
  /** SHA-256 of the certificate (DER), lower-case hex. */
  clientCertificateFingerprint?: string;
}

/** The certificate table: which thing a certificate stands for. */
export interface CertificateDirectory {
  thingOf(fingerprint: string): Promise<string | undefined>;
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

async function callerThing(
  policy: Exclude<DeviceAuthPolicy, 'open'>,
  caller: DeviceCaller,
  directory?: CertificateDirectory,
): Promise<string | undefined> {
  if (policy === 'certificate')
    return caller.clientCertificateSubject === undefined ? undefined : commonNameOf(caller.clientCertificateSubject);
  if (!caller.clientCertificateFingerprint || !directory) return undefined;
  return await directory.thingOf(caller.clientCertificateFingerprint);
}

/** Throws AccessDeniedException unless the policy lets this caller act for `thingName`. */
export async function authorizeDevice(
  policy: DeviceAuthPolicy,
  caller: DeviceCaller,
  thingName: string,
  directory?: CertificateDirectory,
): Promise<void> {
  if (policy === 'open') return;
  const thing = await callerThing(policy, caller, directory);
  if (thing === undefined) {
    throw new AccessDeniedException(
      policy === 'certificate'
        ? 'This API requires a client certificate that names one thing (exactly one subject CN)'
        : 'The client certificate is not bound to any thing',
    );
  }
  if (thing !== thingName)
    throw new AccessDeniedException(`The client certificate is for thing ${thing}, not ${thingName}`);
}
