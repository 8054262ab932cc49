import {
  CreateJobCommand,
  DescribeJobCommand,
  InvalidRequestException,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import {
  GetPendingJobExecutionsCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * Rollout rates through @aws-sdk/client-iot, the device SDK and the AWS CLI, on the local runner with its controllable
 * clock.
 */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const things = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** `npm run clock -- advance`: the schedule's tick at once, answered once its releases are written. */
async function advance(seconds: number): Promise<void> {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
}

/** Moves the service clock to `at` (ms), from wherever real time has taken it meanwhile. */
const advanceTo = (at: number) => advance(Math.max(0, (at - f.service.clock!.now()) / 1000));

async function releasedThings(jobId: string): Promise<string[]> {
  const listed = await f.iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 250 }));
  return (listed.executionSummaries ?? []).map((e) => e.thingArn!.split('/').pop()!).sort();
}

beforeAll(async () => {
  f = await startWireFixture({ controllableClock: true });
});

afterAll(() => f?.stop());

describe('jobExecutionsRolloutConfig with @aws-sdk/client-iot', () => {
  it('releases maximumPerMinute things a minute as the clock moves, and DescribeJob returns the config as given', async () => {
    const fleet = things('m', 12);
    // The first window opens during CreateJob, somewhere between these two instants of service time (the clock runs on
    // in real time under its offset).
    const sent = f.service.clock!.now();
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'ota-rate',
        targets: fleet.map(thingArn),
        document: '{}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 5 },
      }),
    );
    const answered = f.service.clock!.now();
    expect(await releasedThings('ota-rate')).toHaveLength(5);
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'ota-rate' }));
    expect(job).toMatchObject({
      status: 'IN_PROGRESS',
      jobExecutionsRolloutConfig: { maximumPerMinute: 5 },
      jobProcessDetails: { numberOfQueuedThings: 5 },
    });
    expect(job!.jobProcessDetails!.processingTargets).toHaveLength(7);
    // The last thing's device has nothing to do yet.
    expect(await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 'm-11' }))).toMatchObject({
      queuedJobs: [],
      inProgressJobs: [],
    });

    // Just before the window can have closed, however long the steps above took; then just after it must have.
    await advanceTo(sent + 59_000);
    expect(await releasedThings('ota-rate')).toHaveLength(5);
    await advanceTo(answered + 60_000);
    expect(await releasedThings('ota-rate')).toHaveLength(10);
    await advance(60);
    expect(await releasedThings('ota-rate')).toEqual([...fleet].sort());
    expect((await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 'm-11' }))).queuedJobs).toMatchObject([
      { jobId: 'ota-rate' },
    ]);
    const done = await f.iot.send(new DescribeJobCommand({ jobId: 'ota-rate' }));
    expect(done.job!.jobProcessDetails).toMatchObject({ numberOfQueuedThings: 12 });
    expect(done.job!.jobProcessDetails!.processingTargets).toBeUndefined();
    // Each thing was queued when its window released it, as AWS's queuedAt says, not when the job was created.
    const queuedAt = async (thingName: string) =>
      Number((await f.device.send(new GetPendingJobExecutionsCommand({ thingName }))).queuedJobs![0]!.queuedAt);
    expect(await queuedAt('m-0')).toBeLessThanOrEqual(Math.ceil(answered / 1000));
    expect(await queuedAt('m-11')).toBeGreaterThanOrEqual(Math.floor((answered + 120_000) / 1000));
  });

  it('grows an exponential rate each minute that enough things succeeded, as devices report them', async () => {
    const fleet = things('e', 10);
    const config = {
      maximumPerMinute: 8,
      exponentialRate: {
        baseRatePerMinute: 2,
        incrementFactor: 2,
        rateIncreaseCriteria: { numberOfSucceededThings: 2 },
      },
    };
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'ota-exp',
        targets: fleet.map(thingArn),
        document: '{}',
        jobExecutionsRolloutConfig: config,
      }),
    );
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'ota-exp' }))).job!.jobExecutionsRolloutConfig).toEqual(
      config,
    );
    // Nobody succeeded: the next minute is at the base rate again.
    await advance(60);
    const firstFour = await releasedThings('ota-exp');
    expect(firstFour).toHaveLength(4);
    // Two devices succeed: the next window opens at twice the rate.
    for (const thingName of firstFour.slice(0, 2)) {
      const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
      await f.device.send(
        new UpdateJobExecutionCommand({
          thingName,
          jobId: 'ota-exp',
          status: 'SUCCEEDED',
          expectedVersion: started.execution!.versionNumber,
        }),
      );
    }
    expect(
      (await f.iot.send(new DescribeJobCommand({ jobId: 'ota-exp' }))).job!.jobProcessDetails!.numberOfSucceededThings,
    ).toBe(2);
    await advance(60);
    expect(await releasedThings('ota-exp')).toHaveLength(8);
    await advance(60);
    expect(await releasedThings('ota-exp')).toHaveLength(10);
  });

  it.each([
    [
      'maximumPerMinute of 0',
      { maximumPerMinute: 0 },
      'jobExecutionsRolloutConfig.maximumPerMinute: must be between 1 and 1000',
    ],
    [
      'maximumPerMinute past 1,000',
      { maximumPerMinute: 5000 },
      'jobExecutionsRolloutConfig.maximumPerMinute: must be between 1 and 1000',
    ],
    [
      'an increment factor past 5',
      {
        maximumPerMinute: 10,
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 6,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1 },
        },
      },
      'jobExecutionsRolloutConfig.exponentialRate.incrementFactor: must be between 1.1 and 5',
    ],
    [
      'an increment factor with two decimals',
      {
        maximumPerMinute: 10,
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 1.25,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1 },
        },
      },
      'incrementFactor: must have at most 1 digit after the decimal point',
    ],
    [
      'a base rate past 1,000',
      {
        maximumPerMinute: 10,
        exponentialRate: {
          baseRatePerMinute: 1001,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1 },
        },
      },
      'jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute: must be between 1 and 1000',
    ],
    [
      'both increase criteria',
      {
        maximumPerMinute: 10,
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1, numberOfSucceededThings: 1 },
        },
      },
      'set exactly one of numberOfNotifiedThings and numberOfSucceededThings',
    ],
    [
      'an exponential rate without maximumPerMinute',
      {
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1 },
        },
      },
      'jobExecutionsRolloutConfig.maximumPerMinute: is required with exponentialRate',
    ],
  ])('refuses %s with InvalidRequestException naming the field, and creates nothing', async (_, config, message) => {
    const attempt = f.iot.send(
      new CreateJobCommand({
        jobId: 'bad-rate',
        targets: [thingArn('x-1')],
        document: '{}',
        jobExecutionsRolloutConfig: config,
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(attempt).rejects.toThrow(message);
    expect((await cli('describe-job', '--job-id', 'bad-rate')).code).not.toBe(0);
  });
});

describe('jobExecutionsRolloutConfig with the AWS CLI', () => {
  it('creates a staged job from --job-executions-rollout-config, shows it in describe-job, and refuses a bad rate', async () => {
    const targets = things('c', 4).map(thingArn);
    const created = await cli(
      'create-job',
      '--job-id',
      'cli-rate',
      '--targets',
      ...targets,
      '--document',
      '{}',
      '--job-executions-rollout-config',
      'maximumPerMinute=3',
    );
    expect(created.code).toBe(0);
    const described = await cli('describe-job', '--job-id', 'cli-rate');
    expect(described.json.job).toMatchObject({
      jobExecutionsRolloutConfig: { maximumPerMinute: 3 },
      jobProcessDetails: { numberOfQueuedThings: 3 },
    });
    await advance(60);
    expect((await cli('describe-job', '--job-id', 'cli-rate')).json.job.jobProcessDetails.numberOfQueuedThings).toBe(4);

    const exponential = JSON.stringify({
      maximumPerMinute: 20,
      exponentialRate: {
        baseRatePerMinute: 2,
        incrementFactor: 1.5,
        rateIncreaseCriteria: { numberOfNotifiedThings: 10 },
      },
    });
    expect(
      (
        await cli(
          'create-job',
          '--job-id',
          'cli-exp',
          '--targets',
          ...targets,
          '--document',
          '{}',
          '--job-executions-rollout-config',
          exponential,
        )
      ).code,
    ).toBe(0);
    expect((await cli('describe-job', '--job-id', 'cli-exp')).json.job.jobExecutionsRolloutConfig).toEqual(
      JSON.parse(exponential),
    );

    const refused = await cli(
      'create-job',
      '--job-id',
      'cli-bad',
      '--targets',
      targets[0]!,
      '--document',
      '{}',
      '--job-executions-rollout-config',
      'maximumPerMinute=1001',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('InvalidRequestException');
    expect(refused.stderr).toContain('jobExecutionsRolloutConfig.maximumPerMinute: must be between 1 and 1000');
  });
});

describe('abortConfig over the wire', () => {
  const criterion = {
    failureType: 'REJECTED' as const,
    action: 'CANCEL' as const,
    thresholdPercentage: 50,
    minNumberOfExecutedThings: 2,
  };

  it('cancels the job once its devices meet the criterion, and DescribeJob returns the config as given (@aws-sdk/client-iot)', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'abort-sdk',
        targets: things('a', 3).map(thingArn),
        document: '{}',
        abortConfig: { criteriaList: [criterion] },
      }),
    );
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'abort-sdk' }))).job!.abortConfig).toEqual({
      criteriaList: [criterion],
    });
    for (const [thingName, status] of [
      ['a-0', 'SUCCEEDED'],
      ['a-1', 'REJECTED'],
    ] as const) {
      const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
      await f.device.send(
        new UpdateJobExecutionCommand({
          thingName,
          jobId: 'abort-sdk',
          status,
          expectedVersion: started.execution!.versionNumber,
        }),
      );
    }
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'abort-sdk' }));
    expect(job).toMatchObject({
      status: 'CANCELED',
      reasonCode: 'ABORTED_REJECTED',
      comment: expect.stringContaining('1 of 2 executed things REJECTED (50%)'),
    });
    await f.service.workDone();
    expect((await f.iot.send(new DescribeJobCommand({ jobId: 'abort-sdk' }))).job!.jobProcessDetails).toMatchObject({
      numberOfCanceledThings: 1,
      numberOfRejectedThings: 1,
      numberOfSucceededThings: 1,
    });
  });

  it.each([
    [
      'a threshold past 100',
      { criteriaList: [{ ...criterion, thresholdPercentage: 101 }] },
      'abortConfig.criteriaList[0].thresholdPercentage: must be between 0 and 100',
    ],
    [
      'a threshold with three decimals',
      { criteriaList: [{ ...criterion, thresholdPercentage: 10.999 }] },
      'abortConfig.criteriaList[0].thresholdPercentage: must have at most 2 digits after the decimal point',
    ],
    [
      'a minimum of 0 executed things',
      { criteriaList: [{ ...criterion, minNumberOfExecutedThings: 0 }] },
      'abortConfig.criteriaList[0].minNumberOfExecutedThings: must be between 1 and',
    ],
    ['no criteria', { criteriaList: [] }, 'abortConfig.criteriaList: must be a list of at least one criterion'],
  ])('refuses %s with InvalidRequestException naming the field', async (_, abortConfig, message) => {
    const attempt = f.iot.send(
      new CreateJobCommand({ jobId: 'bad-abort', targets: [thingArn('x-1')], document: '{}', abortConfig }),
    );
    await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(attempt).rejects.toThrow(message);
  });

  it('takes --abort-config from the AWS CLI, shows it in describe-job, and refuses a bad failureType', async () => {
    const config =
      'criteriaList=[{failureType=ALL,action=CANCEL,thresholdPercentage=12.5,minNumberOfExecutedThings=40}]';
    expect(
      (
        await cli(
          'create-job',
          '--job-id',
          'abort-cli',
          '--targets',
          thingArn('b-0'),
          '--document',
          '{}',
          '--abort-config',
          config,
        )
      ).code,
    ).toBe(0);
    expect((await cli('describe-job', '--job-id', 'abort-cli')).json.job.abortConfig).toEqual({
      criteriaList: [
        { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 12.5, minNumberOfExecutedThings: 40 },
      ],
    });
    const refused = await cli(
      'create-job',
      '--job-id',
      'abort-bad',
      '--targets',
      thingArn('b-0'),
      '--document',
      '{}',
      '--abort-config',
      JSON.stringify({ criteriaList: [{ ...criterion, failureType: 'SLOW' }] }),
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('InvalidRequestException');
    expect(refused.stderr).toContain(
      'abortConfig.criteriaList[0].failureType: must be one of FAILED, REJECTED, TIMED_OUT, ALL',
    );
  });
});
