import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { humanRequestLine, type RequestLogSink } from '../lambdas/api/http/request-log';
import { handlerModulePath, JOB_COUNTS_AGGREGATOR, ROUTES } from '../lambdas/api/routes';
import type { EndpointAddresses } from '../lambdas/jobs/endpoints/endpoints';
import type { JobEvent } from '../lambdas/jobs/events/job-events';
import { systemClock } from '../lambdas/jobs/shared/clock';
import { buildServices, DEFAULT_ARN_CONTEXT, type Services } from '../lambdas/runtime';
import { createDocumentClient } from '../lambdas/store/table/dynamo-client';
import { clockControl } from './clock/clock-control';
import { controllableClock } from './clock/controllable-clock';
import { DASHBOARD_PATH, dashboardFile } from './dashboard/site-files';
import { DEFAULT_TABLE_NAME, startLocalStore } from './dynamodb/local-store';
import { ensureJobsTable } from './dynamodb/tables';
import { createApiServer } from './http/api-gateway-adapter';
import { ensureDevCertificates, readPair } from './http/dev-certificates';
import { devIssuerOf, registerDevCertificates } from './http/dev-registration';
import { mountRoutes, type StreamSettling } from './http/mounted-routes';
import { closeServer, listenOn, namedListenError } from './http/service-ports';
import type { LocalService, LocalServiceOptions } from './local-service-types';
import { type MqttEndpoint, startMqttBroker } from './mqtt/mqtt-broker';
import { type LocalS3, localS3Settings, startLocalS3 } from './s3/local-s3';
import { type CatchUpLimits, catchUp } from './stream/catch-up';
import { eventLogLine } from './stream/event-log';
import { FAILED_BATCHES_FILE, failedBatchFile, failedBatchList } from './stream/failed-batches';
import { checkpointFile } from './stream/stream-checkpoint';
import { type StreamPoller, startStreamPoller } from './stream/stream-poller';

/** In the data directory: where the stream poller stands in each shard. */
const STREAM_CHECKPOINT_FILE = 'stream-checkpoint.json';
/**
 * How long a request waits for the stream: until it has not moved for 2 s (a store that is gone), and 30 s at most (a
 * batch that keeps making slow progress).
 */
const CATCH_UP_LIMITS: CatchUpLimits = { stalledAfterMs: 2000, atMostMs: 30_000 };

/** The whole service on one machine: DynamoDB Local, the jobs table, and both APIs on their own ports. */
export type { LocalService, LocalServiceOptions } from './local-service-types';

