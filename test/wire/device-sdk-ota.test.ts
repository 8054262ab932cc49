/**
 * An over-the-air update as a device running the official AWS IoT Device SDK v2 (aws-iot-device-sdk-v2, its
 * IotJobsClient on an MQTT 3.1.1 connection over mutual TLS) performs it: firmware uploaded to the runner's S3, a job
 * whose document holds a `${aws:iot:s3-presigned-url:...}` placeholder and a presignedUrlConfig; the device hears the
 * job on notify-next, starts it (start-next) and asks for it again (get), each time receiving the document with a real
 * presigned URL in place of the placeholder, downloads the exact bytes with fetch, checks them against the document's
 * digest, and reports SUCCEEDED through the SDK; the operator reads the execution's status with @aws-sdk/client-iot.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { io, iotjobs, mqtt } from 'aws-iot-device-sdk-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersTo } from '../support/device-sdk-answers';
import { Inbox, settledWithin } from '../support/inbox';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';

const THING = 'sdk-ota-device';
const JOB_ID = 'sdk-ota-fw-4-2';
const ROLE = 'arn:aws:iam::123456789012:role/iot-jobs-download';
const QOS = mqtt.QoS.AtLeastOnce;
/** Firmware larger than one MQTT message may be (128 KB): it can only reach the device through the URL. */
const FIRMWARE = randomBytes(300_000);
const SHA256 = createHash('sha256').update(FIRMWARE).digest('hex');
const DOCUMENT = JSON.stringify({
  operation: 'firmware-update',
  version: '4.2',
  url: `\${aws:iot:s3-presigned-url:https://s3.amazonaws.com/sdk-ota-firmware/fw-4.2.bin}`,
  sha256: SHA256,
});

interface OtaDocument {
  operation: string;
  version: string;
  url: string;
  sha256: string;
}

let f: WireFixture;
let s3: S3Client;
let connection: mqtt.MqttClientConnection;
let jobs: iotjobs.IotJobsClient;

/** What the device does with a URL it received: download it, as a device would, with a plain GET. */
async function download(url: string): Promise<{ status: number; bytes: Buffer }> {
  const answer = await fetch(url);
  return { status: answer.status, bytes: Buffer.from(await answer.arrayBuffer()) };
}

/** The document as the SDK hands it over (parsed JSON), its URL a presigned GET of the firmware on the runner's S3. */
function expectPresigned(jobDocument: object | undefined): OtaDocument {
  const document = jobDocument as unknown as OtaDocument;
  expect(document).toMatchObject({ operation: 'firmware-update', version: '4.2', sha256: SHA256 });
  expect(document.url).not.toContain('aws:iot:s3-presigned-url');
  const url = new URL(document.url);
  expect(`${url.origin}${url.pathname}`).toBe(`${f.service.s3Endpoint}/sdk-ota-firmware/fw-4.2.bin`);
  expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
  expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
  expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  return document;
}

/** Downloads the document's URL and checks the bytes as the device would: status, length, digest, every byte. */
async function expectFirmwareAt(document: OtaDocument): Promise<void> {
  const got = await download(document.url);
  expect(got.status).toBe(200);
  expect(got.bytes.length).toBe(FIRMWARE.length);
  expect(createHash('sha256').update(got.bytes).digest('hex')).toBe(document.sha256);
  expect(got.bytes.equals(FIRMWARE)).toBe(true);
}

beforeAll(async () => {
  f = await startWireFixture({
    mqttPort: 0,
    s3Port: 0,
    tls: { dir: mkdtempSync(join(tmpdir(), 'jobs-device-sdk-ota-')), deviceCertificates: [THING] },
  });
  s3 = new S3Client({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.s3Endpoint!, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'sdk-ota-firmware' }));
  await s3.send(new PutObjectCommand({ Bucket: 'sdk-ota-firmware', Key: 'fw-4.2.bin', Body: FIRMWARE }));

  // The device: its certificate and key, trusting the runner's development CA; its client ID its thing name.
  const pair = f.service.certificates!.devices[THING]!;
  const tls = io.TlsContextOptions.create_client_with_mtls_from_path(pair.certFile, pair.keyFile);
  tls.override_default_trust_store_from_path(undefined, f.service.certificates!.caFile);
  const { hostname, port } = new URL(f.service.mqttEndpoint!);
  connection = new mqtt.MqttClient().new_connection({
    client_id: THING,
    host_name: hostname,
    port: Number(port),
    socket_options: new io.SocketOptions(),
    tls_ctx: new io.ClientTlsContext(tls),
    clean_session: true,
    keep_alive: 30,
  });
  await settledWithin(connection.connect(), `connecting ${THING}`);
  jobs = new iotjobs.IotJobsClient(connection);
}, 60_000);

