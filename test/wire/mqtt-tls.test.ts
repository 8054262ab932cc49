import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { mqttRequest } from '../support/mqtt';

/** The jobs topics over MQTT with mutual TLS (local --tls mode): the client certificate binds the thing, as on HTTP. */
let f: WireFixture;
const clients: MqttClient[] = [];

beforeAll(async () => {
  f = await startWireFixture({
    mqttPort: 0,
    tls: { dir: mkdtempSync(join(tmpdir(), 'jobs-mqtt-tls-')), deviceCertificates: ['s1', 's2'] },
  });
  await f.iot.send(
    new CreateJobCommand({ jobId: 'ota-tls', targets: [thingArn('s1'), thingArn('s2')], document: '{"op":"tls"}' }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await f?.stop();
});

function tlsOptions(holder?: 's1' | 's2'): IClientOptions {
  const pair = holder && f.service.certificates!.devices[holder]!;
  return {
    ca: readFileSync(f.service.certificates!.caFile),
    ...(pair ? { cert: readFileSync(pair.certFile), key: readFileSync(pair.keyFile) } : {}),
    reconnectPeriod: 0,
    connectTimeout: 10_000,
  };
}

async function connect(clientId: string, holder: 's1' | 's2', protocolVersion: 4 | 5): Promise<MqttClient> {
  const client = await mqtt.connectAsync(f.service.mqttEndpoint!, { ...tlsOptions(holder), clientId, protocolVersion });
  clients.push(client);
  return client;
}

describe('the jobs topics over MQTT with mutual TLS', () => {
  it('listens on mqtts://', () => {
    expect(f.service.mqttEndpoint).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each([4, 5] as const)(
    'serves the thing its certificate names (MQTT protocol level %i): start-next and a versioned update',
    async (protocolVersion) => {
      const thing = protocolVersion === 4 ? 's1' : 's2';
      const device = await connect(thing, thing, protocolVersion);
      const base = `$aws/things/${thing}/jobs`;
      const started = await mqttRequest(device, `${base}/start-next`, { clientToken: `tls-${protocolVersion}` });
      expect(started).toMatchObject({
        accepted: true,
        body: {
          clientToken: `tls-${protocolVersion}`,
          execution: { jobId: 'ota-tls', status: 'IN_PROGRESS', versionNumber: 2 },
        },
      });
      const stale = await mqttRequest(device, `${base}/ota-tls/update`, { status: 'SUCCEEDED', expectedVersion: 1 });
      expect(stale).toMatchObject({
        accepted: false,
        body: { code: 'VersionMismatch', executionState: { versionNumber: 2 } },
      });
      const done = await mqttRequest(device, `${base}/ota-tls/update`, { status: 'SUCCEEDED', expectedVersion: 2 });
      expect(done.accepted).toBe(true);
      // Not asked for (includeJobExecutionState), so not sent.
      expect(done.body).not.toHaveProperty('executionState');
    },
  );

  it.each([4, 5] as const)(
    'refuses a connection whose client ID is not the thing its certificate names (MQTT protocol level %i)',
    async (protocolVersion) => {
      const error = await mqtt
        .connectAsync(f.service.mqttEndpoint!, { ...tlsOptions('s1'), clientId: 's2', protocolVersion })
        .then(
          (client) => {
            clients.push(client);
            return undefined;
          },
          (e: Error & { code?: number }) => e,
        );
      expect(error?.message).toMatch(/Not authorized/i);
    },
  );

  it('refuses a client without a certificate at the handshake', async () => {
    const error = await mqtt.connectAsync(f.service.mqttEndpoint!, { ...tlsOptions(), clientId: 's1' }).then(
      (client) => {
        clients.push(client);
        return undefined;
      },
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
  });
});
