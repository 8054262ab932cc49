/**
 * The broker's refusals as the official AWS IoT Device SDK v2 for JavaScript
 * (aws-crt) meets them, over plain TCP: a publish bigger than AWS IoT's
 * message size, and a publish (retained) on notify-next, a topic the service
 * publishes on. Its MQTT 3.1.1 connection is dropped for either (the SDK
 * reports an interruption); its MQTT 5 client learns the size limit from the
 * CONNACK and will not send a bigger publish, and is answered PUBACK 135 (not
 * authorized) on notify-next. Neither leaves a retained message behind.
 */
import { once } from 'node:events';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { io, iotjobs, mqtt, mqtt5 } from 'aws-iot-device-sdk-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settledWithin as within } from '../support/inbox';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** AWS IoT Core's limit on a PUBLISH payload. */
const MAX_PAYLOAD = 128 * 1024;
const TOO_BIG = 'x'.repeat(200 * 1024);
const FAKE_NEXT = JSON.stringify({ timestamp: 1, execution: { jobId: 'fake', jobDocument: { url: 'https://evil' } } });

let f: WireFixture;
/** Closers of everything opened, run last-opened first. */
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  f = await startWireFixture({ mqttPort: 0 });
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await f?.stop();
});

const endpoint = () => {
  const url = new URL(f.service.mqttEndpoint!);
  return { host: url.hostname, port: Number(url.port) };
};

describe('IotJobsClient (v1) over an MQTT 3.1.1 connection', () => {
  async function connect(thing: string): Promise<mqtt.MqttClientConnection> {
    const { host, port } = endpoint();
    const connection = new mqtt.MqttClient().new_connection({
      client_id: thing,
      host_name: host,
      port,
      socket_options: new io.SocketOptions(),
      clean_session: true,
      keep_alive: 30,
    });
    const disconnect = () => within(connection.disconnect(), `disconnecting ${thing}`).catch(() => undefined);
    closers.push(disconnect);
    await within(connection.connect(), `connecting ${thing}`);
    return connection;
  }

  it("has its connection interrupted, unanswered, for a start-next bigger than AWS IoT's message size", async () => {
    const thingName = 'sdk-size-v1';
    const connection = await connect(thingName);
    const jobs = new iotjobs.IotJobsClient(connection);
    const answers: string[] = [];
    await jobs.subscribeToStartNextPendingJobExecutionAccepted({ thingName }, mqtt.QoS.AtLeastOnce, () =>
      answers.push('accepted'),
    );
    await jobs.subscribeToStartNextPendingJobExecutionRejected({ thingName }, mqtt.QoS.AtLeastOnce, () =>
      answers.push('rejected'),
    );
    const interrupted = once(connection, 'interrupt');
    void jobs
      .publishStartNextPendingJobExecution({ thingName, statusDetails: { blob: TOO_BIG } }, mqtt.QoS.AtMostOnce)
      .catch(() => undefined);
    await within(interrupted, 'the interruption');
    expect(answers).toEqual([]);
  });

  it('has its connection interrupted for a retained notify-next of its own, which a later subscriber never hears', async () => {
    const thingName = 'sdk-plant-v1';
    const planter = await connect(thingName);
    // Refused, the connection is interrupted (dropped by the broker); stored, the broker acknowledges it.
    await within(
      Promise.race([
        once(planter, 'interrupt'),
        planter.publish(`$aws/things/${thingName}/jobs/notify-next`, FAKE_NEXT, mqtt.QoS.AtLeastOnce, true),
      ]),
      'the planting publish to be refused or acknowledged',
    );
    await within(planter.disconnect(), 'disconnecting the planter');

    const jobs = new iotjobs.IotJobsClient(await connect(thingName));
    // A retained message would arrive on subscribing, before the job exists.
    let heard!: (event: iotjobs.model.NextJobExecutionChangedEvent | undefined) => void;
    const first = new Promise<iotjobs.model.NextJobExecutionChangedEvent | undefined>((resolve) => (heard = resolve));
    await jobs.subscribeToNextJobExecutionChangedEvents({ thingName }, mqtt.QoS.AtLeastOnce, (_error, event) =>
      heard(event),
    );
    await f.iot.send(new CreateJobCommand({ jobId: 'sdk-real', targets: [thingArn(thingName)], document: '{}' }));
    expect((await within(first, 'notify-next'))?.execution?.jobId).toBe('sdk-real');
  });
});

describe('an MQTT 5 client', () => {
  async function connect(thing: string): Promise<{ client: mqtt5.Mqtt5Client; settings: mqtt5.NegotiatedSettings }> {
    const { host, port } = endpoint();
    const client = new mqtt5.Mqtt5Client({
      hostName: host,
      port,
      connectProperties: { clientId: thing, keepAliveIntervalSeconds: 30 },
      sessionBehavior: mqtt5.ClientSessionBehavior.Clean,
    });
    const connected = new Promise<mqtt5.NegotiatedSettings>((resolve, reject) => {
      client.once('connectionSuccess', (event) => resolve(event.settings));
      client.once('connectionFailure', (event) => reject(event.error));
    });
    closers.push(async () => {
      const stopped = once(client, 'stopped');
      client.stop();
      await within(stopped, `stopping ${thing}`).catch(() => undefined);
      client.close();
    });
    client.start();
    return { client, settings: await within(connected, `connecting ${thing}`) };
  }

  it('learns the size limit from the CONNACK, and will not send a bigger publish', async () => {
    const { client, settings } = await connect('sdk-size-v5');
    expect(settings.maximumPacketSizeToServer).toBeGreaterThan(MAX_PAYLOAD);
    expect(settings.maximumPacketSizeToServer).toBeLessThan(MAX_PAYLOAD + 4096);
    await expect(
      client.publish({
        topicName: '$aws/things/sdk-size-v5/jobs/get',
        payload: TOO_BIG,
        qos: mqtt5.QoS.AtLeastOnce,
      }),
    ).rejects.toThrow(/AWS_ERROR_MQTT5_PACKET_VALIDATION/);
  });

  it('is answered PUBACK 135 (not authorized) for a retained publish on notify-next, and stays connected', async () => {
    const { client } = await connect('sdk-plant-v5');
    const result = await within(
      client.publish({
        topicName: '$aws/things/sdk-plant-v5/jobs/notify-next',
        payload: FAKE_NEXT,
        qos: mqtt5.QoS.AtLeastOnce,
        retain: true,
      }),
      'the PUBACK',
    );
    expect(result).toMatchObject({
      type: mqtt5.PacketType.Puback,
      reasonCode: mqtt5.PubackReasonCode.NotAuthorized,
    });
    // Still connected: a request on its own topics is published and acknowledged.
    expect(
      await within(
        client.publish({ topicName: '$aws/things/sdk-plant-v5/jobs/get', payload: '{}', qos: mqtt5.QoS.AtLeastOnce }),
        'a PUBACK after the refusal',
      ),
    ).toMatchObject({ reasonCode: mqtt5.PubackReasonCode.Success });
  });
});
