import {
  AddThingToThingGroupCommand,
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  InvalidRequestException,
} from '@aws-sdk/client-iot';
import {
  GetPendingJobExecutionsCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * On the local runner, what the table's stream derives from a write (COMPLETED, a continuous job's execution for a
 * thing that joined its group) is there for the very next request, whatever route it takes: a test written against
 * the runner needs no sleep and gets the same answer every run. Each case runs several times: it used to depend on
 * whether the stream poller happened to run in between.
 */
const ROUNDS = 5;
let f: WireFixture;

beforeAll(async () => {
  f = await startWireFixture({ implicitThings: false });
  await f.iot.send(new CreateThingGroupCommand({ thingGroupName: 'joiners' }));
});

afterAll(() => f?.stop());

/** A job of one thing whose device has just reported SUCCEEDED: the job is COMPLETED by the time the device hears. */
async function completedJob(jobId: string): Promise<void> {
  await f.iot.send(new CreateThingCommand({ thingName: jobId }));
  await f.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(jobId)], document: '{}' }));
  await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: jobId }));
  await f.device.send(new UpdateJobExecutionCommand({ thingName: jobId, jobId, status: 'SUCCEEDED' }));
}

describe('the next request after a write, on the local runner', () => {
  it('CancelJob right after the last execution succeeded finds the job COMPLETED, and leaves it so', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const jobId = `cancel-after-${round}`;
      await completedJob(jobId);
      await expect(f.iot.send(new CancelJobCommand({ jobId }))).rejects.toBeInstanceOf(InvalidRequestException);
      expect((await f.iot.send(new DescribeJobCommand({ jobId }))).job?.status).toBe('COMPLETED');
    }
  });

  it('DeleteJob without force right after the last execution succeeded deletes the job', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const jobId = `delete-after-${round}`;
      await completedJob(jobId);
      await f.iot.send(new DeleteJobCommand({ jobId }));
    }
  });

  it("a thing that joins a continuous job's group finds the job pending at once, and can run it", async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'joiners-job',
        targets: [`arn:aws:iot:us-east-1:123456789012:thinggroup/joiners`],
        targetSelection: 'CONTINUOUS',
        document: '{}',
      }),
    );
    for (let round = 0; round < ROUNDS; round++) {
      const thingName = `joiner-${round}`;
      await f.iot.send(new CreateThingCommand({ thingName }));
      await f.iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName: 'joiners' }));
      const pending = await f.device.send(new GetPendingJobExecutionsCommand({ thingName }));
      expect(pending.queuedJobs?.map((j) => j.jobId)).toEqual(['joiners-job']);
      await f.device.send(new UpdateJobExecutionCommand({ thingName, jobId: 'joiners-job', status: 'IN_PROGRESS' }));
    }
  });
});
