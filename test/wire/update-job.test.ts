import {
  CreateJobCommand,
  DescribeJobCommand,
  InvalidRequestException,
  ListJobExecutionsForJobCommand,
  ResourceNotFoundException,
  UpdateJobCommand,
} from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * UpdateJob (PATCH /jobs/{jobId}) through @aws-sdk/client-iot and the AWS CLI, on the local runner with its
 * controllable clock.
 */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const things = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const released = async (jobId: string) =>
  ((await f.iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 250 }))).executionSummaries ?? []).length;
const describe_ = async (jobId: string) => (await f.iot.send(new DescribeJobCommand({ jobId }))).job!;

async function advance(seconds: number): Promise<void> {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  f = await startWireFixture({ controllableClock: true });
});

afterAll(() => f?.stop());

describe('UpdateJob with @aws-sdk/client-iot', () => {
  it('changes the description, and a faster rollout rate releases the difference at once; a slower one waits for the next minute', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'tuned',
        targets: things('u', 30).map(thingArn),
        document: '{}',
        description: 'first',
        jobExecutionsRolloutConfig: { maximumPerMinute: 5 },
      }),
    );
    expect(await released('tuned')).toBe(5);
    await f.iot.send(
      new UpdateJobCommand({
        jobId: 'tuned',
        description: 'faster',
        jobExecutionsRolloutConfig: { maximumPerMinute: 12 },
      }),
    );
    await f.service.workDone();
    expect(await released('tuned')).toBe(12);
    expect(await describe_('tuned')).toMatchObject({
      description: 'faster',
      jobExecutionsRolloutConfig: { maximumPerMinute: 12 },
    });
    await f.iot.send(new UpdateJobCommand({ jobId: 'tuned', jobExecutionsRolloutConfig: { maximumPerMinute: 3 } }));
    await f.service.workDone();
    expect(await released('tuned')).toBe(12);
    await advance(60);
    expect(await released('tuned')).toBe(15);
    // A member left out stays as it was.
    expect((await describe_('tuned')).description).toBe('faster');
  });

  it('adds an abort criterion that the next finished execution is judged by', async () => {
    await f.iot.send(
      new CreateJobCommand({ jobId: 'late-guard', targets: things('g', 3).map(thingArn), document: '{}' }),
    );
    const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'g-0' }));
    await f.iot.send(
      new UpdateJobCommand({
        jobId: 'late-guard',
        abortConfig: {
          criteriaList: [
            { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 100, minNumberOfExecutedThings: 1 },
          ],
        },
      }),
    );
    await f.device.send(
      new UpdateJobExecutionCommand({
        thingName: 'g-0',
        jobId: 'late-guard',
        status: 'FAILED',
        expectedVersion: started.execution!.versionNumber,
      }),
    );
    expect(await describe_('late-guard')).toMatchObject({ status: 'CANCELED', reasonCode: 'ABORTED_FAILED' });
  });

  it('gives a new timeout and retries to the executions written after it, and leaves those written before as they were', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'later',
        targets: things('l', 2).map(thingArn),
        document: '{}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
      }),
    );
    await f.iot.send(
      new UpdateJobCommand({
        jobId: 'later',
        timeoutConfig: { inProgressTimeoutInMinutes: 5 },
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
      }),
    );
    await advance(60);
    const first = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'l-0' }));
    const second = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'l-1' }));
    expect(first.execution!.approximateSecondsBeforeTimedOut).toBeUndefined();
    expect(second.execution!.approximateSecondsBeforeTimedOut).toBeGreaterThan(290);
    expect(await describe_('later')).toMatchObject({
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
    });
  });

  it('refuses a job that is not IN_PROGRESS, one that does not exist, bad values (naming the field) and members it does not implement', async () => {
    await f.iot.send(new CreateJobCommand({ jobId: 'finished', targets: [thingArn('z-0')], document: '{}' }));
    const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'z-0' }));
    await f.device.send(
      new UpdateJobExecutionCommand({
        thingName: 'z-0',
        jobId: 'finished',
        status: 'SUCCEEDED',
        expectedVersion: started.execution!.versionNumber,
      }),
    );
    expect((await describe_('finished')).status).toBe('COMPLETED');
    await expect(f.iot.send(new UpdateJobCommand({ jobId: 'finished', description: 'x' }))).rejects.toThrow(
      /Job finished is COMPLETED: only an IN_PROGRESS or SCHEDULED job can be updated/,
    );
    await expect(f.iot.send(new UpdateJobCommand({ jobId: 'nope', description: 'x' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    for (const [input, message] of [
      [
        { jobExecutionsRolloutConfig: { maximumPerMinute: 0 } },
        'jobExecutionsRolloutConfig.maximumPerMinute: must be between 1 and 1000',
      ],
      [
        { timeoutConfig: { inProgressTimeoutInMinutes: 0 } },
        'timeoutConfig.inProgressTimeoutInMinutes: must be between 1 and 10080',
      ],
      [{ abortConfig: { criteriaList: [] } }, 'abortConfig.criteriaList: must be a list of at least one criterion'],
      [
        { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 11 }] } },
        'jobExecutionsRetryConfig.criteriaList[0].numberOfRetries: must be between 0 and 10',
      ],
      [{ namespaceId: 'ns' }, 'namespaceId: is not supported'],
    ] as const) {
      const attempt = f.iot.send(new UpdateJobCommand({ jobId: 'tuned', ...(input as object) }));
      await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
      await expect(attempt).rejects.toThrow(message);
    }
  });
});

describe('UpdateJob with the AWS CLI', () => {
  it('updates the description and the rollout rate, and names a refusal', async () => {
    expect(
      (
        await cli(
          'create-job',
          '--job-id',
          'cli-update',
          '--targets',
          ...things('c', 4).map(thingArn),
          '--document',
          '{}',
          '--job-executions-rollout-config',
          'maximumPerMinute=1',
        )
      ).code,
    ).toBe(0);
    const updated = await cli(
      'update-job',
      '--job-id',
      'cli-update',
      '--description',
      'now faster',
      '--job-executions-rollout-config',
      'maximumPerMinute=4',
    );
    expect(updated.code).toBe(0);
    await f.service.workDone();
    expect((await cli('describe-job', '--job-id', 'cli-update')).json.job).toMatchObject({
      description: 'now faster',
      jobExecutionsRolloutConfig: { maximumPerMinute: 4 },
      jobProcessDetails: { numberOfQueuedThings: 4 },
    });
    const refused = await cli(
      'update-job',
      '--job-id',
      'cli-update',
      '--abort-config',
      'criteriaList=[{failureType=ALL,action=CANCEL,thresholdPercentage=101,minNumberOfExecutedThings=1}]',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('abortConfig.criteriaList[0].thresholdPercentage: must be between 0 and 100');
  });
});
