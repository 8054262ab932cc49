import {
  AddThingToThingGroupCommand,
  AssociateTargetsWithJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeJobExecutionCommand,
  ListJobExecutionsForJobCommand,
  RemoveThingFromThingGroupCommand,
} from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWireFixture, type WireFixture } from '../support/local-service';

/**
 * AssociateTargetsWithJob and a thing that already has an execution of the continuous job: one REMOVED (it left a
 * target group before it started) is queued again as the next executionNumber, as a thing that rejoins a target group
 * is; one that ran the job keeps what it reached. Through @aws-sdk/client-iot on the local runner.
 */
let f: WireFixture;
const groupArn = (name: string) => `arn:aws:iot:us-east-1:123456789012:thinggroup/${name}`;
const add = (thingName: string, thingGroupName: string) =>
  f.iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName }));
const remove = (thingName: string, thingGroupName: string) =>
  f.iot.send(new RemoveThingFromThingGroupCommand({ thingName, thingGroupName }));

/** Each thing's execution as the operator lists them: status and executionNumber. */
async function listed(jobId: string): Promise<Record<string, string>> {
  const page = await f.iot.send(new ListJobExecutionsForJobCommand({ jobId }));
  return Object.fromEntries(
    (page.executionSummaries ?? []).map((e) => [
      e.thingArn!.split('/').pop()!,
      `${e.jobExecutionSummary!.status} #${e.jobExecutionSummary!.executionNumber}`,
    ]),
  );
}

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false });
  // Two trees: `first` is the job's target at creation, `second` is associated later.
  for (const thingGroupName of ['first', 'second']) await f.iot.send(new CreateThingGroupCommand({ thingGroupName }));
  for (const thingName of ['early', 'joiner', 'runner', 'done', 'fresh'])
    await f.iot.send(new CreateThingCommand({ thingName }));
  for (const thingName of ['early', 'runner', 'done']) await add(thingName, 'first');
  for (const thingName of ['early', 'joiner', 'runner', 'done', 'fresh']) await add(thingName, 'second');
});

afterAll(() => f?.stop());

it('queues a REMOVED execution again (the next executionNumber) and leaves an active or terminal one as it is', async () => {
  await f.iot.send(
    new CreateJobCommand({
      jobId: 'rejoin',
      targets: [groupArn('first')],
      targetSelection: 'CONTINUOUS',
      document: '{}',
    }),
  );
  // `early` was on the fan-out's first page; `joiner` got its execution by joining later.
  await add('joiner', 'first');
  expect(await listed('rejoin')).toEqual({
    early: 'QUEUED #1',
    joiner: 'QUEUED #1',
    runner: 'QUEUED #1',
    done: 'QUEUED #1',
  });
  await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'runner' }));
  await f.device.send(new UpdateJobExecutionCommand({ thingName: 'done', jobId: 'rejoin', status: 'SUCCEEDED' }));
  for (const thingName of ['early', 'joiner']) await remove(thingName, 'first');
  expect(await listed('rejoin')).toMatchObject({ early: 'REMOVED #1', joiner: 'REMOVED #1' });

  await f.iot.send(new AssociateTargetsWithJobCommand({ jobId: 'rejoin', targets: [groupArn('second')] }));
  expect(await listed('rejoin')).toEqual({
    early: 'QUEUED #2',
    joiner: 'QUEUED #2',
    runner: 'IN_PROGRESS #1',
    done: 'SUCCEEDED #1',
    fresh: 'QUEUED #1',
  });
  const { execution } = await f.iot.send(new DescribeJobExecutionCommand({ jobId: 'rejoin', thingName: 'early' }));
  expect(execution).toMatchObject({ status: 'QUEUED', executionNumber: 2 });
  // The device sees the job again.
  const next = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'early' }));
  expect(next.execution).toMatchObject({ jobId: 'rejoin', status: 'IN_PROGRESS', executionNumber: 2 });
});
