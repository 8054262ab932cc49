import { AccessDeniedException } from './errors';

/**
 * Who may touch a thing's jobs. `open`: anyone (the local runner by default,
 * a sandbox without mutual TLS). `certificate`: only the device whose client
 * certificate names that thing, by the common name (CN) of its subject.
 */
export type DeviceAuthPolicy = 'open' | 'certificate';

/** The CN of a distinguished name such as `CN=t1,OU=devices,O=Acme` (RFC 4514: `\,` escapes a comma). */
export function commonNameOf(subject: string): string | undefined {
  const parts = subject.split(/(?<!\\),/).map((part) => part.trim());
  const cn = parts.find((part) => /^CN=/i.test(part));
  return cn?.slice(3).replace(/\\(.)/g, '$1');
}

/** Throws AccessDeniedException unless the policy lets this caller act for `thingName`. */
export function authorizeThing(policy: DeviceAuthPolicy, clientCertificateSubject: string | undefined, thingName: string): void {
  if (policy === 'open') return;
  const caller = clientCertificateSubject === undefined ? undefined : commonNameOf(clientCertificateSubject);
  if (caller === undefined) throw new AccessDeniedException('This API requires a client certificate that names a thing (its subject CN)');
  if (caller !== thingName) throw new AccessDeniedException(`The client certificate is for thing ${caller}, not ${thingName}`);
}
