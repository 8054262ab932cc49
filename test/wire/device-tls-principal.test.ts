import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachThingPrincipalCommand,
  CreateJobCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DescribeCertificateCommand,
  DetachThingPrincipalCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevCertificates, ensureDevCertificates } from '../../local/http/dev-certificates';
import { aws } from '../support/aws-cli';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { certificateIdOf } from '../support/test-certificates';

/**
 * A device over mutual TLS is whoever its certificate is attached to, and only while the certificate is ACTIVE: a
 * certificate made INACTIVE or REVOKED is refused on its very next request, through the official SDK.
 */
let f: WireFixture;
let dir: string;
let unregistered: DevCertificates['devices'][string];
let certificateId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-tls-principal-'));
  f = await startWireFixture({ tls: { dir, deviceCertificates: ['t1'] } });
  // Signed by the development CA (so TLS lets it in), but never registered.
  unregistered = (await ensureDevCertificates(dir, ['stranger'])).devices.stranger!;
  certificateId = certificateIdOf(readFileSync(f.service.certificates!.devices.t1!.certFile, 'utf8'));
  await f.iot.send(new CreateThingCommand({ thingName: 't2' }));
  await f.iot.send(new CreateJobCommand({ jobId: 'j1', targets: [thingArn('t1'), thingArn('t2')], document: '{}' }));
}, 60_000);

afterAll(() => f?.stop());

function deviceClient(identity: { certFile: string; keyFile: string }) {
  const agent = new Agent({
    ca: readFileSync(f.service.certificates!.caFile),
    cert: readFileSync(identity.certFile),
    key: readFileSync(identity.keyFile),
  });
  return new IoTJobsDataPlaneClient({
    ...LOCAL_CLIENT_CONFIG,
    endpoint: f.service.deviceEndpoint,
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
  });
}

const pendingOf = (client: IoTJobsDataPlaneClient, thingName: string) =>
  client.send(new GetPendingJobExecutionsCommand({ thingName })).then(
    (answer) => ({ status: 200, jobs: answer.queuedJobs?.map((j) => j.jobId) }),
    (e: { name: string; $metadata: { httpStatusCode?: number } }) => ({
      status: e.$metadata.httpStatusCode,
      name: e.name,
    }),
  );
const denied = { status: 403, name: 'AccessDeniedException' };
const setStatus = (newStatus: 'ACTIVE' | 'INACTIVE' | 'REVOKED') =>
  f.iot.send(new UpdateCertificateCommand({ certificateId, newStatus }));
const principal = () => `arn:aws:iot:us-east-1:123456789012:cert/${certificateId}`;

describe('certificates from the development CA (local --tls)', () => {
  it('CreateKeysAndCertificate: a key pair and a certificate the device API then accepts, once attached', async () => {
    const made = await f.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    expect(made.certificateId).toBe(certificateIdOf(made.certificatePem!));
    expect(made.keyPair?.PublicKey).toContain('BEGIN PUBLIC KEY');
    await f.iot.send(new AttachThingPrincipalCommand({ thingName: 't2', principal: made.certificateArn! }));
    const key = join(dir, 'made.key');
    const cert = join(dir, 'made.pem');
    writeFileSync(key, made.keyPair!.PrivateKey!);
    writeFileSync(cert, made.certificatePem!);
    const t2 = deviceClient({ certFile: cert, keyFile: key });
    expect(await pendingOf(t2, 't2')).toEqual({ status: 200, jobs: ['j1'] });
    t2.destroy();
  });

  it('CreateCertificateFromCsr through the AWS CLI: INACTIVE unless asked, signed by the development CA', async () => {
    const csr = join(dir, 'device.csr');
    execFileSync('openssl', [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=x',
      '-keyout',
      join(dir, 'd.key'),
      '-out',
      csr,
    ]);
    const made = await aws(
      'iot',
      'create-certificate-from-csr',
      '--certificate-signing-request',
      `file://${csr}`,
      '--endpoint-url',
      f.service.managementEndpoint,
    );
    expect(made.json.certificateId).toBe(certificateIdOf(made.json.certificatePem));
    const described = await f.iot.send(new DescribeCertificateCommand({ certificateId: made.json.certificateId }));
    expect(described.certificateDescription?.status).toBe('INACTIVE');
    const broken = await aws(
      'iot',
      'create-certificate-from-csr',
      '--certificate-signing-request',
      'nope',
      '--endpoint-url',
      f.service.managementEndpoint,
    );
    expect(broken.stderr).toMatch(/InvalidRequestException/);
  });
});

describe('device identity by attached principal (local --tls)', () => {
  it('lets the certificate --device-certs registered and attached act for its thing, and no other', async () => {
    const t1 = deviceClient(f.service.certificates!.devices.t1!);
    expect(await pendingOf(t1, 't1')).toEqual({ status: 200, jobs: ['j1'] });
    expect(await pendingOf(t1, 't2')).toEqual(denied);
    t1.destroy();
  });

  it('refuses a certificate the CA signed but nobody registered', async () => {
    const stranger = deviceClient(unregistered);
    expect(await pendingOf(stranger, 't1')).toEqual(denied);
    stranger.destroy();
  });

  it('follows AttachThingPrincipal and DetachThingPrincipal on the very next request', async () => {
    const t1 = deviceClient(f.service.certificates!.devices.t1!);
    await f.iot.send(new AttachThingPrincipalCommand({ thingName: 't2', principal: principal() }));
    expect(await pendingOf(t1, 't2')).toEqual({ status: 200, jobs: ['j1'] });
    await f.iot.send(new DetachThingPrincipalCommand({ thingName: 't2', principal: principal() }));
    expect(await pendingOf(t1, 't2')).toEqual(denied);
    t1.destroy();
  });

  it('refuses an INACTIVE certificate on its next request, on the same connection, and a REVOKED one for good', async () => {
    const t1 = deviceClient(f.service.certificates!.devices.t1!);
    expect(await pendingOf(t1, 't1')).toMatchObject({ status: 200 });
    await setStatus('INACTIVE');
    expect(await pendingOf(t1, 't1')).toEqual(denied);
    await setStatus('ACTIVE');
    expect(await pendingOf(t1, 't1')).toMatchObject({ status: 200 });
    await setStatus('REVOKED');
    expect(await pendingOf(t1, 't1')).toEqual(denied);
    await expect(setStatus('ACTIVE')).rejects.toMatchObject({ name: 'CertificateStateException' });
    expect(await pendingOf(t1, 't1')).toEqual(denied);
    t1.destroy();
  });
});
