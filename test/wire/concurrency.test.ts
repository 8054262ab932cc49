import { CreateJobCommand } from '@aws-sdk/client-iot';
import {
  GetPendingJobExecutionsCommand,
  InvalidStateTransitionException,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/** Races through the official client, over HTTP, on DynamoDB Local: the conditional writes must hold. */
let f: WireFixture;

beforeAll(async () => {
  f = await startWireFixture();
  for (const jobId of ['first', 'second', 'third']) {
    await f.iot.send(new CreateJobCommand({ jobId, targets: [thingArn('racer')], document: `{"job":"${jobId}"}` }));
  }
});

afterAll(() => f?.stop());

describe('concurrency', () => {
  it('50 parallel StartNext calls start exactly one execution, and every answer names it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        f.device.send(
          new StartNextPendingJobExecutionCommand({ thingName: 'racer', statusDetails: { caller: String(i) } }),
        ),
      ),
    );
    const jobIds = new Set(answers.map((a) => a.execution?.jobId));
    expect(jobIds.size).toBe(1);
    expect(answers.every((a) => a.execution?.status === 'IN_PROGRESS' && a.execution.versionNumber === 2)).toBe(true);
    // Every racer saw the one winner's write, statusDetails included.
    expect(new Set(answers.map((a) => a.execution?.statusDetails?.caller)).size).toBe(1);

    const pending = await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 'racer' }));
    expect(pending.inProgressJobs?.map((j) => j.jobId)).toEqual([...jobIds]);
    expect(pending.queuedJobs).toHaveLength(2);
  });

  it('20 parallel Updates with the same expectedVersion let exactly one through; the rest get VersionMismatch with the current state', async () => {
    const { execution } = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName: 'racer' }));
    const jobId = execution!.jobId!;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        f.device.send(
          new UpdateJobExecutionCommand({
            thingName: 'racer',
            jobId,
            status: 'IN_PROGRESS',
            statusDetails: { writer: String(i) },
            expectedVersion: 2,
            includeJobExecutionState: true,
          }),
        ),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    const winnerState = (winners[0] as PromiseFulfilledResult<{ executionState?: unknown }>).value.executionState;
    expect(winnerState).toMatchObject({ status: 'IN_PROGRESS', versionNumber: 3 });
    for (const loser of losers) {
      expect(loser.reason).toBeInstanceOf(InvalidStateTransitionException);
      expect(loser.reason.message).toMatch(/^VersionMismatch/);
      expect(loser.reason.executionState).toEqual(winnerState);
    }
  });
});
