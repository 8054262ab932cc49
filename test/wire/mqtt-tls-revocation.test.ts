import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DetachThingPrincipalCommand, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, type WireFixture } from '../support/local-service';
import { mqttRequest } from '../support/mqtt';
import { certificateIdOf } from '../support/test-certificates';

/**
 * MQTT over mutual TLS, as AWS IoT treats a certificate that stops standing for its thing: the open connection closes
 * when the certificate is made INACTIVE, REVOKED or detached, and CONNECT with it is refused from then on.
 */
let f: WireFixture;
const clients: MqttClient[] = [];

beforeAll(async () => {
  f = await startWireFixture({
    mqttPort: 0,
    tls: { dir: mkdtempSync(join(tmpdir(), 'jobs-mqtt-revoke-')), deviceCertificates: ['m1', 'm2'] },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await f?.stop();
});

const idOf = (thing: string) => certificateIdOf(readFileSync(f.service.certificates!.devices[thing]!.certFile, 'utf8'));

function connect(thing: 'm1' | 'm2', protocolVersion: 4 | 5 = 4): Promise<MqttClient> {
  const pair = f.service.certificates!.devices[thing]!;
  return mqtt
    .connectAsync(f.service.mqttEndpoint!, {
      ca: readFileSync(f.service.certificates!.caFile),
      cert: readFileSync(pair.certFile),
      key: readFileSync(pair.keyFile),
      clientId: thing,
      protocolVersion,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    })
    .then((client) => {
      clients.push(client);
      return client;
    });
}

const closed = (client: MqttClient) =>
  new Promise<void>((resolve) => (client.connected ? client.once('close', () => resolve()) : resolve()));

describe('a certificate that stops standing for its thing, over MQTT', () => {
  it('closes the open connection when the certificate is made INACTIVE, and refuses to connect again', async () => {
    const device = await connect('m1');
    expect((await mqttRequest(device, '$aws/things/m1/jobs/get', {})).accepted).toBe(true);
    const closing = closed(device);
    await f.iot.send(new UpdateCertificateCommand({ certificateId: idOf('m1'), newStatus: 'INACTIVE' }));
    await closing;
    expect(device.connected).toBe(false);
    await expect(connect('m1')).rejects.toThrow(/Not authorized|not authorized/i);
    await f.iot.send(new UpdateCertificateCommand({ certificateId: idOf('m1'), newStatus: 'ACTIVE' }));
    const again = await connect('m1', 5);
    expect(again.connected).toBe(true);
    const closingAgain = closed(again);
    await f.iot.send(new UpdateCertificateCommand({ certificateId: idOf('m1'), newStatus: 'REVOKED' }));
    await closingAgain;
    await expect(connect('m1', 5)).rejects.toThrow(/authorized/i);
  });

  it('closes the connection when its thing is detached from the certificate', async () => {
    const device = await connect('m2');
    const closing = closed(device);
    await f.iot.send(
      new DetachThingPrincipalCommand({
        thingName: 'm2',
        principal: `arn:aws:iot:us-east-1:123456789012:cert/${idOf('m2')}`,
      }),
    );
    await closing;
    await expect(connect('m2')).rejects.toThrow(/authorized/i);
  });
});
