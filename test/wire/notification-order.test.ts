import { CancelJobCommand, CreateJobCommand, DeleteJobCommand } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { mqttRequest, recordMessages } from '../support/mqtt';

/**
 * Exactly the notifications AWS's developer guide ("Jobs notifications")
 * documents, in order, for one thing, from every cause: a job's fan-out, a
 * device's start, progress and outcome, a timeout under the controllable
 * clock, a rollout's release, a cancel and a delete.
 * - notify: an execution joins or leaves the pending list, or moves between QUEUED and IN_PROGRESS.
 * - notify-next: the first pending execution is another one (or none).
 */
let f: WireFixture;
let device: MqttClient;
const THING = 'order-1';
const base = `$aws/things/${THING}/jobs`;
let seen: { topic: string; payload: Record<string, any> }[];

beforeAll(async () => {
  f = await startWireFixture({ mqttPort: 0, controllableClock: true });
  device = await mqtt.connectAsync(f.service.mqttEndpoint!, {
    clientId: THING,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  await device.subscribeAsync([`${base}/notify`, `${base}/notify-next`]);
  seen = recordMessages(device, (topic) => topic === `${base}/notify` || topic === `${base}/notify-next`);
});

afterAll(async () => {
  await device?.endAsync();
  await f?.stop();
});

/**
 * What the thing heard since the last call, once every change so far has been
 * through the stream (the poller drained) and the broker (a request answered
 * after its notifications, on the same connection), shortened to what they say.
 */
async function heard(): Promise<string[]> {
  await f.service.countsCaughtUp();
  await mqttRequest(device, `${base}/get`, {});
  const said = seen.splice(0).map(({ topic, payload }) => {
    if (topic.endsWith('/notify-next'))
      return `next ${payload.execution ? `${payload.execution.jobId} ${payload.execution.status}` : 'none'}`;
    const list = (status: string) => (payload.jobs[status] ?? []).map((job: { jobId: string }) => job.jobId).join(',');
    return `list in-progress [${list('IN_PROGRESS')}] queued [${list('QUEUED')}]`;
  });
  return said;
}

async function advance(seconds: number): Promise<void> {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
}

const createJob = (jobId: string, extra: Record<string, unknown> = {}) =>
  f.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(THING)], document: `{"job":"${jobId}"}`, ...extra }));

describe('notifications for one thing, cause by cause (MQTT)', () => {
  it("a job's fan-out queues the first execution: the list and the next", async () => {
    await createJob('a');
    expect(await heard()).toEqual(['list in-progress [] queued [a]', 'next a QUEUED']);
  });

  it('a second job joins the list, and the first stays next: the list only', async () => {
    await createJob('b');
    expect(await heard()).toEqual(['list in-progress [] queued [a,b]']);
  });

  it('the device starts the first: the list only (the first is still the first)', async () => {
    const started = await mqttRequest(device, `${base}/start-next`, { stepTimeoutInMinutes: 5 });
    expect(started.body.execution).toMatchObject({ jobId: 'a', status: 'IN_PROGRESS' });
    expect(await heard()).toEqual(['list in-progress [a] queued [b]']);
  });

  it('a progress update: nothing', async () => {
    const updated = await mqttRequest(device, `${base}/a/update`, {
      status: 'IN_PROGRESS',
      statusDetails: { step: 'download' },
      expectedVersion: 2,
    });
    expect(updated.accepted).toBe(true);
    expect(await heard()).toEqual([]);
  });

  it('the step timer runs out (clock moved): the list, and the next job', async () => {
    await advance(5 * 60);
    expect(await heard()).toEqual(['list in-progress [] queued [b]', 'next b QUEUED']);
  });

  it('a cancel of the only pending job: an empty list, and nothing next', async () => {
    await f.iot.send(new CancelJobCommand({ jobId: 'b' }));
    await f.service.workDone();
    expect(await heard()).toEqual(['list in-progress [] queued []', 'next none']);
  });

  it('a rollout reaches the thing only when its window opens: nothing before, the list and the next then', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'c',
        targets: [thingArn('order-0'), thingArn(THING)],
        document: '{}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
      }),
    );
    expect(await heard()).toEqual([]);
    await advance(60);
    expect(await heard()).toEqual(['list in-progress [] queued [c]', 'next c QUEUED']);
  });

  it("the device's own outcome (SUCCEEDED from QUEUED): an empty list, and nothing next", async () => {
    expect((await mqttRequest(device, `${base}/c/update`, { status: 'SUCCEEDED' })).accepted).toBe(true);
    expect(await heard()).toEqual(['list in-progress [] queued []', 'next none']);
  });

  it('a job deleted with its queued execution: the list and the next, then empty again', async () => {
    await createJob('d');
    expect(await heard()).toEqual(['list in-progress [] queued [d]', 'next d QUEUED']);
    await f.iot.send(new DeleteJobCommand({ jobId: 'd', force: true }));
    await f.service.workDone();
    expect(await heard()).toEqual(['list in-progress [] queued []', 'next none']);
  });
});
