import { CreateJobCommand } from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand,
  InvalidStateTransitionException,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** A device that lost the answer to an Update sends it again, with the same expectedVersion. */
let f: WireFixture;

beforeAll(async () => {
  f = await startWireFixture();
  await f.iot.send(
    new CreateJobCommand({ jobId: 'j1', targets: ['t1', 't2', 't3', 't4'].map(thingArn), document: '{}' }),
  );
});

afterAll(() => f?.stop());

const describeT = (thingName: string) =>
  f.device.send(new DescribeJobExecutionCommand({ thingName, jobId: 'j1', includeJobDocument: false }));

describe('replayed updates', () => {
  it.each([
    ['a final status', 't1', { status: 'SUCCEEDED' as const, statusDetails: { result: 'ok' } }],
    ['a progress report', 't2', { status: 'IN_PROGRESS' as const, statusDetails: { progress: '40' } }],
  ])('%s sent twice is applied once, and the retry is told it already was', async (_name, thingName, update) => {
    await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
    const command = () => new UpdateJobExecutionCommand({ thingName, jobId: 'j1', expectedVersion: 2, ...update });
    await f.device.send(command()); // its answer "lost"
    const retry = await f.device.send(command()).then(
      () => undefined,
      (error: unknown) => error as InvalidStateTransitionException,
    );
    expect(retry).toBeInstanceOf(InvalidStateTransitionException);
    expect(retry?.message).toContain('an identical update was already applied');
    expect((await describeT(thingName)).execution).toMatchObject({
      status: update.status,
      statusDetails: update.statusDetails,
      versionNumber: 3,
    });
  });

  it('a progress report with a step timer sent twice is told it already was', async () => {
    await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 't3' }));
    const command = () =>
      new UpdateJobExecutionCommand({
        thingName: 't3',
        jobId: 'j1',
        status: 'IN_PROGRESS',
        expectedVersion: 2,
        stepTimeoutInMinutes: 60,
      });
    await f.device.send(command());
    const retry = await f.device.send(command()).then(
      () => undefined,
      (error: unknown) => error as InvalidStateTransitionException,
    );
    expect(retry?.message).toContain('an identical update was already applied');
  });

  it('is not told an update was applied when the step timer it asks for never took effect', async () => {
    // StartNext (version 2) set a 5-minute step timer; an update at expectedVersion 1 asking for 60 minutes was never
    // applied.
    await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 't4', stepTimeoutInMinutes: 5 }));
    const stale = await f.device
      .send(
        new UpdateJobExecutionCommand({
          thingName: 't4',
          jobId: 'j1',
          status: 'IN_PROGRESS',
          expectedVersion: 1,
          stepTimeoutInMinutes: 60,
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error as InvalidStateTransitionException,
      );
    expect(stale).toBeInstanceOf(InvalidStateTransitionException);
    expect(stale?.message).toContain('VersionMismatch');
    expect(stale?.message).not.toContain('already applied');
    expect((await describeT('t4')).execution?.approximateSecondsBeforeTimedOut).toBeLessThanOrEqual(300);
  });
});
