import {
  CancelJobCommand,
  CreateJobCommand,
  DescribeJobCommand,
  InvalidRequestException,
  ListJobExecutionsForJobCommand,
  ListJobsCommand,
  UpdateJobCommand,
} from '@aws-sdk/client-iot';
import {
  GetPendingJobExecutionsCommand,
  StartNextPendingJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * schedulingConfig through @aws-sdk/client-iot, the device SDK and the AWS CLI, on the local runner with its
 * controllable clock.
 */
let f: WireFixture;
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);
const things = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const MINUTE = 60_000;

/** The service's time now (ms). */
async function serviceNow(): Promise<number> {
  const shown = (await (await fetch(`${f.service.managementEndpoint}/_local/clock`)).json()) as { now: number };
  return Math.round(shown.now * 1000);
}

/** A schedule time `minutes` (whole) after the service's current minute, as AWS writes them: YYYY-MM-DDTHH:MM, UTC. */
async function inMinutes(minutes: number): Promise<string> {
  const now = await serviceNow();
  return new Date(Math.ceil(now / MINUTE) * MINUTE + minutes * MINUTE).toISOString().slice(0, 16);
}

/** Moves the service clock to `time` (a schedule time), and runs the tick. */
async function advanceTo(time: string): Promise<void> {
  const seconds = (Date.parse(`${time}Z`) - (await serviceNow())) / 1000;
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds: Math.max(seconds, 0.001) }),
  });
  expect(response.status).toBe(200);
}

async function advanceBy(seconds: number): Promise<void> {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
}

const released = async (jobId: string) =>
  ((await f.iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 250 }))).executionSummaries ?? []).length;
const jobOf = async (jobId: string) => (await f.iot.send(new DescribeJobCommand({ jobId }))).job!;

beforeAll(async () => {
  f = await startWireFixture({ controllableClock: true });
});

afterAll(() => f?.stop());

