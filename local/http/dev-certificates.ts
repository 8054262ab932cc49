import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validateThingName } from '../../lambdas/api/requests/validation';

const run = promisify(execFile);

/** PEM files of one identity. */
export interface KeyPair {
  keyFile: string;
  certFile: string;
}

export interface DevCertificates {
  /** The development CA: the truststore of the local device API, and the CA devices trust for it. */
  caFile: string;
  /** Its key: CreateKeysAndCertificate signs with it. */
  caKeyFile: string;
  /** The local device API's own certificate, for localhost and 127.0.0.1. */
  server: KeyPair;
  /** One per thing asked for, its subject CN the thing name. */
  devices: Record<string, KeyPair>;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT')
      throw new Error('--tls needs the openssl command (e.g. apt-get install openssl)');
    throw error;
  }
}

/**
 * A key and a certificate signed by the development CA; kept if they exist, so devices keep working across restarts.
 */
async function issue(dir: string, name: string, subject: string, ca: KeyPair, extensions?: string): Promise<KeyPair> {
  const pair = { keyFile: join(dir, `${name}.key`), certFile: join(dir, `${name}.pem`) };
  if (existsSync(pair.keyFile) && existsSync(pair.certFile)) return pair;
  const csr = join(dir, `${name}.csr`);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', pair.keyFile, '-out', csr]);
  const signArgs = [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-days',
    '825',
    '-sha256',
    '-out',
    pair.certFile,
  ];
  if (extensions) {
    const extFile = join(dir, `${name}.ext`);
    await writeFile(extFile, extensions);
    signArgs.push('-extfile', extFile);
  }
  await openssl(signArgs);
  return pair;
}

/**
 * A development CA, a server certificate and device certificates under
 * `dir`, made with openssl on first use. For the local runner's --tls mode
 * only: the CA key sits next to everything else.
 */
export async function ensureDevCertificates(dir: string, things: readonly string[]): Promise<DevCertificates> {
  await mkdir(join(dir, 'devices'), { recursive: true });
  const ca = { keyFile: join(dir, 'ca.key'), certFile: join(dir, 'ca.pem') };
  if (!existsSync(ca.certFile)) {
    await openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      '/CN=open-iot-jobs local development CA',
      '-keyout',
      ca.keyFile,
      '-out',
      ca.certFile,
    ]);
  }
  const server = await issue(
    dir,
    'server',
    '/CN=localhost',
    ca,
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  const devices: Record<string, KeyPair> = {};
  for (const thing of things) {
    validateThingName(thing);
    devices[thing] = await issue(
      join(dir, 'devices'),
      thing,
      `/CN=${thing}/O=open-iot-jobs local`,
      ca,
      'extendedKeyUsage=clientAuth\n',
    );
  }
  return { caFile: ca.certFile, caKeyFile: ca.keyFile, server, devices };
}

/** The PEM contents a TLS server or agent takes. */
export async function readPair(pair: KeyPair): Promise<{ key: Buffer; cert: Buffer }> {
  return { key: await readFile(pair.keyFile), cert: await readFile(pair.certFile) };
}
