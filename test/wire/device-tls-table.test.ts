import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, IoTJobsDataPlaneClient } from '@aws-sdk/client-iot-jobs-data-plane';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pemFingerprint } from '../../lambdas/api/http/request';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * --tls with --device-identity table: certificates that do not name their thing, bound to it with
 * `npm run bind-certificate`.
 */
const run = promisify(execFile);
let f: WireFixture;

beforeAll(async () => {
  f = await startWireFixture({
    tls: {
      dir: mkdtempSync(join(tmpdir(), 'jobs-tls-table-')),
      deviceCertificates: ['serial-0001'],
      identity: 'table',
    },
  });
  await f.iot.send(new CreateJobCommand({ jobId: 'j1', targets: [thingArn('pump-7')], document: '{}' }));
}, 60_000);

afterAll(() => f?.stop());

const certificate = () => f.service.certificates!.devices['serial-0001']!;
function client() {
  const agent = new Agent({
    ca: readFileSync(f.service.certificates!.caFile),
    cert: readFileSync(certificate().certFile),
    key: readFileSync(certificate().keyFile),
  });
  return new IoTJobsDataPlaneClient({
    ...LOCAL_CLIENT_CONFIG,
    endpoint: f.service.deviceEndpoint,
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
  });
}
const pendingOf = (thingName: string) =>
  client()
    .send(new GetPendingJobExecutionsCommand({ thingName }))
    .then(
      (answer) => answer.queuedJobs?.map((j) => j.jobId),
      (error: { name: string }) => error.name,
    );
const bind = (...args: string[]) =>
  run('npx', [
    'tsx',
    'local/cli/bind-certificate.ts',
    '--cert',
    certificate().certFile,
    '--table',
    f.service.tableName,
    '--dynamodb-endpoint',
    f.service.dynamoEndpoint,
    ...args,
  ]);

describe('device identity from the certificate table', () => {
  it('fingerprints a certificate as openssl does', async () => {
    const { stdout } = await run('openssl', [
      'x509',
      '-noout',
      '-fingerprint',
      '-sha256',
      '-in',
      certificate().certFile,
    ]);
    expect(pemFingerprint(readFileSync(certificate().certFile, 'utf8'))).toBe(
      stdout.split('=')[1]!.trim().replaceAll(':', '').toLowerCase(),
    );
  });

  it('refuses an unbound certificate, whatever its CN says', async () => {
    expect(await pendingOf('serial-0001')).toBe('AccessDeniedException');
  });

  it('serves the thing the certificate is bound to, and only it', async () => {
    const { stdout } = await bind('--thing', 'pump-7');
    expect(JSON.parse(stdout)).toMatchObject({
      thingName: 'pump-7',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await pendingOf('pump-7')).toEqual(['j1']);
    expect(await pendingOf('pump-8')).toBe('AccessDeniedException');
  });
});
