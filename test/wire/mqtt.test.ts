import { CreateJobCommand } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { mqttRequest } from '../support/mqtt';

/** The device contract over MQTT with a real client (mqtt.js), on the local runner's broker. */
let f: WireFixture;
const clients: MqttClient[] = [];

beforeAll(async () => {
  f = await startWireFixture({ mqttPort: 0 });
  await f.iot.send(
    new CreateJobCommand({
      jobId: 'ota-mqtt',
      targets: [thingArn('m-1'), thingArn('m-5')],
      document: '{"op":"flash"}',
    }),
  );
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync()));
  await f?.stop();
});

async function connect(clientId: string, protocolVersion: 4 | 5 = 4): Promise<MqttClient> {
  const client = await mqtt.connectAsync(f.service.mqttEndpoint!, { clientId, protocolVersion, reconnectPeriod: 0 });
  clients.push(client);
  return client;
}

const request = mqttRequest;

describe('the jobs topics over MQTT 3.1.1', () => {
  it('lists, starts, describes ($next) and updates an execution, echoing the clientToken with a timestamp in seconds', async () => {
    const device = await connect('m-1');
    const base = '$aws/things/m-1/jobs';
    const pending = await request(device, `${base}/get`, { clientToken: 'c-1' });
    expect(pending).toMatchObject({
      accepted: true,
      body: {
        clientToken: 'c-1',
        inProgressJobs: [],
        queuedJobs: [{ jobId: 'ota-mqtt', versionNumber: 1, executionNumber: 1 }],
      },
    });
    expect(pending.body.timestamp).toBeGreaterThan(1_700_000_000);
    expect(pending.body.timestamp).toBeLessThan(10_000_000_000);

    const started = await request(device, `${base}/start-next`, {
      clientToken: 'c-2',
      statusDetails: { step: 'download' },
    });
    expect(started).toMatchObject({
      accepted: true,
      body: {
        clientToken: 'c-2',
        execution: {
          jobId: 'ota-mqtt',
          status: 'IN_PROGRESS',
          versionNumber: 2,
          statusDetails: { step: 'download' },
          jobDocument: { op: 'flash' },
        },
      },
    });

    const next = await request(device, `${base}/$next/get`, { clientToken: 'c-3', includeJobDocument: false });
    expect(next).toMatchObject({ accepted: true, body: { execution: { jobId: 'ota-mqtt', status: 'IN_PROGRESS' } } });
    expect(next.body.execution.jobDocument).toBeUndefined();

    const updated = await request(device, `${base}/ota-mqtt/update`, {
      clientToken: 'c-4',
      status: 'SUCCEEDED',
      expectedVersion: 2,
      includeJobExecutionState: true,
    });
    expect(updated).toMatchObject({
      accepted: true,
      body: { clientToken: 'c-4', executionState: { status: 'SUCCEEDED', versionNumber: 3 } },
    });
  });

  it("answers a refused update on /rejected with AWS's code and the execution state", async () => {
    const device = await connect('m-5');
    const base = '$aws/things/m-5/jobs';
    await request(device, `${base}/start-next`, {});
    const stale = await request(device, `${base}/ota-mqtt/update`, {
      clientToken: 'late',
      status: 'SUCCEEDED',
      expectedVersion: 1,
    });
    expect(stale).toMatchObject({
      accepted: false,
      body: {
        code: 'VersionMismatch',
        clientToken: 'late',
        executionState: { status: 'IN_PROGRESS', versionNumber: 2 },
      },
    });
    const missing = await request(device, `${base}/no-such-job/get`, {});
    expect(missing).toMatchObject({ accepted: false, body: { code: 'ResourceNotFound' } });
    const bad = await request(device, `${base}/ota-mqtt/update`, { status: 'FINISHED' });
    expect(bad).toMatchObject({
      accepted: false,
      body: { code: 'InvalidRequest', message: expect.stringContaining('status') },
    });
  });

  it("keeps a device to its own thing's topics: a subscription to another's is refused, a publish to another's drops the connection", async () => {
    const device = await connect('m-2');
    // The broker answers the SUBACK with the failure code (128), which mqtt.js reports as an error.
    await expect(device.subscribeAsync('$aws/things/m-1/jobs/notify-next')).rejects.toThrow(/Subscribe error/);
    expect((await device.subscribeAsync('$aws/things/m-2/jobs/notify-next'))[0]!.qos).toBe(0);
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    device.publish('$aws/things/m-1/jobs/start-next', '{}');
    await closed;
  });
});

