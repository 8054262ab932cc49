import { type AddressInfo, createServer, type Server } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Aedes, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { APIGatewayEventClientCertificate, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { callerOfCertificate } from '../../lambdas/api/http/request';
import type { JobEvent } from '../../lambdas/jobs/events/job-events';
import type { Services } from '../../lambdas/runtime';
import type { StreamRecordLike } from '../../lambdas/store/stream-changes';
import { type MountedRoute, type MutualTlsOptions, matchRoute } from '../http/api-gateway-adapter';
import { clientCertificateOf, gatewayEvent } from '../http/gateway-event';
import { connectionGuard } from './connection-guard';
import { PublishNotAuthorized, watchConnectivity } from './connectivity-watch';
import { httpRequestOf, type JobsTopicRequest, replyOf, replyTopic, requestOfTopic } from './device-topics';
import { createNotifier } from './notifications';
import { MAX_PACKET_BYTES, maySubscribe, publishRefusal } from './topic-policy';

/**
 * The local MQTT endpoint: an embedded broker (aedes, MQTT 3.1.1 and 5, over
 * plain TCP or mutual TLS) that answers the AWS IoT Jobs request topics
 * through the same device route handlers as the HTTP API. The client ID names
 * the thing (AWS IoT's policy convention, ${iot:ClientId}): a client may
 * publish and subscribe only under its own `$aws/things/<thing>/` topics, and
 * publish there only the jobs requests, no bigger than AWS IoT's message size
 * (topic-policy.ts).
 * Over TLS the client certificate must stand for that thing exactly as on HTTP
 * (registered, ACTIVE and attached to it; or its CN), checked at CONNECT; each
 * request carries the certificate to the handlers as API Gateway would, and a
 * connection whose certificate stops standing for its thing is closed.
 * Each connect and disconnect is recorded on the client ID's thing, for fleet indexing's connectivity
 * (connectivity-watch.ts).
 */
export interface MqttEndpoint {
  url: string;
  port: number;
  /** Publishes the notify and notify-next changes a stream batch made (see notifications.ts). */
  notify(records: readonly StreamRecordLike[]): Promise<void>;
  /**
   * Publishes job and execution events on their `$aws/events/...` topics (anyone may subscribe to those, as an
   * operator's client does on AWS IoT).
   */
  publishEvents(events: readonly JobEvent[]): Promise<void>;
  close(): Promise<void>;
}

export async function startMqttBroker(
  routes: readonly MountedRoute[],
  options: {
    port: number;
    host: string;
    clock: () => number;
    services: Pick<Services, 'device' | 'indexing'>;
    tls?: MutualTlsOptions;
  },
): Promise<MqttEndpoint> {
  // A bigger packet is refused on the length its fixed header declares (the connection dropped; MQTT 5 is told why,
  // DISCONNECT 0x95), before its payload is read.
  const broker = await Aedes.createBroker({ maximumPacketSize: MAX_PACKET_BYTES });
  const certificates = new WeakMap<Client, APIGatewayEventClientCertificate>();
  const connectivity = watchConnectivity(
    broker,
    (thingName, event) => options.services.indexing.recordConnectivity(thingName, event),
    options.clock,
  );
  const guard = connectionGuard((client) =>
    options.services.device.authorizeThing(callerOfCertificate(certificates.get(client)), client.id).then(
      () => true,
      () => {
        // Closed because its certificate no longer authorizes it for its thing.
        connectivity.closing(client, 'AUTH_ERROR');
        return false;
      },
    ),
  );
  if (options.tls) {
    broker.authenticate = (client, _username, _password, callback) => {
      const certificate = clientCertificateOf(client.conn as TLSSocket);
      options.services.device.authorizeThing(callerOfCertificate(certificate), client.id).then(
        () => {
          certificates.set(client, certificate!);
          guard.admitted(client, callerOfCertificate(certificate).clientCertificateFingerprint);
          callback(null, true);
        },
        // CONNACK "not authorized" (5; 0x87 in MQTT 5): the client ID is not the thing the certificate stands for.
        (error: unknown) =>
          callback(Object.assign(new Error(String((error as Error).message ?? error)), { returnCode: 5 }), false),
      );
    };
  }
  // Also asked for a client's will, when the broker is about to publish it.
  broker.authorizePublish = (client, packet, callback) => {
    // Every topic a client may publish on is a reserved `$aws/` topic, whose messages are AWS IoT's requests and
    // answers: none is stored to be replayed to a later subscriber.
    packet.retain = false;
    const refusal = publishRefusal(client?.id, packet.topic);
    // Refused, the broker drops an MQTT 3.1.1 client, as AWS IoT does with a publish its policy denies (MQTT 5: PUBACK
    // 135, not authorized).
    callback(refusal ? new PublishNotAuthorized(refusal) : null);
  };
  broker.authorizeSubscribe = (client, subscription: Subscription, callback) => {
    // Refused, the subscription is answered with a failure code; the connection stays.
    callback(null, maySubscribe(client?.id, subscription.topic) ? subscription : null);
  };
  broker.on('publish', (packet: PublishPacket, client: Client | null) => {
    const request = client ? requestOfTopic(packet.topic) : undefined;
    if (!request) return;
    // A fault answering (it should not happen: the handlers turn errors into answers) is the device's InternalError,
    // not the runner's crash.
    answer(request, packet.topic, packet.payload.toString(), certificates.get(client!)).catch((error: unknown) => {
      console.error(
        JSON.stringify({ level: 'error', message: 'MQTT request failed', topic: packet.topic, error: String(error) }),
      );
      void publish(replyTopic(packet.topic, false), {
        code: 'InternalError',
        message: 'The request failed',
        timestamp: Math.floor(options.clock() / 1000),
      });
    });
  });

  const publish = (topic: string, payload: Record<string, unknown>) =>
    new Promise<void>((resolve) =>
      broker.publish(
        { cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(payload)), qos: 0, retain: false, dup: false },
        () => resolve(),
      ),
    );

  async function answer(
    request: JobsTopicRequest,
    topic: string,
    text: string,
    clientCert: APIGatewayEventClientCertificate | undefined,
  ): Promise<void> {
    const seconds = Math.floor(options.clock() / 1000);
    let payload: Record<string, unknown>;
    try {
      const parsed: unknown = text.trim() ? JSON.parse(text) : {};
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      payload = parsed as Record<string, unknown>;
    } catch {
      await publish(replyTopic(topic, false), {
        code: 'InvalidJson',
        message: 'The payload is not a JSON object',
        timestamp: seconds,
      });
      return;
    }
    // The payload goes on as the HTTP body, as the device sent it: the device API parses and validates it exactly as
    // it does over HTTP (a deeply nested member included).
    const http = httpRequestOf(request, payload, text);
    const match = matchRoute(routes, http.method, http.path);
    if (!match) {
      await publish(replyTopic(topic, false), {
        code: 'InvalidTopic',
        message: `No jobs request at ${topic}`,
        timestamp: seconds,
      });
      return;
    }
    const event = gatewayEvent({
      route: match.mounted.route,
      apiId: 'local-mqtt',
      method: http.method,
      path: http.path,
      rawQueryString: new URLSearchParams(http.query).toString(),
      query: http.query,
      headers: { 'content-type': 'application/json', 'user-agent': 'mqtt' },
      pathParameters: match.pathParameters,
      protocol: 'MQTT',
      sourceIp: '127.0.0.1',
      ...(clientCert ? { clientCert } : {}),
      ...(http.body !== undefined ? { body: http.body } : {}),
    });
    const result = (await match.mounted.handler(event)) as APIGatewayProxyStructuredResultV2;
    const body = (result.body ? JSON.parse(result.body) : {}) as Record<string, unknown>;
    const errorType = result.headers?.['x-amzn-ErrorType'];
    const reply = replyOf(
      { statusCode: result.statusCode ?? 200, ...(typeof errorType === 'string' ? { errorType } : {}), body },
      payload.clientToken,
      seconds,
    );
    await publish(replyTopic(topic, reply.accepted), reply.payload);
  }

  // Mutual TLS as on HTTP: a client without a certificate from the development CA never gets past the handshake.
  const server: Server = options.tls
    ? createTlsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ca: options.tls.ca,
          requestCert: true,
          rejectUnauthorized: true,
        },
        broker.handle,
      )
    : createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const notifier = createNotifier(options.services, publish, options.clock);
  return {
    url: `${options.tls ? 'mqtts' : 'mqtt'}://${options.host}:${port}`,
    port,
    notify: async (records) => {
      // A certificate made INACTIVE or REVOKED, deleted, or detached from a client's thing: its connections close.
      await guard.onBatch(records);
      await notifier.onBatch(records);
    },
    publishEvents: async (events) => {
      for (const event of events) await publish(event.topic, event.payload as unknown as Record<string, unknown>);
    },
    close: async () => {
      // Every client's disconnect is recorded (SERVER_INITIATED_DISCONNECT) before the store behind it closes.
      connectivity.stopping();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connectivity.idle();
    },
  };
}
