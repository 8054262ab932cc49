import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCACertificateCommand,
  DeleteCertificateCommand,
  DescribeCACertificateCommand,
  DescribeCertificateCommand,
  ListCACertificatesCommand,
  ListCertificatesByCACommand,
  ListCertificatesCommand,
  RegisterCACertificateCommand,
  RegisterCertificateCommand,
  RegisterCertificateWithoutCACommand,
  UpdateCACertificateCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCertificates } from '../../local/http/dev-certificates';
import { aws } from '../support/aws-cli';
import { startWireFixture, type WireFixture } from '../support/local-service';
import { failure } from '../support/sdk-failure';

/** RegisterCACertificate, RegisterCertificate and the certificates' lifecycle, through the SDK and the AWS CLI. */
let f: WireFixture;
let caPem: string;
let otherCaPem: string;
const devicePem: Record<string, string> = {};
const idOf = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'certs-'));
  const ours = await ensureDevCertificates(join(dir, 'ours'), ['d1', 'd2', 'd3', 'd4']);
  const other = await ensureDevCertificates(join(dir, 'other'), ['x1']);
  caPem = readFileSync(ours.caFile, 'utf8');
  otherCaPem = readFileSync(other.caFile, 'utf8');
  for (const [thing, pair] of Object.entries({ ...ours.devices, ...other.devices }))
    devicePem[thing] = readFileSync(pair.certFile, 'utf8');
  f = await startWireFixture();
}, 60_000);

afterAll(() => f?.stop());

describe('CA certificates', () => {
  it('registers a CA (its ID the SHA-256 of its DER), once', async () => {
    const registered = await f.iot.send(new RegisterCACertificateCommand({ caCertificate: caPem, setAsActive: true }));
    expect(registered.certificateId).toBe(idOf(caPem));
    expect(registered.certificateArn).toBe(`arn:aws:iot:us-east-1:123456789012:cacert/${idOf(caPem)}`);
    const described = await f.iot.send(new DescribeCACertificateCommand({ certificateId: idOf(caPem) }));
    expect(described.certificateDescription).toMatchObject({
      status: 'ACTIVE',
      certificatePem: caPem,
      autoRegistrationStatus: 'DISABLE',
      ownedBy: '123456789012',
    });
    expect(described.certificateDescription?.validity?.notAfter).toBeInstanceOf(Date);
    expect(await failure(f.iot.send(new RegisterCACertificateCommand({ caCertificate: caPem })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      status: 409,
    });
  });

  it('refuses a device certificate as a CA, and text that is no certificate', async () => {
    expect(await failure(f.iot.send(new RegisterCACertificateCommand({ caCertificate: devicePem.d1! })))).toEqual({
      name: 'CertificateValidationException',
      status: 400,
    });
    expect(await failure(f.iot.send(new RegisterCACertificateCommand({ caCertificate: 'hello' })))).toMatchObject({
      name: 'CertificateValidationException',
    });
  });

  it('lists CAs through the AWS CLI, and updates one', async () => {
    const listed = await cli('list-ca-certificates');
    expect(listed.json.certificates).toEqual([
      expect.objectContaining({ certificateId: idOf(caPem), status: 'ACTIVE' }),
    ]);
    await f.iot.send(new UpdateCACertificateCommand({ certificateId: idOf(caPem), newStatus: 'INACTIVE' }));
    expect(
      (await cli('describe-ca-certificate', '--certificate-id', idOf(caPem))).json.certificateDescription.status,
    ).toBe('INACTIVE');
    // An INACTIVE CA signs no new registration.
    expect(await failure(f.iot.send(new RegisterCertificateCommand({ certificatePem: devicePem.d4! })))).toMatchObject({
      name: 'CertificateStateException',
      status: 406,
    });
    expect((await cli('update-ca-certificate', '--certificate-id', idOf(caPem), '--new-status', 'ACTIVE')).code).toBe(
      0,
    );
  });
});

describe('certificates the service would sign', () => {
  it('are refused without --tls (deployed: always), saying how devices get certificates', async () => {
    const refused = await failure(f.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true })));
    expect(refused).toEqual({ name: 'InvalidRequestException', status: 400 });
    const viaCli = await cli('create-certificate-from-csr', '--certificate-signing-request', 'csr');
    expect(viaCli.stderr).toMatch(/RegisterCertificate.*docs\/deploy\.md/);
  });
});

