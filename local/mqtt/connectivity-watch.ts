import type { Aedes, Client } from 'aedes';
import type { ConnectivityEvent, DisconnectReason } from '../../lambdas/jobs/index/connectivity';

/**
 * Fleet indexing's connectivity, from the broker: each client that connects and disconnects, its client ID naming
 * its thing (as on AWS IoT, where connectivity is indexed for a client ID that is a registered thing's name). One
 * write per connect and per disconnect, one thing's in the order they happened (a takeover's disconnect before the
 * new connect); a write that fails is logged, never the broker's fault.
 */

/** A refused publish: the policy closes an MQTT 3.1.1 client with it (AWS IoT's AUTH_ERROR). */
export class PublishNotAuthorized extends Error {}

/** What the broker knows of a connection when it ends. */
export interface DisconnectFacts {
  /** Another connection with the same client ID took over. */
  takenOver: boolean;
  /** This broker closed it, for this reason (its certificate stopped standing for the thing; the broker stopped). */
  closedBy?: DisconnectReason;
  /** The client sent DISCONNECT. */
  clientSentDisconnect: boolean;
  /** Nothing came from the client within 1.5 keep-alive periods. */
  keepAliveTimedOut: boolean;
  /** MQTT 5: the reason code of the DISCONNECT the broker sent (0x95 packet too large, 0x94 bad topic alias, ...). */
  serverReasonCode?: number;
  /** The error that ended the connection, if one did. */
  fatalError?: Error & { code?: string };
}

/** MQTT 5 reason codes of a DISCONNECT the broker sends for what the client did wrong. */
const CLIENT_FAULT_CODES = new Set([0x81, 0x82, 0x93, 0x94, 0x95, 0x97, 0x99, 0x9a]);
const SESSION_TAKEN_OVER = 0x8e;

/** AWS IoT's disconnectReason for what the broker knows, the most telling fact first. */
export function disconnectReasonOf(facts: DisconnectFacts): DisconnectReason {
  if (facts.takenOver || facts.serverReasonCode === SESSION_TAKEN_OVER) return 'DUPLICATE_CLIENTID';
  if (facts.closedBy) return facts.closedBy;
  if (facts.clientSentDisconnect) return 'CLIENT_INITIATED_DISCONNECT';
  if (facts.keepAliveTimedOut) return 'MQTT_KEEP_ALIVE_TIMEOUT';
  if (facts.serverReasonCode !== undefined && CLIENT_FAULT_CODES.has(facts.serverReasonCode)) return 'CLIENT_ERROR';
  const error = facts.fatalError;
  if (!error) return 'CONNECTION_LOST';
  if (error instanceof PublishNotAuthorized) return 'AUTH_ERROR';
  // A socket's own error (ECONNRESET, EPIPE, ETIMEDOUT): the network, not the client's MQTT.
  if (typeof error.code === 'string') return 'CONNECTION_LOST';
  // A packet that does not parse, or is bigger than the broker takes.
  return 'CLIENT_ERROR';
}

/** What aedes keeps on a client and the broker that the watch reads (not in its types). */
interface ClientState {
  _disconnected?: boolean;
  errored?: boolean;
  disconnectReasonCode?: number | null;
}
interface BrokerState {
  _takingOver?: Set<string>;
}

export interface ConnectivityWatch {
  /** The broker is about to close this client, and why (before `client.close()`). */
  closing(client: Client, reason: DisconnectReason): void;
  /** Every connection is about to close because the broker stops. */
  stopping(): void;
  /** Until every event seen so far is written. */
  idle(): Promise<void>;
}

export function watchConnectivity(
  broker: Aedes,
  record: (thingName: string, event: ConnectivityEvent) => Promise<void>,
  clock: () => number,
): ConnectivityWatch {
  const closedBy = new WeakMap<Client, DisconnectReason>();
  const keepAliveTimedOut = new WeakSet<Client>();
  const lastError = new WeakMap<Client, Error>();
  // One thing's writes one after another, in the order the broker saw them.
  const queues = new Map<string, Promise<void>>();
  let stopping = false;

  const enqueue = (thingName: string, event: ConnectivityEvent) => {
    const previous = queues.get(thingName) ?? Promise.resolve();
    const next = previous
      .then(() => record(thingName, event))
      .catch((error: unknown) =>
        console.error(
          JSON.stringify({ level: 'error', message: 'connectivity not recorded', thingName, error: String(error) }),
        ),
      )
      .finally(() => {
        if (queues.get(thingName) === next) queues.delete(thingName);
      });
    queues.set(thingName, next);
  };

  broker.on('client', (client: Client) => enqueue(client.id, { connected: true, timestamp: clock() }));
  broker.on('keepaliveTimeout', (client: Client) => keepAliveTimedOut.add(client));
  broker.on('clientError', (client: Client, error: Error) => lastError.set(client, error));
  broker.on('clientDisconnect', (client: Client) => {
    const state = client as unknown as ClientState;
    const fatalError = state.errored ? lastError.get(client) : undefined;
    const reason = disconnectReasonOf({
      // aedes marks the client ID while the new connection takes over (MQTT 3.1.1 has no DISCONNECT to carry it).
      takenOver: (broker as unknown as BrokerState)._takingOver?.has(client.id) ?? false,
      ...(stopping ? { closedBy: 'SERVER_INITIATED_DISCONNECT' as const } : {}),
      ...(closedBy.has(client) ? { closedBy: closedBy.get(client)! } : {}),
      clientSentDisconnect: state._disconnected === true,
      keepAliveTimedOut: keepAliveTimedOut.has(client),
      ...(typeof state.disconnectReasonCode === 'number' ? { serverReasonCode: state.disconnectReasonCode } : {}),
      ...(fatalError ? { fatalError } : {}),
    });
    enqueue(client.id, { connected: false, timestamp: clock(), disconnectReason: reason });
  });

  return {
    closing: (client, reason) => closedBy.set(client, reason),
    stopping: () => {
      stopping = true;
    },
    idle: async () => {
      while (queues.size) await Promise.all(queues.values());
    },
  };
}
