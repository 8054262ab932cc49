import type { PutEventsCommand, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import {
  EXECUTION_EVENT_DETAIL_TYPE,
  JOB_EVENT_DETAIL_TYPE,
  type JobEvent,
} from '../../lambdas/jobs/events/job-events';
import { EventBridgeJobEvents, JOB_EVENTS_SOURCE, putEventsEntries } from '../../lambdas/queue/eventbridge-job-events';

const ARNS = { partition: 'aws', region: 'eu-west-1', account: '111122223333' };
const executionEvent = (n: number): JobEvent => ({
  detailType: EXECUTION_EVENT_DETAIL_TYPE,
  topic: '$aws/events/jobExecution/j1/succeeded',
  operation: 'succeeded',
  payload: {
    eventType: 'JOB_EXECUTION',
    eventId: `e-${n}`,
    timestamp: 1_800_000_000 + n,
    operation: 'succeeded',
    jobId: 'j1',
    thingArn: `arn:aws:iot:eu-west-1:111122223333:thing/t${n}`,
    status: 'SUCCEEDED',
  },
});
const jobEvent: JobEvent = {
  detailType: JOB_EVENT_DETAIL_TYPE,
  topic: '$aws/events/job/j1/completed',
  operation: 'completed',
  incarnation: 'i1',
  payload: {
    eventType: 'JOB',
    eventId: 'e-job',
    timestamp: 1_800_000_100,
    operation: 'completed',
    jobId: 'j1',
    status: 'COMPLETED',
    targetSelection: 'SNAPSHOT',
    targets: [],
    createdAt: 1,
    lastUpdatedAt: 2,
  },
};

/** EventBridge as the sink sees it: each call's entries, answered by `answer` (AWS itself is the only thing mocked). */
function fakeEventBridge(answer: (entries: unknown[], call: number) => PutEventsResultEntry[]) {
  const calls: { Entries: { Detail: string }[] }[] = [];
  return {
    calls,
    client: {
      send: (command: PutEventsCommand) => {
        const input = command.input as { Entries: { Detail: string }[] };
        calls.push(input);
        return Promise.resolve({ Entries: answer(input.Entries, calls.length) });
      },
      destroy: () => undefined,
    },
  };
}

describe('putEventsEntries', () => {
  it('puts each event on the bus with its detail-type, the source, its time, and the job (and thing) as resources', () => {
    const [execution, job] = putEventsEntries([executionEvent(1), jobEvent], 'jobs-bus', ARNS);
    expect(execution).toEqual({
      EventBusName: 'jobs-bus',
      Source: JOB_EVENTS_SOURCE,
      DetailType: 'IoT Jobs Job Execution Event',
      Detail: JSON.stringify(executionEvent(1).payload),
      Time: new Date(1_800_000_001_000),
      Resources: ['arn:aws:iot:eu-west-1:111122223333:job/j1', 'arn:aws:iot:eu-west-1:111122223333:thing/t1'],
    });
    expect(job).toMatchObject({
      DetailType: 'IoT Jobs Job Event',
      Resources: ['arn:aws:iot:eu-west-1:111122223333:job/j1'],
    });
  });
});

describe('EventBridgeJobEvents', () => {
  it('puts at most 10 entries a call, in order', async () => {
    const bus = fakeEventBridge((entries) => entries.map((_, i) => ({ EventId: `id-${i}` })));
    await new EventBridgeJobEvents('jobs-bus', ARNS, bus.client as never).publish(
      Array.from({ length: 23 }, (_, i) => executionEvent(i)),
    );
    expect(bus.calls.map((c) => c.Entries.length)).toEqual([10, 10, 3]);
    expect(bus.calls.flatMap((c) => c.Entries.map((e) => JSON.parse(e.Detail).eventId))).toEqual(
      Array.from({ length: 23 }, (_, i) => `e-${i}`),
    );
  });

  it('puts again only the entries EventBridge refused', async () => {
    const bus = fakeEventBridge((entries, call) =>
      entries.map((_, i) =>
        call === 1 && i === 1 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: 'ok' },
      ),
    );
    await new EventBridgeJobEvents('jobs-bus', ARNS, bus.client as never).publish([
      executionEvent(0),
      executionEvent(1),
      executionEvent(2),
    ]);
    expect(bus.calls.map((c) => c.Entries.map((e) => JSON.parse(e.Detail).eventId))).toEqual([
      ['e-0', 'e-1', 'e-2'],
      ['e-1'],
    ]);
  });

  it('fails, naming the error, when an entry keeps being refused (the stream batch then comes again)', async () => {
    const bus = fakeEventBridge((entries) =>
      entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' })),
    );
    await expect(
      new EventBridgeJobEvents('jobs-bus', ARNS, bus.client as never).publish([executionEvent(0)]),
    ).rejects.toThrow('EventBridge refused 1 job events (InternalFailure: boom)');
    expect(bus.calls).toHaveLength(4);
  });
});