describe('device certificates', () => {
  it('registers a certificate signed by a registered CA, found by its signature, INACTIVE unless asked', async () => {
    const d1 = await f.iot.send(new RegisterCertificateCommand({ certificatePem: devicePem.d1!, status: 'ACTIVE' }));
    expect(d1).toMatchObject({
      certificateId: idOf(devicePem.d1!),
      certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${idOf(devicePem.d1!)}`,
    });
    const d2 = await cli('register-certificate', '--certificate-pem', devicePem.d2!, '--ca-certificate-pem', caPem);
    expect(d2.json.certificateId).toBe(idOf(devicePem.d2!));
    const described = await f.iot.send(new DescribeCertificateCommand({ certificateId: idOf(devicePem.d2!) }));
    expect(described.certificateDescription).toMatchObject({
      status: 'INACTIVE',
      caCertificateId: idOf(caPem),
      certificatePem: devicePem.d2,
      certificateMode: 'DEFAULT',
      customerVersion: 1,
    });
  });

  it('refuses a certificate again, one no registered CA signed, and one not signed by the CA given', async () => {
    expect(await failure(f.iot.send(new RegisterCertificateCommand({ certificatePem: devicePem.d1! })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      status: 409,
    });
    expect(await failure(f.iot.send(new RegisterCertificateCommand({ certificatePem: devicePem.x1! })))).toEqual({
      name: 'CertificateValidationException',
      status: 400,
    });
    const other = await cli('register-ca-certificate', '--ca-certificate', otherCaPem);
    expect(other.json).toEqual({
      certificateId: idOf(otherCaPem),
      certificateArn: `arn:aws:iot:us-east-1:123456789012:cacert/${idOf(otherCaPem)}`,
    });
    const wrongCa = new RegisterCertificateCommand({ certificatePem: devicePem.d3!, caCertificatePem: otherCaPem });
    expect(await failure(f.iot.send(wrongCa))).toMatchObject({ name: 'CertificateValidationException' });
  });

  it('registers a certificate without a CA', async () => {
    const x1 = await cli('register-certificate-without-ca', '--certificate-pem', devicePem.x1!);
    const described = await cli('describe-certificate', '--certificate-id', x1.json.certificateId);
    expect(described.json.certificateDescription.status).toBe('INACTIVE');
    expect(described.json.certificateDescription.caCertificateId).toBeUndefined();
    const again = await f.iot
      .send(new RegisterCertificateWithoutCACommand({ certificatePem: devicePem.x1! }))
      .catch((e: { name: string }) => e.name);
    expect(again).toBe('ResourceAlreadyExistsException');
  });

  it('moves between ACTIVE and INACTIVE; REVOKED is final; AWS-only statuses are refused', async () => {
    const id = idOf(devicePem.x1!);
    await f.iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'ACTIVE' }));
    expect((await cli('update-certificate', '--certificate-id', id, '--new-status', 'INACTIVE')).code).toBe(0);
    expect(
      await failure(f.iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'PENDING_TRANSFER' }))),
    ).toEqual({ name: 'InvalidRequestException', status: 400 });
    await f.iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'REVOKED' }));
    expect(await failure(f.iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'ACTIVE' })))).toEqual(
      {
        name: 'CertificateStateException',
        status: 406,
      },
    );
    const described = await f.iot.send(new DescribeCertificateCommand({ certificateId: id }));
    expect(described.certificateDescription).toMatchObject({ status: 'REVOKED', customerVersion: 4 });
    expect(
      await failure(f.iot.send(new UpdateCertificateCommand({ certificateId: 'a'.repeat(64), newStatus: 'ACTIVE' }))),
    ).toEqual({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('lists certificates newest first, a page at a time, with no marker after the last page', async () => {
    const all = (await cli('list-certificates')).json.certificates.map(
      (c: { certificateId: string }) => c.certificateId,
    );
    expect(all).toEqual([idOf(devicePem.x1!), idOf(devicePem.d2!), idOf(devicePem.d1!)]);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await f.iot.send(new ListCertificatesCommand({ pageSize: 2, ascendingOrder: true, marker }));
      seen.push(...(page.certificates ?? []).map((c) => c.certificateId!));
      marker = page.nextMarker;
      if (marker) expect(marker).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    } while (marker);
    expect(seen).toEqual([...all].reverse());
    const byCa = await f.iot.send(new ListCertificatesByCACommand({ caCertificateId: idOf(caPem) }));
    expect(byCa.certificates?.map((c) => c.certificateId)).toEqual([idOf(devicePem.d2!), idOf(devicePem.d1!)]);
    // The CLI's --page-size is the API's pageSize here, which turns the CLI's own paging off (as against AWS).
    const paged = await cli('list-certificates-by-ca', '--ca-certificate-id', idOf(caPem), '--page-size', '1');
    expect(paged.json.certificates).toHaveLength(1);
    expect(paged.json.nextMarker).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const rest = await cli(
      'list-certificates-by-ca',
      '--ca-certificate-id',
      idOf(caPem),
      '--marker',
      paged.json.nextMarker,
    );
    expect(rest.json.certificates.map((c: { certificateId: string }) => c.certificateId)).toEqual([
      idOf(devicePem.d1!),
    ]);
    expect(rest.json.nextMarker).toBeUndefined();
  });

  it('deletes a certificate only once it is not ACTIVE; its CA only once it signed none and is INACTIVE', async () => {
    const d1 = idOf(devicePem.d1!);
    expect(await failure(f.iot.send(new DeleteCertificateCommand({ certificateId: d1 })))).toEqual({
      name: 'CertificateStateException',
      status: 406,
    });
    const ca = idOf(caPem);
    await f.iot.send(new UpdateCACertificateCommand({ certificateId: ca, newStatus: 'INACTIVE' }));
    expect(await failure(f.iot.send(new DeleteCACertificateCommand({ certificateId: ca })))).toMatchObject({
      name: 'CertificateStateException',
    });
    await f.iot.send(new UpdateCertificateCommand({ certificateId: d1, newStatus: 'INACTIVE' }));
    await f.iot.send(new DeleteCertificateCommand({ certificateId: d1 }));
    expect((await cli('delete-certificate', '--certificate-id', idOf(devicePem.d2!), '--force-delete')).code).toBe(0);
    expect(await failure(f.iot.send(new DescribeCertificateCommand({ certificateId: d1 })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
    });
    expect((await cli('delete-ca-certificate', '--certificate-id', ca)).code).toBe(0);
    const left = await f.iot.send(new ListCACertificatesCommand({}));
    expect(left.certificates?.map((c) => c.certificateId)).toEqual([idOf(otherCaPem)]);
    expect(left.nextMarker).toBeUndefined();
    await f.iot.send(new CreateThingCommand({ thingName: 'unused' }));
  });
});
