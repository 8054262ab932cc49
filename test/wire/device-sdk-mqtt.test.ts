/**
 * The official AWS IoT Device SDK v2 for JavaScript (aws-iot-device-sdk-v2, on
 * aws-crt) against the local runner's MQTT broker, over plain TCP and over
 * mutual TLS (the device certificate's CN is the client ID): its v1 jobs
 * client (IotJobsClient) on an MQTT 3.1.1 connection and its request-response
 * jobs client (IotJobsClientv2) on an MQTT 5 client each hear a new job on
 * notify-next, start it (start-next), describe it as $next, have an update
 * with a stale expectedVersion rejected (VersionMismatch, as each SDK client
 * surfaces it) and one with the right version accepted, and are refused a
 * subscription to another thing's topics (as each SDK client reports it).
 */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { mqtt_request_response as crtRequestResponse } from 'aws-crt';
import { io, iotjobs, mqtt, mqtt_request_response, mqtt5 } from 'aws-iot-device-sdk-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersTo } from '../support/device-sdk-answers';
import { Inbox, settledWithin as within } from '../support/inbox';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

const TRANSPORTS = [
  { name: 'plain TCP', prefix: 'sdk-tcp', tls: false },
  { name: 'mutual TLS', prefix: 'sdk-tls', tls: true },
] as const;

