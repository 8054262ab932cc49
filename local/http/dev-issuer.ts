import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CertificateIssuer } from '../../lambdas/jobs/certificates/issuer';
import { InvalidRequestException } from '../../lambdas/jobs/shared/errors';

const run = promisify(execFile);

/** The development CA of --tls as an issuer: CreateKeysAndCertificate and CreateCertificateFromCsr sign with it. */
export function devCertificateIssuer(ca: { certFile: string; keyFile: string }): CertificateIssuer {
  const inScratch = async <T>(work: (dir: string) => Promise<T>): Promise<T> => {
    const dir = await mkdtemp(join(tmpdir(), 'iot-issue-'));
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const sign = async (dir: string, csr: string) => {
    const out = join(dir, 'cert.pem');
    // A device certificate as AWS IoT makes them: client authentication, two years.
    await writeFile(join(dir, 'ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    const args = ['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial'];
    await run('openssl', [...args, '-days', '730', '-sha256', '-extfile', join(dir, 'ext'), '-out', out]);
    return await readFile(out, 'utf8');
  };
  return {
    caCertificateId: async () =>
      createHash('sha256')
        .update(new X509Certificate(await readFile(ca.certFile)).raw)
        .digest('hex'),
    createKeysAndCertificate: () =>
      inScratch(async (dir) => {
        const key = join(dir, 'key.pem');
        const csr = join(dir, 'req.csr');
        await run('openssl', [
          'req',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-subj',
          '/CN=AWS IoT Certificate',
          '-keyout',
          key,
          '-out',
          csr,
        ]);
        const certificatePem = await sign(dir, csr);
        const publicKey = (await run('openssl', ['pkey', '-in', key, '-pubout'])).stdout;
        return { certificatePem, publicKey, privateKey: await readFile(key, 'utf8') };
      }),
    signCsr: (csrPem) =>
      inScratch(async (dir) => {
        const csr = join(dir, 'req.csr');
        await writeFile(csr, csrPem);
        try {
          await run('openssl', ['req', '-in', csr, '-verify', '-noout']);
        } catch {
          throw new InvalidRequestException(
            'certificateSigningRequest: is not a valid PEM certificate signing request',
          );
        }
        return await sign(dir, csr);
      }),
  };
}
