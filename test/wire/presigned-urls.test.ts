import { randomBytes } from 'node:crypto';
import {
  CreateJobCommand,
  CreateJobTemplateCommand,
  DescribeJobCommand,
  DescribeJobTemplateCommand,
  GetJobDocumentCommand,
} from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand, StartNextPendingJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { mqttRequest } from '../support/mqtt';
import { within } from '../support/within';

/**
 * Presigned URLs in job documents: each `${aws:iot:s3-presigned-url:...}` is replaced by a fresh presigned GET each
 * time a device receives the document, over HTTP and MQTT; the URL downloads the exact bytes from the runner's S3 and
 * stops working expiresInSec after it was made. The operator sees the document as stored.
 */
let f: WireFixture;
let s3: S3Client;
let device: MqttClient | undefined;
/** The service's clock runs this far from real time (S3 checks expiry against real time). */
let offsetMs = 0;
const FIRMWARE = randomBytes(150_000);
const ROLE = 'arn:aws:iam::123456789012:role/iot-jobs-download';
const PLACEHOLDER = `\${aws:iot:s3-presigned-url:https://s3.amazonaws.com/firmware/fw-3.1.bin}`;
const DOCUMENT = JSON.stringify({ operation: 'ota', url: PLACEHOLDER, sha: 'abc' });

const urlOf = (document: string | Record<string, unknown> | undefined) =>
  (typeof document === 'string' ? (JSON.parse(document) as { url: string }) : (document as { url: string })).url;

async function download(url: string): Promise<{ status: number; bytes: Buffer }> {
  const answer = await fetch(url);
  return { status: answer.status, bytes: Buffer.from(await answer.arrayBuffer()) };
}

const describeExecution = async (thingName: string, jobId: string) =>
  (await f.device.send(new DescribeJobExecutionCommand({ thingName, jobId, includeJobDocument: true }))).execution!
    .jobDocument!;

beforeAll(async () => {
  f = await startWireFixture({ s3Port: 0, mqttPort: 0, clock: () => Date.now() + offsetMs });
  s3 = new S3Client({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.s3Endpoint!, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'firmware' }));
  await s3.send(new PutObjectCommand({ Bucket: 'firmware', Key: 'fw-3.1.bin', Body: FIRMWARE }));
  await f.iot.send(
    new CreateJobCommand({
      jobId: 'ota',
      targets: [thingArn('ota-1'), thingArn('ota-2')],
      document: DOCUMENT,
      presignedUrlConfig: { roleArn: ROLE, expiresInSec: 60 },
    }),
  );
});

afterAll(async () => {
  await device?.endAsync();
  s3?.destroy();
  await f?.stop();
});