for (const { name, prefix, tls } of TRANSPORTS)
  describe(`the AWS IoT Device SDK v2 over ${name}`, () => {
    const things = {
      v1: `${prefix}-v1`,
      v1Snoop: `${prefix}-v1-snoop`,
      v2: `${prefix}-v2`,
      v2Snoop: `${prefix}-v2-snoop`,
    };
    let f: WireFixture;
    /** Closers of everything opened, run last-opened first. */
    const closers: (() => Promise<void> | void)[] = [];

    beforeAll(async () => {
      f = await startWireFixture({
        mqttPort: 0,
        ...(tls
          ? { tls: { dir: mkdtempSync(join(tmpdir(), 'jobs-device-sdk-')), deviceCertificates: Object.values(things) } }
          : {}),
      });
    }, 60_000);

    afterAll(async () => {
      for (const close of closers.reverse()) await close();
      await f?.stop();
    });

    const endpoint = () => {
      const url = new URL(f.service.mqttEndpoint!);
      return { host: url.hostname, port: Number(url.port) };
    };

    /** The thing's certificate and key, trusting the runner's development CA. */
    function tlsContext(thing: string): io.ClientTlsContext {
      const pair = f.service.certificates!.devices[thing]!;
      const options = io.TlsContextOptions.create_client_with_mtls_from_path(pair.certFile, pair.keyFile);
      options.override_default_trust_store_from_path(undefined, f.service.certificates!.caFile);
      return new io.ClientTlsContext(options);
    }

    const createJob = (jobId: string, thing: string, document: string) =>
      f.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document }));

    describe('IotJobsClient (v1) over an MQTT 3.1.1 connection', () => {
      const QOS = mqtt.QoS.AtLeastOnce;
      const thingName = things.v1;
      const jobId = `${prefix}-ota-v1`;
      const document = '{"op":"v1"}';
      let jobs: iotjobs.IotJobsClient;

      async function connect(thing: string): Promise<iotjobs.IotJobsClient> {
        const { host, port } = endpoint();
        const connection = new mqtt.MqttClient().new_connection({
          client_id: thing,
          host_name: host,
          port,
          socket_options: new io.SocketOptions(),
          clean_session: true,
          keep_alive: 30,
          ...(tls ? { tls_ctx: tlsContext(thing) } : {}),
        });
        closers.push(() => within(connection.disconnect(), `disconnecting ${thing}`).catch(() => undefined));
        await within(connection.connect(), `connecting ${thing}`);
        return new iotjobs.IotJobsClient(connection);
      }

      it('hears a job created for the thing on notify-next, with its ID and document', async () => {
        jobs = await connect(thingName);
        const nextChanged = new Inbox<{
          error?: iotjobs.IotJobsError;
          event?: iotjobs.model.NextJobExecutionChangedEvent;
        }>();
        const subscribed = await within(
          jobs.subscribeToNextJobExecutionChangedEvents({ thingName }, QOS, (error, event) =>
            nextChanged.push({ error, event }),
          ),
          'subscribing to notify-next',
        );
        expect(subscribed).toMatchObject({
          topic: `$aws/things/${thingName}/jobs/notify-next`,
          qos: QOS,
          error_code: 0,
        });

        await createJob(jobId, thingName, document);
        const { error, event } = await nextChanged.next('notify-next');
        expect(error).toBeUndefined();
        // The document arrives embedded as JSON, as the SDK's model types it (an object).
        expect(event).toMatchObject({
          execution: { jobId, thingName, status: 'QUEUED', versionNumber: 1, jobDocument: JSON.parse(document) },
        });
      });

      it('starts it (start-next), describes it as $next, and updates it: a stale expectedVersion is rejected with VersionMismatch, the right one accepted', async () => {
        const startNext = await answersTo<iotjobs.model.StartNextJobExecutionResponse>(
          (handler) => jobs.subscribeToStartNextPendingJobExecutionAccepted({ thingName }, QOS, handler),
          (handler) => jobs.subscribeToStartNextPendingJobExecutionRejected({ thingName }, QOS, handler),
        );
        await jobs.publishStartNextPendingJobExecution(
          { thingName, clientToken: 'v1-start', statusDetails: { step: 'download' } },
          QOS,
        );
        expect(await startNext.next('start-next')).toEqual({
          accepted: true,
          error: undefined,
          response: expect.objectContaining({
            clientToken: 'v1-start',
            execution: expect.objectContaining({
              jobId,
              status: 'IN_PROGRESS',
              versionNumber: 2,
              statusDetails: { step: 'download' },
            }),
          }),
        });

        const describeNext = await answersTo<iotjobs.model.DescribeJobExecutionResponse>(
          (handler) => jobs.subscribeToDescribeJobExecutionAccepted({ thingName, jobId: '$next' }, QOS, handler),
          (handler) => jobs.subscribeToDescribeJobExecutionRejected({ thingName, jobId: '$next' }, QOS, handler),
        );
        await jobs.publishDescribeJobExecution(
          { thingName, jobId: '$next', clientToken: 'v1-next', includeJobDocument: true },
          QOS,
        );
        expect(await describeNext.next('$next/get')).toMatchObject({
          accepted: true,
          response: {
            clientToken: 'v1-next',
            execution: { jobId, status: 'IN_PROGRESS', versionNumber: 2, jobDocument: JSON.parse(document) },
          },
        });

        const update = await answersTo<iotjobs.model.UpdateJobExecutionResponse>(
          (handler) => jobs.subscribeToUpdateJobExecutionAccepted({ thingName, jobId }, QOS, handler),
          (handler) => jobs.subscribeToUpdateJobExecutionRejected({ thingName, jobId }, QOS, handler),
        );
        await jobs.publishUpdateJobExecution(
          { thingName, jobId, status: iotjobs.model.JobStatus.SUCCEEDED, expectedVersion: 1, clientToken: 'v1-stale' },
          QOS,
        );
        const stale = await update.next('update (stale)');
        expect(stale).toMatchObject({
          accepted: false,
          response: {
            code: iotjobs.model.RejectedErrorCode.VERSION_MISMATCH,
            clientToken: 'v1-stale',
            executionState: { status: 'IN_PROGRESS', versionNumber: 2 },
          },
        });
        expect(stale.error).toBeUndefined();

        await jobs.publishUpdateJobExecution(
          {
            thingName,
            jobId,
            status: iotjobs.model.JobStatus.SUCCEEDED,
            expectedVersion: 2,
            includeJobExecutionState: true,
            clientToken: 'v1-done',
          },
          QOS,
        );
        expect(await update.next('update')).toMatchObject({
          accepted: true,
          response: { clientToken: 'v1-done', executionState: { status: 'SUCCEEDED', versionNumber: 3 } },
        });
      });

      it("is refused a subscription to another thing's topics: the subscribe resolves, its granted QoS the failure code 128", async () => {
        const snoop = await connect(things.v1Snoop);
        // The broker's SUBACK carries the failure return code; aws-crt's 3.1.1 client does not reject for it, it hands
        // it back as the QoS.
        const refused = await within(
          snoop.subscribeToNextJobExecutionChangedEvents({ thingName }, QOS, () => undefined),
          'subscribing to another thing',
        );
        expect(refused).toEqual({
          packet_id: expect.any(Number),
          topic: `$aws/things/${thingName}/jobs/notify-next`,
          qos: 128,
          error_code: 0,
        });
        // Still connected, and still served on its own topics.
        const own = await within(
          snoop.subscribeToNextJobExecutionChangedEvents({ thingName: things.v1Snoop }, QOS, () => undefined),
          'own subscription',
        );
        expect(own).toMatchObject({ qos: QOS, error_code: 0 });
      });
    });

    describe('IotJobsClientv2 (request-response) over an MQTT 5 client', () => {
      const thingName = things.v2;
      const jobId = `${prefix}-ota-v2`;
      const document = '{"op":"v2"}';
      let jobs: iotjobs.IotJobsClientv2;

      async function connect(thing: string): Promise<{ client: mqtt5.Mqtt5Client; jobs: iotjobs.IotJobsClientv2 }> {
        const { host, port } = endpoint();
        const client = new mqtt5.Mqtt5Client({
          hostName: host,
          port,
          connectProperties: { clientId: thing, keepAliveIntervalSeconds: 30 },
          sessionBehavior: mqtt5.ClientSessionBehavior.Clean,
          ...(tls ? { tlsCtx: tlsContext(thing) } : {}),
        });
        const connected = new Promise<void>((resolve, reject) => {
          client.once('connectionSuccess', () => resolve());
          client.once('connectionFailure', (event) => reject(event.error));
        });
        closers.push(async () => {
          const stopped = once(client, 'stopped');
          client.stop();
          await within(stopped, `stopping ${thing}`).catch(() => undefined);
          client.close();
        });
        client.start();
        await within(connected, `connecting ${thing}`);
        const jobs = iotjobs.IotJobsClientv2.newFromMqtt5(client, {
          maxRequestResponseSubscriptions: 4,
          maxStreamingSubscriptions: 2,
          operationTimeoutInSeconds: 10,
        });
        closers.push(() => jobs.close());
        return { client, jobs };
      }

      /** A next-job-execution-changed stream, open, with its subscription status events and its events. */
      function nextJobStream(client: iotjobs.IotJobsClientv2, thing: string) {
        const stream = client.createNextJobExecutionChangedStream({ thingName: thing });
        const statuses = new Inbox<crtRequestResponse.SubscriptionStatusEvent>();
        const events = new Inbox<iotjobs.model.NextJobExecutionChangedEvent>();
        stream.on('subscriptionStatus', statuses.push);
        stream.on('incomingPublish', (event) => events.push(event.message));
        stream.open();
        closers.push(() => stream.close());
        return { statuses, events };
      }

      it('hears a job created for the thing on its next-job-execution-changed stream, with its ID and document', async () => {
        ({ jobs } = await connect(thingName));
        const { statuses, events } = nextJobStream(jobs, thingName);
        expect(await statuses.next('stream subscription')).toEqual({
          type: crtRequestResponse.SubscriptionStatusEventType.SubscriptionEstablished,
        });

        await createJob(jobId, thingName, document);
        expect(await events.next('notify-next')).toMatchObject({
          execution: { jobId, thingName, status: 'QUEUED', versionNumber: 1, jobDocument: JSON.parse(document) },
        });
      });

      it('starts it (start-next), describes it as $next, and updates it: a stale expectedVersion is rejected with VersionMismatch, the right one accepted', async () => {
        const started = await jobs.startNextPendingJobExecution({ thingName, statusDetails: { step: 'download' } });
        expect(started).toMatchObject({
          execution: { jobId, status: 'IN_PROGRESS', versionNumber: 2, statusDetails: { step: 'download' } },
        });
        // The client correlates on the clientToken it sets itself, which the answer echoes.
        expect(started.clientToken).toEqual(expect.any(String));

        const next = await jobs.describeJobExecution({ thingName, jobId: '$next', includeJobDocument: true });
        expect(next).toMatchObject({
          execution: { jobId, status: 'IN_PROGRESS', versionNumber: 2, jobDocument: JSON.parse(document) },
        });

        const stale = await jobs
          .updateJobExecution({ thingName, jobId, status: iotjobs.model.JobStatus.SUCCEEDED, expectedVersion: 1 })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(stale).toBeInstanceOf(mqtt_request_response.ServiceError);
        expect(stale).toMatchObject({
          message: 'Request failed',
          modeledError: {
            code: iotjobs.model.RejectedErrorCode.VERSION_MISMATCH,
            executionState: { status: 'IN_PROGRESS', versionNumber: 2 },
          },
        });

        const done = await jobs.updateJobExecution({
          thingName,
          jobId,
          status: iotjobs.model.JobStatus.SUCCEEDED,
          expectedVersion: 2,
          includeJobExecutionState: true,
        });
        expect(done).toMatchObject({ executionState: { status: 'SUCCEEDED', versionNumber: 3 } });
      });

      it("is refused a subscription to another thing's topics: NOT_AUTHORIZED (135) in the SUBACK, a halted stream, a failed request", async () => {
        const snoop = await connect(things.v2Snoop);
        const other = `$aws/things/${thingName}/jobs`;

        // The MQTT 5 client itself resolves the subscribe with the SUBACK, whose reason code says why.
        const suback = await within(
          snoop.client.subscribe({ subscriptions: [{ topicFilter: `${other}/notify`, qos: mqtt5.QoS.AtLeastOnce }] }),
          'subscribing to another thing',
        );
        expect(suback).toMatchObject({
          type: mqtt5.PacketType.Suback,
          reasonCodes: [mqtt5.SubackReasonCode.NotAuthorized],
        });

        // The jobs client's stream halts (its terminal state: aws-crt gives up subscribing, as for a denying IoT Core
        // policy) with a subscribe failure.
        const { statuses } = nextJobStream(snoop.jobs, thingName);
        const halted = await statuses.next('refused stream subscription');
        expect(halted).toMatchObject({
          type: crtRequestResponse.SubscriptionStatusEventType.SubscriptionHalted,
          error: { error_name: 'AWS_ERROR_MQTT_REQUEST_RESPONSE_SUBSCRIBE_FAILURE' },
        });

        // A request on another thing's topics fails before it is published (its response subscription is refused), so
        // the connection stays.
        const failed = await snoop.jobs.startNextPendingJobExecution({ thingName }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failed).toBeInstanceOf(mqtt_request_response.ServiceError);
        expect(failed).toMatchObject({
          message: 'CrtError',
          internalError: { error: expect.stringContaining('AWS_ERROR_MQTT_REQUEST_RESPONSE_SUBSCRIBE_FAILURE') },
        });
        expect((failed as mqtt_request_response.ServiceError).modeledError).toBeUndefined();
        expect(await snoop.jobs.getPendingJobExecutions({ thingName: things.v2Snoop })).toMatchObject({
          inProgressJobs: [],
          queuedJobs: [],
        });
      });
    });
  });
