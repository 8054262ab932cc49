import {
  AddThingToThingGroupCommand,
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteJobCommand,
  DeleteJobExecutionCommand,
  RemoveThingFromThingGroupCommand,
} from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../lambdas/jobs/events/job-events';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { recordMessages } from '../support/mqtt';
import { within } from '../support/within';

/**
 * Job and execution events off the table's stream on DynamoDB Local, for
 * each state change, in order: as the local runner hands them out (the same
 * list the deployed aggregator puts on EventBridge) and on its MQTT broker's
 * $aws/events topics.
 */
let f: WireFixture;
let listener: MqttClient;
const events: JobEvent[] = [];
let heardOnMqtt: { topic: string; payload: Record<string, any> }[];

beforeAll(async () => {
  f = await startWireFixture({ mqttPort: 0, controllableClock: true, onEvents: (batch) => events.push(...batch) });
  listener = await mqtt.connectAsync(f.service.mqttEndpoint!, { clientId: 'operator', reconnectPeriod: 0 });
  await listener.subscribeAsync('$aws/events/#');
  heardOnMqtt = recordMessages(listener, (topic) => topic.startsWith('$aws/events/'));
});

afterAll(async () => {
  await listener?.endAsync();
  await f?.stop();
});

/** The topics of one job's events, in order, once `count` of them have come (or the deadline passed). */
async function topicsOf(jobId: string, count: number): Promise<string[]> {
  const of = () => events.filter((e) => e.payload.jobId === jobId);
  await within(10_000, async () => {
    await f.service.countsCaughtUp();
    return of().length >= count;
  });
  return of().map((e) => e.topic.replace(`/${jobId}/`, '/'));
}

const finish = (thingName: string, jobId: string, status: 'SUCCEEDED' | 'FAILED' | 'REJECTED') =>
  f.device.send(new UpdateJobExecutionCommand({ thingName, jobId, status, statusDetails: { by: 'device' } }));