describe('the jobs topics over MQTT 5', () => {
  it('starts and updates an execution, answering a stale update on /rejected', async () => {
    await f.iot.send(new CreateJobCommand({ jobId: 'ota-v5', targets: [thingArn('v5-1')], document: '{"op":"five"}' }));
    const device = await connect('v5-1', 5);
    const base = '$aws/things/v5-1/jobs';
    const started = await request(device, `${base}/start-next`, { clientToken: 'five' });
    expect(started).toMatchObject({
      accepted: true,
      body: {
        clientToken: 'five',
        execution: { jobId: 'ota-v5', status: 'IN_PROGRESS', versionNumber: 2, jobDocument: { op: 'five' } },
      },
    });
    const next = await request(device, `${base}/$next/get`, {});
    expect(next).toMatchObject({ accepted: true, body: { execution: { jobId: 'ota-v5', status: 'IN_PROGRESS' } } });
    const stale = await request(device, `${base}/ota-v5/update`, { status: 'SUCCEEDED', expectedVersion: 1 });
    expect(stale).toMatchObject({
      accepted: false,
      body: { code: 'VersionMismatch', executionState: { versionNumber: 2 } },
    });
    expect(await request(device, `${base}/ota-v5/update`, { status: 'SUCCEEDED', expectedVersion: 2 })).toMatchObject({
      accepted: true,
    });
  });

  it("refuses a subscription to another thing's topics with reason code 135 (not authorized), keeping the connection", async () => {
    const device = await connect('v5-2', 5);
    const refused = await device.subscribeAsync(['$aws/things/v5-2/jobs/notify', '$aws/things/v5-1/jobs/notify']).then(
      () => undefined,
      (error: { packet?: { granted?: number[] } }) => error.packet?.granted,
    );
    expect(refused).toEqual([0, 135]);
    expect(device.connected).toBe(true);
  });

  it('lets any client listen to the job events topics, and none publish there', async () => {
    const listener = await connect('operator-console', 5);
    expect((await listener.subscribeAsync('$aws/events/#'))[0]!.qos).toBe(0);
    // MQTT 5 answers a refused publish with PUBACK reason code 135 (not authorized), and nobody receives it.
    await expect(listener.publishAsync('$aws/events/job/ota-v5/completed', '{}', { qos: 1 })).rejects.toThrow(
      /Not authorized/i,
    );
  });
});

describe('notifications over MQTT', () => {
  /** The next message on `topic` (subscribed before the change that causes it), within a deadline. */
  function nextMessage(client: MqttClient, topic: string, ms = 10_000): Promise<Record<string, any>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing on ${topic} within ${ms} ms`)), ms);
      const onMessage = (t: string, message: Buffer) => {
        if (t !== topic) return;
        clearTimeout(timer);
        client.off('message', onMessage);
        resolve(JSON.parse(message.toString()) as Record<string, any>);
      };
      client.on('message', onMessage);
    });
  }

  it('tells a device its next job and its pending list when a job reaches it, its list as it starts it, and that nothing is next once it is done', async () => {
    const device = await connect('n-1');
    const base = '$aws/things/n-1/jobs';
    await device.subscribeAsync([`${base}/notify-next`, `${base}/notify`]);
    const [queuedNext, queuedList] = [
      nextMessage(device, `${base}/notify-next`),
      nextMessage(device, `${base}/notify`),
    ];
    await f.iot.send(
      new CreateJobCommand({ jobId: 'ota-notify', targets: [thingArn('n-1')], document: '{"op":"notify"}' }),
    );
    expect(await queuedNext).toMatchObject({
      execution: { jobId: 'ota-notify', status: 'QUEUED', jobDocument: { op: 'notify' } },
    });
    expect(await queuedList).toMatchObject({ jobs: { QUEUED: [{ jobId: 'ota-notify' }] } });

    // The first job is still the first: only the list says it is running now (AWS's rule; see
    // notification-order.test.ts).
    const runningList = nextMessage(device, `${base}/notify`);
    const started = await request(device, `${base}/start-next`, {});
    expect(await runningList).toMatchObject({ jobs: { IN_PROGRESS: [{ jobId: 'ota-notify', versionNumber: 2 }] } });

    const [doneNext, doneList] = [nextMessage(device, `${base}/notify-next`), nextMessage(device, `${base}/notify`)];
    await request(device, `${base}/ota-notify/update`, {
      status: 'SUCCEEDED',
      expectedVersion: started.body.execution.versionNumber,
    });
    const none = await doneNext;
    expect(none.execution).toBeUndefined();
    expect(none.timestamp).toBeGreaterThan(1_700_000_000);
    expect(await doneList).toEqual({ timestamp: expect.any(Number), jobs: {} });
  });
});