describe('schedulingConfig with @aws-sdk/client-iot', () => {
  it('keeps a job SCHEDULED, with no executions, until its startTime, then rolls it out', async () => {
    const startTime = await inMinutes(60);
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'later',
        targets: things('s', 3).map(thingArn),
        document: '{}',
        schedulingConfig: { startTime },
      }),
    );
    expect(await jobOf('later')).toMatchObject({ status: 'SCHEDULED', schedulingConfig: { startTime } });
    expect(await released('later')).toBe(0);
    expect(await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 's-0' }))).toMatchObject({
      queuedJobs: [],
    });
    expect((await f.iot.send(new ListJobsCommand({ status: 'SCHEDULED' }))).jobs!.map((j) => j.jobId)).toContain(
      'later',
    );

    await advanceTo(new Date(Date.parse(`${startTime}Z`) - MINUTE).toISOString().slice(0, 16));
    expect((await jobOf('later')).status).toBe('SCHEDULED');
    await advanceTo(startTime);
    expect(await jobOf('later')).toMatchObject({
      status: 'IN_PROGRESS',
      jobProcessDetails: { numberOfQueuedThings: 3 },
    });
    expect((await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 's-0' }))).queuedJobs).toMatchObject([
      { jobId: 'later' },
    ]);
  });

  it('releases only inside its maintenance windows, at the rollout rate, and shows their next openings', async () => {
    // A window of 30 minutes every hour, at minute 0.
    const config = { maintenanceWindows: [{ startTime: 'cron(0 * * * ? *)', durationInMinutes: 30 }] };
    const nextHour = new Date(Math.ceil(((await serviceNow()) + 31 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE);
    // Start just after a window closed, so the first release waits for the next one.
    const startTime = new Date(nextHour.getTime() + 31 * MINUTE).toISOString().slice(0, 16);
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'windowed',
        targets: things('w', 12).map(thingArn),
        document: '{}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 5 },
        schedulingConfig: { startTime, ...config },
      }),
    );
    const shown = await jobOf('windowed');
    expect(shown.scheduledJobRollouts?.length).toBe(7);
    await advanceTo(startTime);
    expect(await jobOf('windowed')).toMatchObject({ status: 'IN_PROGRESS' });
    expect(await released('windowed')).toBe(0);
    const opening = new Date(nextHour.getTime() + 60 * MINUTE).toISOString().slice(0, 16);
    await advanceTo(opening);
    expect(await released('windowed')).toBe(5);
    // The service clock runs on between the two ticks: a second more makes sure the rollout's next minute has come.
    await advanceBy(61);
    expect(await released('windowed')).toBe(10);
    // The window closes before the next minute's release.
    await advanceTo(new Date(Date.parse(`${opening}Z`) + 30 * MINUTE).toISOString().slice(0, 16));
    expect(await released('windowed')).toBe(10);
    await advanceTo(new Date(Date.parse(`${opening}Z`) + 60 * MINUTE).toISOString().slice(0, 16));
    expect(await released('windowed')).toBe(12);
  });

  it.each([
    ['STOP_ROLLOUT', 'IN_PROGRESS', 'IN_PROGRESS'],
    ['CANCEL', 'CANCELED', 'IN_PROGRESS'],
    ['FORCE_CANCEL', 'CANCELED', 'CANCELED'],
  ] as const)(
    'at endTime with %s: the job is %s, releases stop, and a running execution is %s',
    async (endBehavior, jobStatus, runningStatus) => {
      const jobId = `ends-${endBehavior.toLowerCase().replace('_', '-')}`;
      const endTime = await inMinutes(45);
      await f.iot.send(
        new CreateJobCommand({
          jobId,
          targets: things(jobId, 4).map(thingArn),
          document: '{}',
          jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
          schedulingConfig: { endTime, endBehavior },
        }),
      );
      const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: `${jobId}-0` }));
      expect(started.execution?.jobId).toBe(jobId);
      await advanceTo(endTime);
      await f.service.workDone();
      const job = await jobOf(jobId);
      expect(job.status).toBe(jobStatus);
      if (endBehavior !== 'STOP_ROLLOUT')
        expect(job).toMatchObject({ reasonCode: 'SCHEDULED_END', forceCanceled: endBehavior === 'FORCE_CANCEL' });
      // The rollout released 2 in its first minute; at the end nothing more is released (STOP_ROLLOUT's job goes on
      // with the 2 it has).
      expect(await released(jobId)).toBe(2);
      const listed = await f.iot.send(new ListJobExecutionsForJobCommand({ jobId }));
      const statuses = Object.fromEntries(
        listed.executionSummaries!.map((e) => [e.thingArn!.split('/').pop()!, e.jobExecutionSummary!.status]),
      );
      expect(statuses[`${jobId}-0`]).toBe(runningStatus);
      expect(job.jobProcessDetails?.processingTargets).toBeUndefined();
    },
  );

  it('cancels and updates a SCHEDULED job', async () => {
    await f.iot.send(
      new CreateJobCommand({
        jobId: 'pending-plan',
        targets: [thingArn('p-0')],
        document: '{}',
        schedulingConfig: { startTime: await inMinutes(90) },
      }),
    );
    await f.iot.send(new UpdateJobCommand({ jobId: 'pending-plan', description: 'replanned' }));
    expect(await jobOf('pending-plan')).toMatchObject({ status: 'SCHEDULED', description: 'replanned' });
    await f.iot.send(new CancelJobCommand({ jobId: 'pending-plan' }));
    await f.service.workDone();
    expect((await jobOf('pending-plan')).status).toBe('CANCELED');
    await advanceTo(await inMinutes(120));
    expect(await released('pending-plan')).toBe(0);
  });

  it('refuses times too soon or too far, malformed times and windows, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ startTime: await inMinutes(10) }, 'schedulingConfig.startTime: must be at least 30 minutes from now'],
      [{ startTime: await inMinutes(400 * 24 * 60) }, 'schedulingConfig.startTime: must be within a year from now'],
      [
        { startTime: await inMinutes(60), endTime: await inMinutes(70) },
        'schedulingConfig.endTime: must be at least 30 minutes after startTime',
      ],
      [{ startTime: 'next tuesday' }, 'schedulingConfig.startTime: must be a date and time, YYYY-MM-DDTHH:MM'],
      [{ endBehavior: 'PAUSE' }, 'schedulingConfig.endBehavior: must be one of STOP_ROLLOUT, CANCEL, FORCE_CANCEL'],
      [
        { maintenanceWindows: [{ startTime: '0 2 * * *', durationInMinutes: 60 }] },
        'schedulingConfig.maintenanceWindows[0].startTime: must be cron(',
      ],
      [
        { maintenanceWindows: [{ startTime: 'cron(0 2 ? * SUN *)', durationInMinutes: 1431 }] },
        'schedulingConfig.maintenanceWindows[0].durationInMinutes: must be between 1 and 1430',
      ],
    ];
    for (const [schedulingConfig, message] of cases) {
      const attempt = f.iot.send(
        new CreateJobCommand({
          jobId: 'bad-plan',
          targets: [thingArn('b-0')],
          document: '{}',
          schedulingConfig: schedulingConfig as never,
        }),
      );
      await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
      await expect(attempt).rejects.toThrow(message);
    }
  });
});

describe('schedulingConfig with the AWS CLI', () => {
  it('creates a scheduled job from --scheduling-config, lists it by status, and shows it', async () => {
    const startTime = await inMinutes(120);
    const config = JSON.stringify({
      startTime,
      endTime: await inMinutes(24 * 60),
      endBehavior: 'CANCEL',
      maintenanceWindows: [{ startTime: 'cron(0 22 ? * MON-FRI *)', durationInMinutes: 120 }],
    });
    expect(
      (
        await cli(
          'create-job',
          '--job-id',
          'cli-plan',
          '--targets',
          thingArn('c-0'),
          '--document',
          '{}',
          '--scheduling-config',
          config,
        )
      ).code,
    ).toBe(0);
    const described = await cli('describe-job', '--job-id', 'cli-plan');
    expect(described.json.job).toMatchObject({ status: 'SCHEDULED', schedulingConfig: JSON.parse(config) });
    expect(
      (await cli('list-jobs', '--status', 'SCHEDULED')).json.jobs.map((j: { jobId: string }) => j.jobId),
    ).toContain('cli-plan');
  });
});
