import { readFile } from 'node:fs/promises';
import { ServiceError } from '../../lambdas/jobs/shared/errors';
import type { Services } from '../../lambdas/runtime';
import type { DevCertificates } from './dev-certificates';
import { devCertificateIssuer } from './dev-issuer';

/** The development CA as the signer of CreateKeysAndCertificate and CreateCertificateFromCsr. */
export const devIssuerOf = (certificates: DevCertificates) =>
  devCertificateIssuer({ certFile: certificates.caFile, keyFile: certificates.caKeyFile });

/** Already there (a runner started again on its data): what was registered before stays as it is, revoked or not. */
const unlessThere = (error: unknown) => {
  if (error instanceof ServiceError && error.name === 'ResourceAlreadyExistsException') return undefined;
  throw error;
};

/**
 * What `--tls` makes, registered as AWS IoT would hold it: the development CA as an ACTIVE CA certificate, and each
 * `--device-certs` certificate ACTIVE and attached to its thing (created if need be). Run on every start; nothing that
 * exists is changed, so a certificate revoked in an earlier run stays revoked.
 */
export async function registerDevCertificates(services: Services, certificates: DevCertificates): Promise<void> {
  const caPem = await readFile(certificates.caFile, 'utf8');
  await services.caCertificates
    .register({ caCertificate: caPem, setAsActive: true, allowAutoRegistration: false })
    .catch(unlessThere);
  for (const [thingName, pair] of Object.entries(certificates.devices)) {
    const certificatePem = await readFile(pair.certFile, 'utf8');
    const existing = await services.registry.describeThing({ thingName }).catch(() => undefined);
    if (!existing) await services.registry.createThing({ thingName, attributes: {} }).catch(unlessThere);
    const registered = await services.certificates
      .register({ certificatePem, caCertificatePem: caPem, status: 'ACTIVE' })
      .catch((error: unknown) => {
        unlessThere(error);
        return { certificateArn: (error as ServiceError).extraBody.resourceArn as string };
      });
    await services.principals.attach({
      thingName,
      principal: registered.certificateArn,
      thingPrincipalType: 'NON_EXCLUSIVE_THING',
    });
  }
}
