import { connect as connectTcp, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectivityEvent } from '../../lambdas/jobs/index/connectivity';
import type { Services } from '../../lambdas/runtime';
import { type DisconnectFacts, disconnectReasonOf, PublishNotAuthorized } from '../../local/mqtt/connectivity-watch';
import { type MqttEndpoint, startMqttBroker } from '../../local/mqtt/mqtt-broker';
import { within } from '../support/within';

/**
 * The broker's record of each connect and disconnect, with AWS IoT's disconnect reasons: the reasons as a table of
 * what the broker knows, then real mqtt.js clients (and one raw socket) on the real broker, whose writes are
 * collected here (the wire test, fleet-connectivity, writes them to DynamoDB Local and searches them).
 */
describe('why a connection ended, as AWS IoT names it', () => {
  const facts = (more: Partial<DisconnectFacts>): DisconnectFacts => ({
    takenOver: false,
    clientSentDisconnect: false,
    keepAliveTimedOut: false,
    ...more,
  });
  const socketError = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

  it.each([
    ['the client sent DISCONNECT', facts({ clientSentDisconnect: true }), 'CLIENT_INITIATED_DISCONNECT'],
    ['the socket closed without DISCONNECT', facts({}), 'CONNECTION_LOST'],
    ['the socket failed', facts({ fatalError: socketError }), 'CONNECTION_LOST'],
    ['nothing within 1.5 keep-alives', facts({ keepAliveTimedOut: true }), 'MQTT_KEEP_ALIVE_TIMEOUT'],
    ['a new connection took its client ID', facts({ takenOver: true }), 'DUPLICATE_CLIENTID'],
    ['MQTT 5: session taken over (0x8E)', facts({ serverReasonCode: 0x8e }), 'DUPLICATE_CLIENTID'],
    ['a refused publish (MQTT 3.1.1)', facts({ fatalError: new PublishNotAuthorized('no') }), 'AUTH_ERROR'],
    ['a packet too large (MQTT 3.1.1)', facts({ fatalError: new Error('packet too large') }), 'CLIENT_ERROR'],
    ['MQTT 5: packet too large (0x95)', facts({ serverReasonCode: 0x95 }), 'CLIENT_ERROR'],
    ['its certificate stopped standing for it', facts({ closedBy: 'AUTH_ERROR' }), 'AUTH_ERROR'],
    ['the broker stopped', facts({ closedBy: 'SERVER_INITIATED_DISCONNECT' }), 'SERVER_INITIATED_DISCONNECT'],
    [
      'a takeover while the broker stops',
      facts({ takenOver: true, closedBy: 'SERVER_INITIATED_DISCONNECT' }),
      'DUPLICATE_CLIENTID',
    ],
  ] as const)('%s: %s', (_why, given, reason) => expect(disconnectReasonOf(given)).toBe(reason));
});

describe('the broker records each connect and disconnect of a client ID', () => {
  let broker: MqttEndpoint;
  const events: { thingName: string; event: ConnectivityEvent }[] = [];
  const clients: MqttClient[] = [];
  let now = 1_700_000_000_000;
  const services = {
    device: {},
    indexing: {
      recordConnectivity: (thingName: string, event: ConnectivityEvent) => {
        events.push({ thingName, event });
        return Promise.resolve();
      },
    },
  } as unknown as Pick<Services, 'device' | 'indexing'>;

  beforeAll(async () => {
    broker = await startMqttBroker([], { port: 0, host: '127.0.0.1', clock: () => now++, services });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.close();
  });

  const connect = async (clientId: string, protocolVersion: 4 | 5 = 4) => {
    const client = await mqtt.connectAsync(broker.url, { clientId, protocolVersion, reconnectPeriod: 0 });
    clients.push(client);
    return client;
  };
  const of = (thingName: string) => events.filter((e) => e.thingName === thingName).map((e) => e.event);
  const reasonsOf = (thingName: string) => of(thingName).map((e) => (e.connected ? 'connected' : e.disconnectReason));
  const until = async (thingName: string, count: number) =>
    expect(await within(10_000, () => of(thingName).length >= count)).toBe(true);

  it("connected, then CLIENT_INITIATED_DISCONNECT, each at the clock's time in milliseconds", async () => {
    const client = await connect('d-1');
    await until('d-1', 1);
    await client.endAsync();
    await until('d-1', 2);
    const [connected, disconnected] = of('d-1');
    expect(connected).toEqual({ connected: true, timestamp: expect.any(Number) });
    expect(disconnected).toEqual({
      connected: false,
      timestamp: expect.any(Number),
      disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
    });
    expect(disconnected!.timestamp).toBeGreaterThan(connected!.timestamp);
  });

  it('CONNECTION_LOST when the socket goes without DISCONNECT', async () => {
    const client = await connect('d-2');
    await until('d-2', 1);
    client.stream.destroy();
    await until('d-2', 2);
    expect(reasonsOf('d-2')).toEqual(['connected', 'CONNECTION_LOST']);
  });

  it.each([4, 5] as const)(
    'DUPLICATE_CLIENTID for the connection a new one of the same client ID takes over (MQTT %s)',
    async (version) => {
      const name = `d-3-${version}`;
      await connect(name, version);
      await until(name, 1);
      await connect(name, version);
      await until(name, 3);
      expect(reasonsOf(name)).toEqual(['connected', 'DUPLICATE_CLIENTID', 'connected']);
    },
  );

  it("AUTH_ERROR when the policy drops an MQTT 3.1.1 client for a publish on another thing's topics", async () => {
    const client = await connect('d-4');
    await until('d-4', 1);
    client.publish('$aws/things/someone-else/jobs/get', '{}');
    await until('d-4', 2);
    expect(reasonsOf('d-4')).toEqual(['connected', 'AUTH_ERROR']);
  });

  it('MQTT_KEEP_ALIVE_TIMEOUT when nothing comes within 1.5 keep-alive periods', async () => {
    // A bare MQTT 3.1.1 CONNECT (client ID d-5, keep-alive 1 s), and no PINGREQ after it.
    const id = Buffer.from('d-5');
    const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 1, 0, id.length]);
    const socket: Socket = connectTcp(new URL(broker.url).port as unknown as number, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(Buffer.concat([Buffer.from([0x10, variable.length + id.length]), variable, id]));
    await until('d-5', 2);
    socket.destroy();
    expect(reasonsOf('d-5')).toEqual(['connected', 'MQTT_KEEP_ALIVE_TIMEOUT']);
  });

  it('SERVER_INITIATED_DISCONNECT for every client still connected when the broker stops, written before close answers', async () => {
    await connect('d-6');
    await until('d-6', 1);
    await broker.close();
    expect(reasonsOf('d-6')).toEqual(['connected', 'SERVER_INITIATED_DISCONNECT']);
  });
});
