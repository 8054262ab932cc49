import {
  CreateJobCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  InvalidRequestException,
  ListJobExecutionsForThingCommand,
} from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand as DeviceDescribeCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * Retries (jobExecutionsRetryConfig) through @aws-sdk/client-iot, the device SDK and the AWS CLI, on the local runner
 * with its controllable clock.
 */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);

beforeAll(async () => {
  f = await startWireFixture({ controllableClock: true });
});

afterAll(() => f?.stop());

async function advance(seconds: number): Promise<void> {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
}

/**
 * The thing's execution of the job as the operator lists it (the management read catches up with the stream first: a
 * retry due is written).
 */
async function listed(thingName: string, jobId: string) {
  const { executionSummaries } = await f.iot.send(new ListJobExecutionsForThingCommand({ thingName, jobId }));
  return executionSummaries![0]!.jobExecutionSummary!;
}

/** The device runs its next job to `status`. */
async function runTo(thingName: string, jobId: string, status: 'FAILED' | 'SUCCEEDED') {
  const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
  expect(started.execution?.jobId).toBe(jobId);
  await f.device.send(
    new UpdateJobExecutionCommand({ thingName, jobId, status, expectedVersion: started.execution!.versionNumber }),
  );
  return started.execution!;
}

describe('jobExecutionsRetryConfig with @aws-sdk/client-iot and the device SDK', () => {
  it('follows a FAILED execution with a new QUEUED one under the next executionNumber, until the retries are used up', async () => {
    const retry = { criteriaList: [{ failureType: 'FAILED' as const, numberOfRetries: 2 }] };
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'flaky',
        targets: [thingArn('r-1')],
        document: '{"op":"flash"}',
        jobExecutionsRetryConfig: retry,
      }),
    );
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'flaky' }))).job!.jobExecutionsRetryConfig).toEqual(retry);
    expect(await listed('r-1', 'flaky')).toMatchObject({ status: 'QUEUED', executionNumber: 1, retryAttempt: 0 });

    const first = await runTo('r-1', 'flaky', 'FAILED');
    expect(first.executionNumber).toBe(1);
    expect(await listed('r-1', 'flaky')).toMatchObject({ status: 'QUEUED', executionNumber: 2, retryAttempt: 1 });
    // The device sees the new attempt as a new execution: version 1, nothing of the last attempt's details.
    const next = await f.device.send(new DeviceDescribeCommand({ thingName: 'r-1', jobId: '$next' }));
    expect(next.execution).toMatchObject({ jobId: 'flaky', status: 'QUEUED', executionNumber: 2, versionNumber: 1 });
    expect(next.execution!.statusDetails).toBeUndefined();
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'flaky' }))).job).toMatchObject({
      status: 'IN_PROGRESS',
      jobProcessDetails: { numberOfQueuedThings: 1, numberOfFailedThings: 0 },
    });

    await runTo('r-1', 'flaky', 'FAILED');
    expect(await listed('r-1', 'flaky')).toMatchObject({ status: 'QUEUED', executionNumber: 3, retryAttempt: 2 });
    await runTo('r-1', 'flaky', 'FAILED');
    // Out of retries: it stays FAILED, and the job, with nothing left pending, completes.
    expect(await listed('r-1', 'flaky')).toMatchObject({ status: 'FAILED', executionNumber: 3, retryAttempt: 2 });
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'flaky' }));
    expect(job).toMatchObject({
      status: 'COMPLETED',
      jobProcessDetails: { numberOfFailedThings: 1, numberOfQueuedThings: 0 },
    });
    const described = await f.iot.send(new DescribeJobExecutionCommand({ jobId: 'flaky', thingName: 'r-1' }));
    expect(described.execution).toMatchObject({ status: 'FAILED', executionNumber: 3 });
  });

  it('retries a timed-out execution under TIMED_OUT criteria, and leaves a FAILED one of the same job alone', async () => {
    const retry = { criteriaList: [{ failureType: 'TIMED_OUT' as const, numberOfRetries: 1 }] };
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'slow',
        targets: [thingArn('r-2'), thingArn('r-3')],
        document: '{}',
        timeoutConfig: { inProgressTimeoutInMinutes: 1 },
        jobExecutionsRetryConfig: retry,
      }),
    );
    await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'r-2' }));
    await runTo('r-3', 'slow', 'FAILED');
    await advance(120);
    expect(await listed('r-2', 'slow')).toMatchObject({ status: 'QUEUED', executionNumber: 2, retryAttempt: 1 });
    expect(await listed('r-3', 'slow')).toMatchObject({ status: 'FAILED', executionNumber: 1, retryAttempt: 0 });
    await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'r-2' }));
    await advance(120);
    expect(await listed('r-2', 'slow')).toMatchObject({ status: 'TIMED_OUT', executionNumber: 2 });
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'slow' }))).job!.status).toBe('COMPLETED');
  });

  it('counts a thing retried and failed again as one failed thing for the abort criterion', async () => {
    const abortConfig = {
      criteriaList: [
        {
          failureType: 'FAILED' as const,
          action: 'CANCEL' as const,
          thresholdPercentage: 50,
          minNumberOfExecutedThings: 2,
        },
      ],
    };
    const retry = { criteriaList: [{ failureType: 'ALL' as const, numberOfRetries: 1 }] };
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'guarded',
        targets: [thingArn('r-4'), thingArn('r-5'), thingArn('r-6')],
        document: '{}',
        abortConfig,
        jobExecutionsRetryConfig: retry,
      }),
    );
    await runTo('r-4', 'guarded', 'FAILED');
    await runTo('r-5', 'guarded', 'SUCCEEDED');
    // r-4's failure is being retried: one thing executed, none failed for good.
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'guarded' }))).job!.status).toBe('IN_PROGRESS');
    await runTo('r-4', 'guarded', 'FAILED');
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'guarded' }));
    expect(job).toMatchObject({
      status: 'CANCELED',
      reasonCode: 'ABORTED_FAILED',
      comment: expect.stringContaining('1 of 2 executed things FAILED (50%)'),
    });
  });

  it.each([
    [
      'more than 10 retries',
      { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 11 }] },
      'jobExecutionsRetryConfig.criteriaList[0].numberOfRetries: must be between 0 and 10',
    ],
    [
      'three criteria',
      {
        criteriaList: [
          { failureType: 'FAILED', numberOfRetries: 1 },
          { failureType: 'TIMED_OUT', numberOfRetries: 1 },
          { failureType: 'ALL', numberOfRetries: 1 },
        ],
      },
      'jobExecutionsRetryConfig.criteriaList: must be a list of one or two criteria',
    ],
    [
      'ALL beside another criterion',
      {
        criteriaList: [
          { failureType: 'ALL', numberOfRetries: 1 },
          { failureType: 'FAILED', numberOfRetries: 1 },
        ],
      },
      'two criteria must be one FAILED and one TIMED_OUT',
    ],
    [
      'a failure type that is not retried',
      { criteriaList: [{ failureType: 'REJECTED', numberOfRetries: 1 }] },
      'jobExecutionsRetryConfig.criteriaList[0].failureType: must be one of FAILED, TIMED_OUT, ALL',
    ],
  ])('refuses %s with InvalidRequestException naming the field', async (_, jobExecutionsRetryConfig, message) => {
    const attempt = f.iot.send(
      new CreateJobCommand({
        jobId: 'bad-retry',
        targets: [thingArn('x-1')],
        document: '{}',
        jobExecutionsRetryConfig: jobExecutionsRetryConfig as never,
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('jobExecutionsRetryConfig with the AWS CLI', () => {
  it("creates a job from --job-executions-retry-config, shows it and each execution's retryAttempt, and refuses a bad count", async () => {
    const config = 'criteriaList=[{failureType=FAILED,numberOfRetries=3},{failureType=TIMED_OUT,numberOfRetries=1}]';
    expect(
      (
        await cli(
          'create-job',
          '--job-id',
          'cli-retry',
          '--targets',
          thingArn('r-7'),
          '--document',
          '{}',
          '--job-executions-retry-config',
          config,
        )
      ).code,
    ).toBe(0);
    expect((await cli('describe-job', '--job-id', 'cli-retry')).json.job.jobExecutionsRetryConfig).toEqual({
      criteriaList: [
        { failureType: 'FAILED', numberOfRetries: 3 },
        { failureType: 'TIMED_OUT', numberOfRetries: 1 },
      ],
    });
    await runTo('r-7', 'cli-retry', 'FAILED');
    const forThing = await cli('list-job-executions-for-thing', '--thing-name', 'r-7');
    expect(forThing.json.executionSummaries).toEqual([
      {
        jobId: 'cli-retry',
        jobExecutionSummary: expect.objectContaining({ status: 'QUEUED', executionNumber: 2, retryAttempt: 1 }),
      },
    ]);
    const refused = await cli(
      'create-job',
      '--job-id',
      'cli-bad-retry',
      '--targets',
      thingArn('r-7'),
      '--document',
      '{}',
      '--job-executions-retry-config',
      'criteriaList=[{failureType=FAILED,numberOfRetries=11}]',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'jobExecutionsRetryConfig.criteriaList[0].numberOfRetries: must be between 0 and 10',
    );
  });
});
