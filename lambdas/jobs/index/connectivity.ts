/**
 * A thing's connectivity, as fleet indexing holds it (`thingConnectivityIndexingMode` STATUS): whether a client whose
 * client ID is the thing's name is connected, since when (epoch milliseconds), and why it last disconnected. Only
 * the local runner's MQTT broker sees connections, so only there is it recorded (decisions.md, fleet indexing).
 */

/** AWS's disconnect reasons (botocore's DisconnectReasonValue), of which the broker tells the ones it can know. */
export const DISCONNECT_REASONS = [
  'AUTH_ERROR',
  'CLIENT_INITIATED_DISCONNECT',
  'CLIENT_ERROR',
  'CONNECTION_LOST',
  'DUPLICATE_CLIENTID',
  'FORBIDDEN_ACCESS',
  'MQTT_KEEP_ALIVE_TIMEOUT',
  'SERVER_ERROR',
  'SERVER_INITIATED_DISCONNECT',
  'THROTTLED',
  'WEBSOCKET_TTL_EXPIRATION',
  'CUSTOMAUTH_TTL_EXPIRATION',
  'UNKNOWN',
  'NONE',
] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** One connect or disconnect, as recorded on the thing: a disconnect always says why. */
export type ConnectivityEvent =
  | { connected: true; timestamp: number }
  | { connected: false; timestamp: number; disconnectReason: DisconnectReason };

/**
 * What a search answers (botocore's ThingConnectivity): a thing no client of its name ever connected as is
 * `{ connected: false }`, with neither time nor reason.
 */
export interface ThingConnectivity {
  connected: boolean;
  timestamp?: number;
  disconnectReason?: DisconnectReason;
}

export const NEVER_CONNECTED: ThingConnectivity = { connected: false };

export const connectivityOf = (recorded: ConnectivityEvent | undefined): ThingConnectivity =>
  recorded ? { ...recorded } : NEVER_CONNECTED;

/** The index's connectivity fields, each with its values as the matcher reads them (none: the field is absent). */
export function connectivityFields(connectivity: ThingConnectivity): Record<string, string[]> {
  return {
    'connectivity.connected': [String(connectivity.connected)],
    'connectivity.timestamp': connectivity.timestamp !== undefined ? [String(connectivity.timestamp)] : [],
    'connectivity.disconnectReason': connectivity.disconnectReason !== undefined ? [connectivity.disconnectReason] : [],
  };
}

/** The fields connectivityFields gives: what a query may name once connectivity is indexed. */
export const CONNECTIVITY_FIELDS = Object.keys(connectivityFields(NEVER_CONNECTED));