describe('job and execution events, from the stream (DynamoDB Local)', () => {
  it("each device outcome, then the job's completion with its counts", async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'ev-done',
        targets: ['ev-1', 'ev-2', 'ev-3'].map(thingArn),
        document: '{}',
        description: 'three outcomes',
      }),
    );
    await finish('ev-1', 'ev-done', 'SUCCEEDED');
    await finish('ev-2', 'ev-done', 'FAILED');
    await finish('ev-3', 'ev-done', 'REJECTED');
    expect(await topicsOf('ev-done', 4)).toEqual([
      '$aws/events/jobExecution/succeeded',
      '$aws/events/jobExecution/failed',
      '$aws/events/jobExecution/rejected',
      '$aws/events/job/completed',
    ]);
    const [succeeded, , , completed] = events.filter((e) => e.payload.jobId === 'ev-done');
    expect(succeeded!.payload).toEqual({
      eventType: 'JOB_EXECUTION',
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: expect.any(Number),
      operation: 'succeeded',
      jobId: 'ev-done',
      thingArn: thingArn('ev-1'),
      status: 'SUCCEEDED',
      statusDetails: { by: 'device' },
    });
    expect(completed!.payload).toMatchObject({
      eventType: 'JOB',
      operation: 'completed',
      status: 'COMPLETED',
      targetSelection: 'SNAPSHOT',
      targets: ['ev-1', 'ev-2', 'ev-3'].map(thingArn),
      description: 'three outcomes',
      jobProcessDetails: {
        numberOfSucceededThings: 1,
        numberOfFailedThings: 1,
        numberOfRejectedThings: 1,
        numberOfCanceledThings: 0,
        numberOfRemovedThings: 0,
        numberOfTimedOutThings: 0,
      },
    });
    expect((completed!.payload as { completedAt?: number }).completedAt).toEqual(expect.any(Number));
  });

  it('a timeout under the controllable clock, then the completion', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'ev-slow',
        targets: [thingArn('ev-1')],
        document: '{}',
        timeoutConfig: { inProgressTimeoutInMinutes: 1 },
      }),
    );
    await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'ev-1' }));
    await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
      method: 'POST',
      body: JSON.stringify({ seconds: 61 }),
    });
    expect(await topicsOf('ev-slow', 2)).toEqual(['$aws/events/jobExecution/timed_out', '$aws/events/job/completed']);
  });

  it('a cancel: cancellation in progress, each execution canceled, then canceled', async () => {
    await f.iot.send(
      new CreateJobCommand({ jobId: 'ev-cancel', targets: ['ev-1', 'ev-2'].map(thingArn), document: '{}' }),
    );
    await f.iot.send(new CancelJobCommand({ jobId: 'ev-cancel', comment: 'wrong image' }));
    const topics = await topicsOf('ev-cancel', 4);
    expect(topics).toEqual([
      '$aws/events/job/cancellation_in_progress',
      '$aws/events/jobExecution/canceled',
      '$aws/events/jobExecution/canceled',
      '$aws/events/job/canceled',
    ]);
    const canceled = events.filter((e) => e.payload.jobId === 'ev-cancel').at(-1)!;
    expect(canceled.payload).toMatchObject({
      status: 'CANCELED',
      comment: 'wrong image',
      forceCanceled: false,
      jobProcessDetails: { numberOfCanceledThings: 2 },
    });
  });

  it('a delete: deletion in progress, each execution deleted, then deleted; and DeleteJobExecution on its own', async () => {
    await f.iot.send(
      new CreateJobCommand({ jobId: 'ev-delete', targets: ['ev-1', 'ev-2'].map(thingArn), document: '{}' }),
    );
    await finish('ev-1', 'ev-delete', 'SUCCEEDED');
    await f.iot.send(new DeleteJobExecutionCommand({ jobId: 'ev-delete', thingName: 'ev-1', executionNumber: 1 }));
    expect(await topicsOf('ev-delete', 2)).toEqual([
      '$aws/events/jobExecution/succeeded',
      '$aws/events/jobExecution/deleted',
    ]);
    await f.iot.send(new DeleteJobCommand({ jobId: 'ev-delete', force: true }));
    expect(await topicsOf('ev-delete', 5)).toEqual([
      '$aws/events/jobExecution/succeeded',
      '$aws/events/jobExecution/deleted',
      '$aws/events/job/deletion_in_progress',
      '$aws/events/jobExecution/deleted',
      '$aws/events/job/deleted',
    ]);
    // A deleted execution's event carries the status it had.
    expect(events.filter((e) => e.payload.jobId === 'ev-delete')[3]!.payload).toMatchObject({
      thingArn: thingArn('ev-2'),
      status: 'QUEUED',
    });
  });

  it("a continuous job's queued execution removed when its thing leaves the group", async () => {
    await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'ev-group' }));
    await f.iot.send(new CreateThingCommand({ thingName: 'ev-member' }));
    await f.iot.send(new AddThingToThingGroupCommand({ thingName: 'ev-member', thingGroupName: 'ev-group' }));
    const { thingGroupArn } = await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'ev-group' }));
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'ev-continuous',
        targets: [thingGroupArn!],
        targetSelection: 'CONTINUOUS',
        document: '{}',
      }),
    );
    await f.service.workDone();
    await f.iot.send(new RemoveThingFromThingGroupCommand({ thingName: 'ev-member', thingGroupName: 'ev-group' }));
    expect(await topicsOf('ev-continuous', 1)).toEqual(['$aws/events/jobExecution/removed']);
  });

  it('publishes the same events on the MQTT $aws/events topics, in the same order', async () => {
    await within(10_000, () => heardOnMqtt.length >= events.length);
    expect(heardOnMqtt.map((m) => m.topic)).toEqual(events.map((e) => e.topic));
    expect(heardOnMqtt.map((m) => m.payload)).toEqual(events.map((e) => e.payload));
  });
});