describe('presigned URLs', () => {
  it('the operator sees the document and the config as stored', async () => {
    expect((await f.iot.send(new GetJobDocumentCommand({ jobId: 'ota' }))).document).toBe(DOCUMENT);
    expect((await f.iot.send(new GetJobDocumentCommand({ jobId: 'ota', beforeSubstitution: true }))).document).toBe(
      DOCUMENT,
    );
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'ota' }))).job?.presignedUrlConfig).toEqual({
      roleArn: ROLE,
      expiresInSec: 60,
    });
  });

  it('over HTTP: the device gets a presigned URL that downloads the exact bytes, and a fresh one each time', async () => {
    const document = await describeExecution('ota-1', 'ota');
    expect(JSON.parse(document)).toMatchObject({ operation: 'ota', sha: 'abc' });
    const url = urlOf(document);
    expect(url.startsWith(`${f.service.s3Endpoint}/firmware/fw-3.1.bin?`)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
    const got = await download(url);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(FIRMWARE)).toBe(true);

    // Two seconds later by the service's clock: signed anew, at that time.
    offsetMs = 2000;
    const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'ota-1' }));
    offsetMs = 0;
    const again = urlOf(started.execution?.jobDocument);
    expect(again).not.toBe(url);
    expect(new URL(again).searchParams.get('X-Amz-Date')).not.toBe(new URL(url).searchParams.get('X-Amz-Date'));
    expect((await download(again)).bytes.equals(FIRMWARE)).toBe(true);
    // The stored document is untouched.
    expect((await f.iot.send(new GetJobDocumentCommand({ jobId: 'ota' }))).document).toBe(DOCUMENT);
  });

  it('a URL stops working expiresInSec after the device received it', async () => {
    // Delivered 61 s ago by the service's clock: already refused.
    offsetMs = -61_000;
    const stale = urlOf(await describeExecution('ota-2', 'ota'));
    offsetMs = -55_000;
    const closing = urlOf(await describeExecution('ota-2', 'ota'));
    offsetMs = 0;
    const refused = await download(stale);
    expect(refused.status).toBe(403);
    expect(refused.bytes.toString()).toContain('Request has expired');
    // Good for its last seconds, then refused (by real time, which S3 checks).
    expect((await download(closing)).status).toBe(200);
    expect(await within(20_000, async () => (await download(closing)).status === 403, 250)).toBe(true);
  });

  it('over MQTT: get and start-next carry presigned URLs that download the exact bytes', async () => {
    device = await mqtt.connectAsync(f.service.mqttEndpoint!, { clientId: 'ota-2', reconnectPeriod: 0 });
    const base = '$aws/things/ota-2/jobs';
    const got = await mqttRequest(device, `${base}/ota/get`, { includeJobDocument: true });
    expect(got.accepted).toBe(true);
    const url = urlOf(got.body.execution.jobDocument);
    expect(url.startsWith(`${f.service.s3Endpoint}/firmware/fw-3.1.bin?`)).toBe(true);
    expect((await download(url)).bytes.equals(FIRMWARE)).toBe(true);

    const next = await mqttRequest(device, `${base}/start-next`, {});
    expect(next.accepted).toBe(true);
    const started = urlOf(next.body.execution.jobDocument);
    expect((await download(started)).bytes.equals(FIRMWARE)).toBe(true);
  });

  it('over MQTT: notify-next carries a presigned URL when a job reaches the device', async () => {
    const listener = await mqtt.connectAsync(f.service.mqttEndpoint!, { clientId: 'ota-4', reconnectPeriod: 0 });
    try {
      await listener.subscribeAsync('$aws/things/ota-4/jobs/notify-next');
      const notified = new Promise<Record<string, any>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no notify-next within 10 s')), 10_000);
        listener.on('message', (topic, message) => {
          if (topic !== '$aws/things/ota-4/jobs/notify-next') return;
          clearTimeout(timer);
          resolve(JSON.parse(message.toString()) as Record<string, any>);
        });
      });
      await f.iot.send(
        new CreateJobCommand({
          jobId: 'ota-notified',
          targets: [thingArn('ota-4')],
          document: DOCUMENT,
          presignedUrlConfig: { roleArn: ROLE, expiresInSec: 120 },
        }),
      );
      const url = urlOf((await notified).execution.jobDocument);
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('120');
      expect((await download(url)).bytes.equals(FIRMWARE)).toBe(true);
    } finally {
      await listener.endAsync();
    }
  });

  it('refuses a placeholder without presignedUrlConfig, a placeholder that names no S3 object, and expiresInSec out of bounds', async () => {
    const create = (jobId: string, input: Partial<ConstructorParameters<typeof CreateJobCommand>[0]>) =>
      f.iot.send(new CreateJobCommand({ jobId, targets: [thingArn('ota-9')], document: DOCUMENT, ...input }));
    await expect(create('no-config', {})).rejects.toThrow(
      `presignedUrlConfig: is required when the document holds \${aws:iot:s3-presigned-url:...} placeholders`,
    );
    await expect(
      create('not-s3', {
        document: `{"url":"\${aws:iot:s3-presigned-url:https://example.com/fw.bin}"}`,
        presignedUrlConfig: { roleArn: ROLE },
      }),
    ).rejects.toThrow('must name an S3 object URL');
    await expect(create('short', { presignedUrlConfig: { roleArn: ROLE, expiresInSec: 59 } })).rejects.toThrow(
      'presignedUrlConfig.expiresInSec: must be between 60 and 3600',
    );
    await expect(create('no-role', { presignedUrlConfig: { roleArn: 'role' } as never })).rejects.toThrow(
      'presignedUrlConfig.roleArn',
    );
  });

  it('a template carries its presignedUrlConfig to its jobs', async () => {
    await f.iot.send(
      new CreateJobTemplateCommand({
        jobTemplateId: 'ota-template',
        description: 'firmware',
        document: DOCUMENT,
        presignedUrlConfig: { roleArn: ROLE, expiresInSec: 300 },
      }),
    );
    const template = await f.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: 'ota-template' }));
    expect(template.presignedUrlConfig).toEqual({ roleArn: ROLE, expiresInSec: 300 });
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'of-template',
        targets: [thingArn('ota-3')],
        jobTemplateArn: template.jobTemplateArn,
      }),
    );
    const url = urlOf(await describeExecution('ota-3', 'of-template'));
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
    expect((await download(url)).bytes.equals(FIRMWARE)).toBe(true);
  });
});
