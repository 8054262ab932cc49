import { CreateJobCommand, DescribeJobCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import {
  GetPendingJobExecutionsCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * A staged rollout meeting its abort criterion, on DynamoDB Local with the
 * local runner's controllable clock: 200 things, 20 a minute, canceled once
 * 20% of at least 30 executed things failed, devices failing 1 in 3.
 */
let f: WireFixture;

beforeAll(async () => {
  f = await startWireFixture({ controllableClock: true });
});

afterAll(() => f?.stop());

const JOB = 'ota-abort';
const fleet = Array.from({ length: 200 }, (_, i) => `fleet-${String(i).padStart(3, '0')}`);

async function executions(): Promise<Map<string, string>> {
  const listed = await f.iot.send(new ListJobExecutionsForJobCommand({ jobId: JOB, maxResults: 250 }));
  return new Map(
    (listed.executionSummaries ?? []).map((e) => [e.thingArn!.split('/').pop()!, e.jobExecutionSummary!.status!]),
  );
}

async function advanceMinute(): Promise<void> {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds: 60 }),
  });
  expect(response.status).toBe(200);
}

const describeJob = async () => (await f.iot.send(new DescribeJobCommand({ jobId: JOB }))).job!;

describe('a rollout with an abort criterion', () => {
  // About 110 requests one after another, each answered once the stream has handled it: 7 s quiet, 46 s at a load
  // average of 12 on two cores; the time allowed is for the latter.
  it('is canceled when the 30th thing to finish brings the failures past 20%, having released at most 20 a minute, and cancels no started execution', async () => {
    const abortConfig = {
      criteriaList: [
        {
          failureType: 'FAILED' as const,
          action: 'CANCEL' as const,
          thresholdPercentage: 20,
          minNumberOfExecutedThings: 30,
        },
      ],
    };
    await f.iot.send(
      new CreateJobCommand({
        jobId: JOB,
        targets: fleet.map(thingArn),
        document: '{"op":"flash"}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 20 },
        abortConfig,
      }),
    );
    expect((await describeJob()).abortConfig).toEqual(abortConfig);

    const releasedPerMinute: number[] = [];
    const handled = new Set<string>();
    const started = new Set<string>();
    let executed = 0;
    let failed = 0;
    let canceledAt: number | undefined;
    for (let minute = 0; minute < 4 && canceledAt === undefined; minute++) {
      if (minute > 0) await advanceMinute();
      const now = await executions();
      releasedPerMinute.push(now.size - releasedPerMinute.reduce((a, b) => a + b, 0));
      for (const thingName of [...now.keys()].sort()) {
        if (handled.has(thingName)) continue;
        handled.add(thingName);
        const index = handled.size;
        const start = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
        expect(start.execution?.jobId).toBe(JOB);
        started.add(thingName);
        // Every seventh device is still working when the job is aborted.
        if (index % 7 === 0) continue;
        const fails = index % 3 === 0;
        await f.device.send(
          new UpdateJobExecutionCommand({
            thingName,
            jobId: JOB,
            status: fails ? 'FAILED' : 'SUCCEEDED',
            expectedVersion: start.execution!.versionNumber,
          }),
        );
        executed++;
        if (fails) failed++;
        // The management read catches up with the stream first: the abort, if due, has happened.
        const job = await describeJob();
        if (executed < 30) expect({ executed, status: job.status }).toEqual({ executed, status: 'IN_PROGRESS' });
        else {
          canceledAt = executed;
          expect(job).toMatchObject({ status: 'CANCELED', forceCanceled: false, reasonCode: 'ABORTED_FAILED' });
          expect(job.comment).toBe(
            `Aborted by abortConfig criterion 1 (FAILED at 20% after 30 executed things): ${failed} of 30 executed things FAILED (${((failed / 30) * 100).toFixed(2).replace(/\.?0+$/, '')}%)`,
          );
          break;
        }
      }
    }
    expect(canceledAt).toBe(30);
    expect(failed / 30).toBeGreaterThanOrEqual(0.2);

    // The cancel's cascade reaches every released thing; the job releases no more.
    await f.service.workDone();
    for (let minute = 0; minute < 3; minute++) {
      await advanceMinute();
      releasedPerMinute.push((await executions()).size - releasedPerMinute.reduce((a, b) => a + b, 0));
    }
    expect(Math.max(...releasedPerMinute)).toBeLessThanOrEqual(20);
    expect(releasedPerMinute).toEqual([20, 20, 0, 0, 0]);

    const final = await executions();
    for (const [thingName, status] of final) {
      if (!started.has(thingName)) expect({ thingName, status }).toEqual({ thingName, status: 'CANCELED' });
      else expect({ thingName, status }).not.toEqual({ thingName, status: 'CANCELED' });
    }
    // The devices still working keep their executions; the rest of the fleet never hears of the job.
    expect([...final.values()].filter((s) => s === 'IN_PROGRESS').length).toBe(
      [...started].filter((t) => final.get(t) === 'IN_PROGRESS').length,
    );
    expect([...final.values()].filter((s) => s === 'IN_PROGRESS').length).toBeGreaterThan(0);
    expect(await f.device.send(new GetPendingJobExecutionsCommand({ thingName: fleet[199]! }))).toMatchObject({
      queuedJobs: [],
      inProgressJobs: [],
    });
    const job = await describeJob();
    expect(job.jobProcessDetails).toMatchObject({ numberOfSucceededThings: 30 - failed, numberOfFailedThings: failed });
  }, 120_000);
});
