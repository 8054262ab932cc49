import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand,
  GetPendingJobExecutionsCommand,
  IoTJobsDataPlaneClient,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCertificates } from '../../local/http/dev-certificates';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * The device API in --tls mode, through the official SDK over real mutual TLS: the same thing binding that runs in AWS.
 */
let f: WireFixture;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-tls-'));
  f = await startWireFixture({ tls: { dir, deviceCertificates: ['t1', 't2'] } });
  await f.iot.send(
    new CreateJobCommand({ jobId: 'j1', targets: [thingArn('t1'), thingArn('t2')], document: '{"op":"x"}' }),
  );
}, 60_000);

afterAll(() => f?.stop());

/** The SDK client of a device holding this certificate (or none). */
function deviceClient(identity?: { certFile: string; keyFile: string }) {
  const ca = readFileSync(f.service.certificates!.caFile);
  const agent = new Agent({
    ca,
    ...(identity ? { cert: readFileSync(identity.certFile), key: readFileSync(identity.keyFile) } : {}),
  });
  return new IoTJobsDataPlaneClient({
    ...LOCAL_CLIENT_CONFIG,
    endpoint: f.service.deviceEndpoint,
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
  });
}

describe('device API over mutual TLS (local --tls mode)', () => {
  it('serves HTTPS', () => {
    expect(f.service.deviceEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("lets t1, holding t1's certificate, read and update its own jobs", async () => {
    const t1 = deviceClient(f.service.certificates!.devices.t1);
    const pending = await t1.send(new GetPendingJobExecutionsCommand({ thingName: 't1' }));
    expect(pending.queuedJobs?.map((j) => j.jobId)).toEqual(['j1']);
    await t1.send(new UpdateJobExecutionCommand({ thingName: 't1', jobId: 'j1', status: 'IN_PROGRESS' }));
    t1.destroy();
  });

  it.each([
    [
      "read t2's pending jobs",
      (c: IoTJobsDataPlaneClient) => c.send(new GetPendingJobExecutionsCommand({ thingName: 't2' })),
    ],
    [
      "describe t2's execution",
      (c: IoTJobsDataPlaneClient) => c.send(new DescribeJobExecutionCommand({ thingName: 't2', jobId: 'j1' })),
    ],
    [
      "complete t2's job",
      (c: IoTJobsDataPlaneClient) =>
        c.send(new UpdateJobExecutionCommand({ thingName: 't2', jobId: 'j1', status: 'SUCCEEDED' })),
    ],
  ])("answers 403 AccessDeniedException when t1's certificate tries to %s", async (_name, call) => {
    const t1 = deviceClient(f.service.certificates!.devices.t1);
    const error = await call(t1).then(
      () => undefined,
      (e: { name: string; $metadata: { httpStatusCode?: number } }) => e,
    );
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.$metadata.httpStatusCode).toBe(403);
    t1.destroy();
  });

  it("left t2's execution as it was", async () => {
    const t2 = deviceClient(f.service.certificates!.devices.t2);
    const { execution } = await t2.send(new DescribeJobExecutionCommand({ thingName: 't2', jobId: 'j1' }));
    expect(execution).toMatchObject({ status: 'QUEUED', versionNumber: 1 });
    t2.destroy();
  });

  it('fails the TLS handshake without a client certificate', async () => {
    const anonymous = deviceClient();
    await expect(anonymous.send(new GetPendingJobExecutionsCommand({ thingName: 't1' }))).rejects.toThrow(
      /certificate|handshake|socket hang up|ECONNRESET/i,
    );
    anonymous.destroy();
  });

  it('fails the TLS handshake with a certificate from another CA', async () => {
    const stranger = await ensureDevCertificates(mkdtempSync(join(tmpdir(), 'other-ca-')), ['t1']);
    const ca = readFileSync(f.service.certificates!.caFile);
    const outcome = await new Promise<string>((resolve) => {
      const req = request(
        `${f.service.deviceEndpoint}/things/t1/jobs`,
        { ca, cert: readFileSync(stranger.devices.t1!.certFile), key: readFileSync(stranger.devices.t1!.keyFile) },
        (res) => resolve(`answered ${res.statusCode}`),
      );
      req.on('error', (error) => resolve(`failed: ${error.message}`));
      req.end();
    });
    expect(outcome).toMatch(/^failed/);
  });
});
