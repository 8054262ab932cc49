import { CreateJobCommand } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** The device contract over MQTT with a real client (mqtt.js), on the local runner's broker. */
let f: WireFixture;
const clients: MqttClient[] = [];

beforeAll(async () => {
  f = await startWireFixture({ mqttPort: 0 });
  await f.iot.send(new CreateJobCommand({ jobId: 'ota-mqtt', targets: [thingArn('m-1'), thingArn('m-5')], document: '{"op":"flash"}' }));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync()));
  await f?.stop();
});

async function connect(clientId: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(f.service.mqttEndpoint!, { clientId, protocolVersion: 4, reconnectPeriod: 0 });
  clients.push(client);
  return client;
}

/** Publishes a request and waits for its answer on `/accepted` or `/rejected`. */
async function request(client: MqttClient, topic: string, payload: Record<string, unknown>): Promise<{ accepted: boolean; body: Record<string, any> }> {
  await client.subscribeAsync([`${topic}/accepted`, `${topic}/rejected`]);
  const answer = new Promise<{ accepted: boolean; body: Record<string, any> }>((resolve) => {
    const onMessage = (t: string, message: Buffer) => {
      if (t !== `${topic}/accepted` && t !== `${topic}/rejected`) return;
      client.off('message', onMessage);
      resolve({ accepted: t.endsWith('/accepted'), body: JSON.parse(message.toString()) as Record<string, any> });
    };
    client.on('message', onMessage);
  });
  await client.publishAsync(topic, JSON.stringify(payload));
  return answer;
}

describe('the jobs topics over MQTT 3.1.1', () => {
  it('lists, starts, describes ($next) and updates an execution, echoing the clientToken with a timestamp in seconds', async () => {
    const device = await connect('m-1');
    const base = '$aws/things/m-1/jobs';
    const pending = await request(device, `${base}/get`, { clientToken: 'c-1' });
    expect(pending).toMatchObject({ accepted: true, body: { clientToken: 'c-1', inProgressJobs: [], queuedJobs: [{ jobId: 'ota-mqtt', versionNumber: 1, executionNumber: 1 }] } });
    expect(pending.body.timestamp).toBeGreaterThan(1_700_000_000);
    expect(pending.body.timestamp).toBeLessThan(10_000_000_000);

    const started = await request(device, `${base}/start-next`, { clientToken: 'c-2', statusDetails: { step: 'download' } });
    expect(started).toMatchObject({ accepted: true, body: { clientToken: 'c-2', execution: { jobId: 'ota-mqtt', status: 'IN_PROGRESS', versionNumber: 2, statusDetails: { step: 'download' }, jobDocument: '{"op":"flash"}' } } });

    const next = await request(device, `${base}/$next/get`, { clientToken: 'c-3', includeJobDocument: false });
    expect(next).toMatchObject({ accepted: true, body: { execution: { jobId: 'ota-mqtt', status: 'IN_PROGRESS' } } });
    expect(next.body.execution.jobDocument).toBeUndefined();

    const updated = await request(device, `${base}/ota-mqtt/update`, { clientToken: 'c-4', status: 'SUCCEEDED', expectedVersion: 2, includeJobExecutionState: true });
    expect(updated).toMatchObject({ accepted: true, body: { clientToken: 'c-4', executionState: { status: 'SUCCEEDED', versionNumber: 3 } } });
  });

  it('answers a refused update on /rejected with AWS\'s code and the execution state', async () => {
    const device = await connect('m-5');
    const base = '$aws/things/m-5/jobs';
    await request(device, `${base}/start-next`, {});
    const stale = await request(device, `${base}/ota-mqtt/update`, { clientToken: 'late', status: 'SUCCEEDED', expectedVersion: 1 });
    expect(stale).toMatchObject({ accepted: false, body: { code: 'VersionMismatch', clientToken: 'late', executionState: { status: 'IN_PROGRESS', versionNumber: 2 } } });
    const missing = await request(device, `${base}/no-such-job/get`, {});
    expect(missing).toMatchObject({ accepted: false, body: { code: 'ResourceNotFound' } });
    const bad = await request(device, `${base}/ota-mqtt/update`, { status: 'FINISHED' });
    expect(bad).toMatchObject({ accepted: false, body: { code: 'InvalidRequest', message: expect.stringContaining('status') } });
  });

  it('keeps a device to its own thing\'s topics: a subscription to another\'s is refused, a publish to another\'s drops the connection', async () => {
    const device = await connect('m-2');
    // The broker answers the SUBACK with the failure code (128), which mqtt.js reports as an error.
    await expect(device.subscribeAsync('$aws/things/m-1/jobs/notify-next')).rejects.toThrow(/Subscribe error/);
    expect((await device.subscribeAsync('$aws/things/m-2/jobs/notify-next'))[0]!.qos).toBe(0);
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    device.publish('$aws/things/m-1/jobs/start-next', '{}');
    await closed;
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

  it('tells a device its next job and its pending list when a job reaches it, as it starts it, and that nothing is next once it is done', async () => {
    const device = await connect('n-1');
    const base = '$aws/things/n-1/jobs';
    await device.subscribeAsync([`${base}/notify-next`, `${base}/notify`]);
    const [queuedNext, queuedList] = [nextMessage(device, `${base}/notify-next`), nextMessage(device, `${base}/notify`)];
    await f.iot.send(new CreateJobCommand({ jobId: 'ota-notify', targets: [thingArn('n-1')], document: '{"op":"notify"}' }));
    expect(await queuedNext).toMatchObject({ execution: { jobId: 'ota-notify', status: 'QUEUED', jobDocument: '{"op":"notify"}' } });
    expect(await queuedList).toMatchObject({ jobs: { QUEUED: [{ jobId: 'ota-notify' }] } });

    const runningNext = nextMessage(device, `${base}/notify-next`);
    const started = await request(device, `${base}/start-next`, {});
    expect(await runningNext).toMatchObject({ execution: { jobId: 'ota-notify', status: 'IN_PROGRESS', versionNumber: 2 } });

    const [doneNext, doneList] = [nextMessage(device, `${base}/notify-next`), nextMessage(device, `${base}/notify`)];
    await request(device, `${base}/ota-notify/update`, { status: 'SUCCEEDED', expectedVersion: started.body.execution.versionNumber });
    const none = await doneNext;
    expect(none.execution).toBeUndefined();
    expect(none.timestamp).toBeGreaterThan(1_700_000_000);
    expect(await doneList).toEqual({ timestamp: expect.any(Number), jobs: {} });
  });
});

