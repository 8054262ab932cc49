/**
 * What the local broker refuses, with a real client (mqtt.js): a packet over
 * AWS IoT's message size (refused on its declared length, before its payload
 * is read), a publish on a topic the service publishes on (a reply or
 * notification topic), and any retained message from a client. A deeply
 * nested payload is answered as the HTTP device API answers the same body.
 */
import { CreateJobCommand } from '@aws-sdk/client-iot';
import mqtt, { type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { mqttRequest } from '../support/mqtt';

const DEADLINE_MS = 10_000;
/** AWS IoT Core's limit on a PUBLISH payload. */
const MAX_PAYLOAD = 128 * 1024;

let f: WireFixture;
const clients: MqttClient[] = [];

beforeAll(async () => {
  f = await startWireFixture({ mqttPort: 0 });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await f?.stop();
});

async function connect(clientId: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(f.service.mqttEndpoint!, {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...options,
  });
  // The broker closing the socket under a write in flight (what several tests cause) is not a test failure.
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

/** `promise`, or a rejection naming `what` once the deadline has passed. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

/** Every message a client receives from now on, in order, and the first on a topic once it has arrived. */
function inbox(client: MqttClient) {
  const seen: { topic: string; text: string }[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload) => {
    seen.push({ topic, text: payload.toString() });
    for (const waiter of [...waiters]) waiter();
  });
  const first = (topic: string) =>
    within(
      new Promise<Record<string, any>>((resolve) => {
        const check = () => {
          const message = seen.find((m) => m.topic === topic);
          if (!message) return;
          waiters.delete(check);
          resolve(JSON.parse(message.text) as Record<string, any>);
        };
        waiters.add(check);
        check();
      }),
      `a message on ${topic}`,
    );
  return { seen, first };
}

const createJob = (jobId: string, thing: string) =>
  f.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: `{"job":"${jobId}"}` }));