afterAll(async () => {
  await (connection && settledWithin(connection.disconnect(), 'disconnecting').catch(() => undefined));
  s3?.destroy();
  await f?.stop();
});

describe('a firmware update through the AWS IoT Device SDK v2 (IotJobsClient over MQTT, mutual TLS)', () => {
  it('hears the job on notify-next with a presigned URL that downloads the exact firmware', async () => {
    const nextChanged = new Inbox<{
      error?: iotjobs.IotJobsError;
      event?: iotjobs.model.NextJobExecutionChangedEvent;
    }>();
    await settledWithin(
      jobs.subscribeToNextJobExecutionChangedEvents({ thingName: THING }, QOS, (error, event) =>
        nextChanged.push({ error, event }),
      ),
      'subscribing to notify-next',
    );
    await f.iot.send(
      new CreateJobCommand({
        jobId: JOB_ID,
        targets: [thingArn(THING)],
        document: DOCUMENT,
        presignedUrlConfig: { roleArn: ROLE, expiresInSec: 600 },
      }),
    );

    const { error, event } = await nextChanged.next('notify-next');
    expect(error).toBeUndefined();
    expect(event?.execution).toMatchObject({ jobId: JOB_ID, thingName: THING, status: 'QUEUED' });
    await expectFirmwareAt(expectPresigned(event?.execution?.jobDocument));
  });

  it('starts it (start-next) and asks for it again (get): each answer carries a presigned URL that downloads the firmware', async () => {
    const startNext = await answersTo<iotjobs.model.StartNextJobExecutionResponse>(
      (handler) => jobs.subscribeToStartNextPendingJobExecutionAccepted({ thingName: THING }, QOS, handler),
      (handler) => jobs.subscribeToStartNextPendingJobExecutionRejected({ thingName: THING }, QOS, handler),
    );
    await jobs.publishStartNextPendingJobExecution(
      { thingName: THING, clientToken: 'ota-start', statusDetails: { step: 'downloading' } },
      QOS,
    );
    const started = await startNext.next('start-next');
    expect(started).toMatchObject({ accepted: true, response: { clientToken: 'ota-start' } });
    const execution = (started.response as iotjobs.model.StartNextJobExecutionResponse).execution;
    expect(execution).toMatchObject({ jobId: JOB_ID, status: 'IN_PROGRESS', versionNumber: 2 });
    await expectFirmwareAt(expectPresigned(execution?.jobDocument));

    const describe = await answersTo<iotjobs.model.DescribeJobExecutionResponse>(
      (handler) => jobs.subscribeToDescribeJobExecutionAccepted({ thingName: THING, jobId: JOB_ID }, QOS, handler),
      (handler) => jobs.subscribeToDescribeJobExecutionRejected({ thingName: THING, jobId: JOB_ID }, QOS, handler),
    );
    await jobs.publishDescribeJobExecution(
      { thingName: THING, jobId: JOB_ID, clientToken: 'ota-get', includeJobDocument: true },
      QOS,
    );
    const described = await describe.next('get');
    expect(described).toMatchObject({ accepted: true, response: { clientToken: 'ota-get' } });
    const again = (described.response as iotjobs.model.DescribeJobExecutionResponse).execution;
    expect(again).toMatchObject({ jobId: JOB_ID, status: 'IN_PROGRESS', versionNumber: 2 });
    await expectFirmwareAt(expectPresigned(again?.jobDocument));
  });

  it('reports SUCCEEDED through the SDK, and the operator reads it with @aws-sdk/client-iot', async () => {
    const update = await answersTo<iotjobs.model.UpdateJobExecutionResponse>(
      (handler) => jobs.subscribeToUpdateJobExecutionAccepted({ thingName: THING, jobId: JOB_ID }, QOS, handler),
      (handler) => jobs.subscribeToUpdateJobExecutionRejected({ thingName: THING, jobId: JOB_ID }, QOS, handler),
    );
    await jobs.publishUpdateJobExecution(
      {
        thingName: THING,
        jobId: JOB_ID,
        status: iotjobs.model.JobStatus.SUCCEEDED,
        statusDetails: { installed: '4.2', sha256: SHA256 },
        expectedVersion: 2,
        includeJobExecutionState: true,
        clientToken: 'ota-done',
      },
      QOS,
    );
    expect(await update.next('update')).toMatchObject({
      accepted: true,
      response: { clientToken: 'ota-done', executionState: { status: 'SUCCEEDED', versionNumber: 3 } },
    });

    const { execution } = await f.iot.send(new DescribeJobExecutionCommand({ jobId: JOB_ID, thingName: THING }));
    expect(execution).toMatchObject({
      jobId: JOB_ID,
      thingArn: thingArn(THING),
      status: 'SUCCEEDED',
      statusDetails: { detailsMap: { installed: '4.2', sha256: SHA256 } },
      versionNumber: 3,
    });
  });
});
