import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and device certificates it signed, made with openssl at once (for tests whose cases are built on load). */
export interface TestCertificates {
  caPem: string;
  caKeyFile: string;
  caFile: string;
  devices: Record<string, { pem: string; certFile: string; keyFile: string }>;
}

/** A certificate's ID as AWS IoT gives it: the SHA-256 of its DER, lower-case hex. */
export const certificateIdOf = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

export function makeTestCertificates(names: readonly string[]): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'test-certs-'));
  const caKeyFile = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.pem');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=test CA',
    '-keyout',
    caKeyFile,
    '-out',
    caFile,
  );
  const devices: TestCertificates['devices'] = {};
  for (const name of names) {
    const keyFile = join(dir, `${name}.key`);
    const certFile = join(dir, `${name}.pem`);
    const csr = join(dir, `${name}.csr`);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', keyFile, '-out', csr);
    writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    openssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caFile,
      '-CAkey',
      caKeyFile,
      '-CAcreateserial',
      '-days',
      '30',
      '-sha256',
      '-extfile',
      join(dir, 'client.ext'),
      '-out',
      certFile,
    );
    devices[name] = { pem: readFileSync(certFile, 'utf8'), certFile, keyFile };
  }
  return { caPem: readFileSync(caFile, 'utf8'), caKeyFile, caFile, devices };
}