describe("AWS IoT's message size", () => {
  it('answers a request whose payload is 128 KiB', async () => {
    const device = await connect('size-ok');
    const padding = 'x'.repeat(MAX_PAYLOAD - '{"clientToken":"big","padding":""}'.length);
    const answer = await mqttRequest(device, '$aws/things/size-ok/jobs/get', { clientToken: 'big', padding });
    expect(answer).toMatchObject({ accepted: true, body: { clientToken: 'big', queuedJobs: [] } });
  });

  it('drops an MQTT 3.1.1 client that publishes more, unanswered', async () => {
    const device = await connect('size-v4');
    const answers = inbox(device);
    await device.subscribeAsync('$aws/things/size-v4/jobs/#');
    const gone = closed(device);
    device.publish('$aws/things/size-v4/jobs/get', JSON.stringify({ padding: 'x'.repeat(200 * 1024) }));
    await within(gone, 'the connection to close');
    expect(answers.seen.filter((m) => m.topic.endsWith('/accepted') || m.topic.endsWith('/rejected'))).toEqual([]);
  });

  it('tells an MQTT 5 client the limit in its CONNACK, and disconnects one that goes over with reason code 149 (packet too large)', async () => {
    const device = mqtt.connect(f.service.mqttEndpoint!, {
      clientId: 'size-v5',
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    clients.push(device);
    const connack = await within(
      new Promise<IConnackPacket>((resolve) => device.once('connect', resolve)),
      'the CONNACK',
    );
    const limit = connack.properties?.maximumPacketSize;
    expect(limit).toBeGreaterThan(MAX_PAYLOAD);
    expect(limit).toBeLessThan(MAX_PAYLOAD + 4096);
    const disconnect = new Promise<number | undefined>((resolve) =>
      device.once('disconnect', (packet) => resolve(packet.reasonCode)),
    );
    const gone = closed(device);
    device.publish('$aws/things/size-v5/jobs/get', 'x'.repeat(200 * 1024));
    expect(await within(disconnect, 'the DISCONNECT')).toBe(149);
    await within(gone, 'the connection to close');
  });

  it('refuses a packet on its declared length, before its payload arrives (it never buffers 200 MB)', async () => {
    const device = await connect('size-header');
    const gone = closed(device);
    // A PUBLISH's fixed header alone, declaring 200 MB to follow (remaining length as MQTT's variable-length
    // integer).
    let length = 200 * 1024 * 1024;
    const header = [0x30];
    do {
      header.push((length % 128) | (length >= 128 ? 0x80 : 0));
      length = Math.floor(length / 128);
    } while (length > 0);
    (device.stream as NodeJS.WritableStream).write(Buffer.from(header));
    await within(gone, 'the connection to close on the header alone');
  });
});

describe('a deeply nested payload', () => {
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  /** The device API's answer over HTTP to the same body. */
  async function overHttp(method: string, path: string, body: string) {
    const response = await fetch(`${f.service.deviceEndpoint}${path}`, {
      method,
      body,
      headers: { 'content-type': 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  it('is refused as the HTTP device API refuses it: InvalidRequest with the same message, not InternalError', async () => {
    await f.iot.send(
      new CreateJobCommand({ jobId: 'deep-job', targets: [thingArn('deep-1'), thingArn('deep-2')], document: '{}' }),
    );
    const body = `{"status":"IN_PROGRESS","statusDetails":${deep(5000)}}`;
    const http = await overHttp('POST', '/things/deep-1/jobs/deep-job', body);
    expect(http).toMatchObject({ status: 400, body: { message: expect.stringContaining('statusDetails') } });

    const device = await connect('deep-2');
    for (const topic of ['$aws/things/deep-2/jobs/deep-job/update', '$aws/things/deep-2/jobs/start-next']) {
      await device.subscribeAsync([`${topic}/accepted`, `${topic}/rejected`]);
      const seen = inbox(device);
      device.publish(topic, body);
      expect(await seen.first(`${topic}/rejected`)).toMatchObject({
        code: 'InvalidRequest',
        message: http.body.message,
      });
    }
  });

  it('is accepted where HTTP accepts it (a member the operation does not read)', async () => {
    await createJob('deep-ok', 'deep-3');
    const body = `{"status":"IN_PROGRESS","clientToken":"deep","extra":${deep(5000)}}`;
    expect((await overHttp('PUT', '/things/deep-3/jobs/$next', '{}')).status).toBe(200);
    expect((await overHttp('POST', '/things/deep-3/jobs/deep-ok', body)).status).toBe(200);

    const device = await connect('deep-3');
    const topic = '$aws/things/deep-3/jobs/deep-ok/update';
    await device.subscribeAsync([`${topic}/accepted`, `${topic}/rejected`]);
    const seen = inbox(device);
    device.publish(topic, body);
    expect(await seen.first(`${topic}/accepted`)).toMatchObject({ clientToken: 'deep' });
  });

  it("is refused on a describe's member as a bad query value, not InternalError", async () => {
    const device = await connect('deep-4');
    const topic = '$aws/things/deep-4/jobs/$next/get';
    await device.subscribeAsync([`${topic}/accepted`, `${topic}/rejected`]);
    const seen = inbox(device);
    device.publish(topic, `{"includeJobDocument":${'['.repeat(60_000)}${']'.repeat(60_000)}}`);
    expect(await seen.first(`${topic}/rejected`)).toMatchObject({
      code: 'InvalidRequest',
      message: expect.stringContaining('includeJobDocument'),
    });
  });
});

describe("the service's topics", () => {
  const fake = JSON.stringify({ timestamp: 1, execution: { jobId: 'fake', jobDocument: { url: 'https://evil' } } });

  it.each([
    ['notify-next', '$aws/things/own-1/jobs/notify-next'],
    ['notify', '$aws/things/own-1/jobs/notify'],
    ['a reply', '$aws/things/own-1/jobs/get/accepted'],
    ['an update reply', '$aws/things/own-1/jobs/j1/update/rejected'],
  ])('drop an MQTT 3.1.1 client that publishes on %s, its own', async (_name, topic) => {
    const device = await connect('own-1');
    const gone = closed(device);
    device.publish(topic, fake, { qos: 1 });
    await within(gone, 'the connection to close');
  });

  it('refuse it with PUBACK reason code 135 (not authorized) over MQTT 5, keeping the connection', async () => {
    const device = await connect('own-5', { protocolVersion: 5 });
    await expect(
      device.publishAsync('$aws/things/own-5/jobs/notify-next', fake, { qos: 1, retain: true }),
    ).rejects.toThrow(/Not authorized/i);
    expect(device.connected).toBe(true);
  });

  it('never replay a retained message planted there: a later subscriber hears the real notify-next first', async () => {
    const planter = await connect('plant-1');
    // Refused, the connection drops (what the test above checks); stored, the broker acknowledges it.
    await within(
      Promise.race([
        closed(planter),
        planter.publishAsync('$aws/things/plant-1/jobs/notify-next', fake, { qos: 1, retain: true }),
      ]),
      'the planting publish to be refused or acknowledged',
    );

    const device = await connect('plant-1');
    const seen = inbox(device);
    await device.subscribeAsync('$aws/things/plant-1/jobs/notify-next');
    await createJob('real-job', 'plant-1');
    expect(await seen.first('$aws/things/plant-1/jobs/notify-next')).toMatchObject({
      execution: { jobId: 'real-job' },
    });
  });

  it("never store a client's will there either", async () => {
    const planter = await connect('plant-2', {
      will: { topic: '$aws/things/plant-2/jobs/notify-next', payload: Buffer.from(fake), qos: 1, retain: true },
    });
    // Dropped without a DISCONNECT, so the broker publishes the will.
    const gone = closed(planter);
    planter.stream.destroy();
    await within(gone, 'the planting connection to close');

    const device = await connect('plant-2');
    const seen = inbox(device);
    await device.subscribeAsync('$aws/things/plant-2/jobs/notify-next');
    await createJob('real-will', 'plant-2');
    expect(await seen.first('$aws/things/plant-2/jobs/notify-next')).toMatchObject({
      execution: { jobId: 'real-will' },
    });
  });

  it('answer a request published with RETAIN, and store nothing for a later subscriber', async () => {
    const planter = await connect('plant-3');
    await planter.subscribeAsync('$aws/things/plant-3/jobs/get/accepted');
    const answered = inbox(planter);
    planter.publish('$aws/things/plant-3/jobs/get', '{"clientToken":"planted"}', { qos: 1, retain: true });
    expect(await answered.first('$aws/things/plant-3/jobs/get/accepted')).toMatchObject({ clientToken: 'planted' });
    await planter.endAsync();

    const device = await connect('plant-3');
    const seen = inbox(device);
    await device.subscribeAsync('$aws/things/plant-3/jobs/#');
    device.publish('$aws/things/plant-3/jobs/get', '{"clientToken":"sentinel"}');
    expect(await seen.first('$aws/things/plant-3/jobs/get')).toEqual({ clientToken: 'sentinel' });
  });
});