export async function startLocalService(options: LocalServiceOptions = {}): Promise<LocalService> {
  const host = options.host ?? '127.0.0.1';
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  // The handlers load while DynamoDB Local boots; mountRoutes finds them loaded.
  const handlersLoading = Promise.all(ROUTES.map((route) => import(handlerModulePath(route.handlerFile))));
  handlersLoading.catch(() => {}); // a module that fails to load fails mountRoutes, below
  // Development certificates (openssl, the first time) are made while DynamoDB Local boots too.
  const certificatesMaking = options.tls
    ? ensureDevCertificates(options.tls.dir, options.tls.deviceCertificates ?? [])
    : undefined;
  certificatesMaking?.catch(() => {}); // awaited below
  const store = await (options.store ?? startLocalStore({ ...options, tableName }));
  const { embedded, lock } = store;
  const dynamoEndpoint = store.endpoint;
  const servers: Server[] = [];
  let services: Services | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let runningSweep: Promise<unknown> | undefined;
  let poller: StreamPoller | undefined;
  let pollerStarting: Promise<StreamPoller> | undefined;
  let workResumed: Promise<unknown> | undefined;
  let mqtt: MqttEndpoint | undefined;
  let localS3: LocalS3 | undefined;
  const teardown = async () => {
    clearInterval(sweepTimer);
    await runningSweep;
    await Promise.all(servers.filter((s) => s.listening).map(closeServer));
    await mqtt?.close();
    await localS3?.close();
    // Runs going now stop at their next step and hand their work back; the next start takes it up.
    await workResumed?.catch(() => {});
    await services?.localWorkQueue?.stop();
    await pollerStarting?.catch(() => {});
    // An in-memory store goes with this runner: counting what is left on its stream would only hold up the stop
    // (minutes, after a big bench run).
    await poller?.stop({ drain: !(embedded && !lock) });
    services?.dispose();
    await store.close();
  };
  try {
    const admin = createDocumentClient({ endpoint: dynamoEndpoint });
    const { created } = await ensureJobsTable(admin, tableName);
    admin.destroy();

    // The local S3 before the services: they read job documents from it and presign its URLs.
    if (options.s3Port !== undefined) localS3 = await startLocalS3({ port: options.s3Port, host, dir: options.s3Dir });
    const clock = options.controllableClock ? controllableClock(options.clock ?? systemClock) : undefined;
    // The service's time: the controllable clock's when there is one, so what it prints agrees with what it writes.
    const now = clock?.now ?? options.clock ?? systemClock;
    const certificates = await certificatesMaking;
    // DescribeEndpoint's answers, known once the servers listen.
    let endpoints: EndpointAddresses = {};
    const live = buildServices({
      tableName,
      dynamoEndpoint,
      region: options.region ?? DEFAULT_ARN_CONTEXT.region,
      account: options.account ?? DEFAULT_ARN_CONTEXT.account,
      partition: DEFAULT_ARN_CONTEXT.partition,
      clock: now,
      deviceAuth: !certificates ? 'open' : options.tls?.identity === 'cn' ? 'subject-cn' : 'principal',
      implicitThings: options.implicitThings ?? false,
      connectivitySource: options.mqttPort !== undefined ? 'local-mqtt-broker' : 'none',
      ...(certificates ? { certificateIssuer: devIssuerOf(certificates) } : {}),
      endpoints: () => endpoints,
      ...localS3Settings(localS3),
      ...(options.observeDynamoClient ? { observeDynamoClient: options.observeDynamoClient } : {}),
    });
    services = live;
    // Under --tls, as AWS holds them: the development CA registered, --device-certs attached to their things.
    if (certificates && options.tls?.identity !== 'cn') await registerDevCertificates(live, certificates);
    const sweepNow = () => live.sweepTimers({ hasTimeLeft: () => true });
    // Job and execution events: on the broker's $aws/events topics, printed one per line with logEvents, and to whoever
    // asked (tests).
    const publishEvents = async (events: readonly JobEvent[]) => {
      if (!events.length) return;
      if (options.logEvents) for (const event of events) console.log(eventLogLine(event, now()));
      options.onEvents?.(events);
      await mqtt?.publishEvents(events);
    };
    // Job work a runner before this one left (killed mid-fan-out): this runner owns the data, so no other worker can be
    // alive to hold it. It and the stream poller start side by side while the APIs start listening (the start is that
    // much sooner): neither has to come first, since the poller reads every change from where it stands, and whatever
    // waits on the poller (the catch-ups) waits for it to be up.
    workResumed =
      lock || embedded
        ? live.jobWork.workLeft().then((left) => live.localWorkQueue!.takeOver(left))
        : live.jobWork.resumeStalled();
    workResumed.catch(() => {}); // awaited below, before the service is handed out
    // Stream batches the counts gave up on, for `npm run recount -- --failed-batches`: in the data directory (or in
    // memory).
    const failed = lock ? failedBatchFile(join(options.dataDir!, FAILED_BATCHES_FILE)) : failedBatchList();
    pollerStarting = startStreamPoller({
      endpoint: dynamoEndpoint,
      tableName,
      // The counts, the history and the continuous jobs read the same batches; each is safe to give a batch again.
      onBatch: async (records) => {
        await Promise.all([
          live.aggregateCounts(records),
          live.recordHistory(records),
          live.reactToMemberships(records),
        ]);
        // Devices on MQTT hear of it, and event listeners; a failure is logged, never failing the counts' batch.
        await mqtt
          ?.notify(records)
          .catch((error: unknown) =>
            console.error(
              JSON.stringify({ level: 'error', message: 'MQTT notifications failed', error: String(error) }),
            ),
          );
        await live
          .jobEventsOf(records)
          .then(publishEvents)
          .catch((error: unknown) =>
            console.error(JSON.stringify({ level: 'error', message: 'job events failed', error: String(error) })),
          );
      },
      failures: { policy: JOB_COUNTS_AGGREGATOR.failedBatches, sink: failed },
      // Kept with the data, so a runner killed outright counts every change when it starts again.
      ...(lock ? { checkpoint: checkpointFile(join(options.dataDir!, STREAM_CHECKPOINT_FILE)) } : {}),
      newTable: created,
      ...(options.streamPollIntervalMs ? { intervalMs: options.streamPollIntervalMs } : {}),
    }).then((started) => (poller = started));
    pollerStarting.catch(() => {}); // awaited below
    const counting = pollerStarting;
    const tls = certificates && { ...(await readPair(certificates.server)), ca: await readFile(certificates.caFile) };
    const drainStream = async () => (await counting).drain();
    // Requests wait for the stream while it moves (a loaded machine is waited for), but answer with what is there once
    // it stalls: a store that is gone must not hang every request.
    const settling: StreamSettling = {
      catchUp: async () => {
        const started = await counting.catch(() => undefined);
        if (started) await catchUp(started, CATCH_UP_LIMITS);
      },
      settleWrites: options.settleWrites ?? true,
    };
    const requestLog: RequestLogSink | undefined =
      typeof options.logRequests === 'function'
        ? options.logRequests
        : options.logRequests
          ? (line) => console.log(humanRequestLine(line))
          : undefined;
    const deviceRoutes = await mountRoutes('device', live, settling, requestLog);
    const device = createApiServer(deviceRoutes, { apiId: 'local-device', host, ...(tls ? { tls } : {}) });
    // MQTT beside HTTP, on the same footing: plain TCP, or mutual TLS with the same certificates binding the same
    // things.
    if (options.mqttPort !== undefined) {
      const port = { name: 'mqtt', port: options.mqttPort } as const;
      mqtt = await startMqttBroker(deviceRoutes, {
        port: port.port,
        host,
        clock: now,
        services: live,
        ...(tls ? { tls } : {}),
      }).catch((error: unknown) => {
        throw namedListenError(port, error);
      });
    }
    // A clock advance is the schedule's tick at once: timers that fell due, and rollouts whose next window opened
    // (written before it answers).
    const tick = async () => {
      const [report] = await Promise.all([sweepNow(), live.jobWork.resumeStalled()]);
      await live.localWorkQueue!.idle();
      return report;
    };
    const management = createApiServer(await mountRoutes('management', live, settling, requestLog), {
      apiId: 'local-management',
      host,
      ...(clock ? { localHandler: clockControl(clock, tick) } : {}),
      files: dashboardFile,
    });
    servers.push(device, management);
    // A port taken since npm start checked it is named as the check names it: with its flag and variable.
    const devicePort = await listenOn(device, { name: 'device', port: options.devicePort ?? 0 }, host);
    const managementPort = await listenOn(management, { name: 'management', port: options.managementPort ?? 0 }, host);
    endpoints = { jobs: `${host}:${devicePort}`, ...(mqtt ? { data: new URL(mqtt.url).host } : {}) };
    await Promise.all([pollerStarting, workResumed]);
    if (options.sweepIntervalMs) {
      sweepTimer = setInterval(() => {
        // One sweep at a time; a slow one simply delays the next.
        runningSweep ??= Promise.all([sweepNow(), live.jobWork.resumeStalled()])
          .catch((error: unknown) =>
            console.error(JSON.stringify({ level: 'error', message: 'timeout sweep failed', error: String(error) })),
          )
          .finally(() => (runningSweep = undefined));
      }, options.sweepIntervalMs);
      sweepTimer.unref();
    }
    return {
      deviceEndpoint: `${tls ? 'https' : 'http'}://${host}:${devicePort}`,
      ...(mqtt ? { mqttEndpoint: mqtt.url } : {}),
      ...(localS3 ? { s3Endpoint: localS3.endpoint } : {}),
      managementEndpoint: `http://${host}:${managementPort}`,
      dashboardUrl: `http://${host}:${managementPort}${DASHBOARD_PATH}`,
      dynamoEndpoint,
      ...(embedded?.pid !== undefined ? { dynamoProcessId: embedded.pid } : {}),
      tableName,
      sweepNow,
      countsCaughtUp: drainStream,
      workDone: () => live.localWorkQueue!.idle(),
      ...(clock ? { clock } : {}),
      ...(certificates ? { certificates } : {}),
      stop: teardown,
    };
  } catch (error) {
    await teardown();
    throw error;
  }
}
