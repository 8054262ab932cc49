import {
  CreateThingCommand,
  GetIndexingConfigurationCommand,
  GetThingConnectivityDataCommand,
  InvalidQueryException,
  InvalidRequestException,
  ResourceNotFoundException,
  SearchIndexCommand,
  type ThingDocument,
  UpdateIndexingConfigurationCommand,
} from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, type WireFixture } from '../support/local-service';
import { within } from '../support/within';

/**
 * Connectivity indexing on the local runner: a real MQTT client connects to its broker as a thing, and
 * @aws-sdk/client-iot's SearchIndex finds it connected, then disconnected with AWS's reason, on DynamoDB Local.
 */
let f: WireFixture;
const clients: MqttClient[] = [];

beforeAll(async () => {
  f = await startWireFixture({ mqttPort: 0, implicitThings: false });
  for (const thingName of ['plug-1', 'plug-2']) await f.iot.send(new CreateThingCommand({ thingName }));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await f?.stop();
});

const search = async (queryString: string): Promise<ThingDocument[]> =>
  (await f.iot.send(new SearchIndexCommand({ queryString }))).things ?? [];
const names = (things: ThingDocument[]) => things.map((t) => t.thingName);
/** Until the search answers these names (the broker's write lands a moment after the CONNACK), within 10 s. */
const untilFound = async (queryString: string, expected: string[]) => {
  let last: string[] = [];
  const found = await within(10_000, async () => {
    last = names(await search(queryString)).filter((name): name is string => name !== undefined);
    return JSON.stringify(last) === JSON.stringify(expected);
  });
  expect(found ? expected : last).toEqual(expected);
};

async function connect(clientId: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(f.service.mqttEndpoint!, { clientId, reconnectPeriod: 0 });
  clients.push(client);
  return client;
}

describe('connectivity from the local broker', () => {
  it('turns on with the registry index, and GetIndexingConfiguration says so', async () => {
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({
        thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'STATUS' },
      }),
    );
    const config = await f.iot.send(new GetIndexingConfigurationCommand({}));
    expect(config.thingIndexingConfiguration).toEqual({
      thingIndexingMode: 'REGISTRY',
      thingConnectivityIndexingMode: 'STATUS',
    });
  });

  it('answers a thing that never connected as not connected, with no time and no reason', async () => {
    const [thing] = await search('thingName:plug-2');
    expect(thing?.connectivity).toEqual({ connected: false });
  });

  it('finds a thing connected while its client is, with the time in epoch milliseconds', async () => {
    const before = Date.now();
    await connect('plug-1');
    await untilFound('connectivity.connected:true', ['plug-1']);
    const [thing] = await search('connectivity.connected:true');
    expect(thing).toEqual({
      thingName: 'plug-1',
      thingId: expect.any(String),
      connectivity: { connected: true, timestamp: expect.any(Number) },
    });
    expect(thing!.connectivity!.timestamp).toBeGreaterThanOrEqual(before);
    expect(thing!.connectivity!.timestamp).toBeLessThanOrEqual(Date.now());
    await untilFound(`connectivity.timestamp>=${before}`, ['plug-1']);
    await untilFound('connectivity.connected:false', ['plug-2']);
  });

  it('shows it disconnected, with the reason, once its client disconnects', async () => {
    const [connected] = await search('thingName:plug-1');
    await clients.pop()!.endAsync();
    await untilFound('connectivity.connected:false', ['plug-1', 'plug-2']);
    const [thing] = await search('connectivity.disconnectReason:CLIENT_INITIATED_DISCONNECT');
    expect(thing?.thingName).toBe('plug-1');
    expect(thing?.connectivity).toEqual({
      connected: false,
      timestamp: expect.any(Number),
      disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
    });
    expect(thing!.connectivity!.timestamp).toBeGreaterThanOrEqual(connected!.connectivity!.timestamp!);
  });

  it('answers GetThingConnectivityData for one thing, its time a timestamp as the model has it', async () => {
    const [indexed] = await search('thingName:plug-1');
    const data = await f.iot.send(new GetThingConnectivityDataCommand({ thingName: 'plug-1' }));
    expect(data).toMatchObject({
      thingName: 'plug-1',
      connected: false,
      timestamp: new Date(indexed!.connectivity!.timestamp!),
      disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
    });
    const never = await f.iot.send(new GetThingConnectivityDataCommand({ thingName: 'plug-2' }));
    expect(never.connected).toBe(false);
    expect(never.timestamp).toBeUndefined();
    const missing = await f.iot
      .send(new GetThingConnectivityDataCommand({ thingName: 'no-such-thing' }))
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('turned off, answers no connectivity and refuses a query on it by name', async () => {
    await f.iot.send(
      new UpdateIndexingConfigurationCommand({
        thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'OFF' },
      }),
    );
    const [thing] = await search('thingName:plug-1');
    expect(thing).toEqual({ thingName: 'plug-1', thingId: expect.any(String) });
    const refused = await search('connectivity.connected:true').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidQueryException);
    expect((refused as Error).message).toMatch(/thingConnectivityIndexingMode STATUS/);
    const notIndexed = await f.iot
      .send(new GetThingConnectivityDataCommand({ thingName: 'plug-1' }))
      .catch((error: unknown) => error);
    expect(notIndexed).toBeInstanceOf(InvalidRequestException);
  });
});
