import {
  CreateJobCommand,
  type JobExecutionSummary,
  ListJobExecutionsForJobCommand,
  ListJobExecutionsForThingCommand,
  UpdateJobCommand,
} from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * ListJobExecutionsForJob shows each execution's retryAttempt as ListJobExecutionsForThing does (the executionsByJob
 * index does not project it), through @aws-sdk/client-iot on the local runner.
 */
let f: WireFixture;
beforeAll(async () => {
  f = await startWireFixture();
});
afterAll(() => f?.stop());

/** Each thing's summary as ListJobExecutionsForJob shows it, in pages of `pageSize`. */
async function byJob(jobId: string, pageSize = 250): Promise<Record<string, JobExecutionSummary>> {
  const summaries: Record<string, JobExecutionSummary> = {};
  let nextToken: string | undefined;
  do {
    const page = await f.iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: pageSize, nextToken }));
    for (const e of page.executionSummaries ?? []) summaries[e.thingArn!.split('/').pop()!] = e.jobExecutionSummary!;
    nextToken = page.nextToken;
  } while (nextToken);
  return summaries;
}
/** The thing's summary of the job as ListJobExecutionsForThing shows it. */
const byThing = async (thingName: string, jobId: string) =>
  (await f.iot.send(new ListJobExecutionsForThingCommand({ thingName, jobId }))).executionSummaries![0]!
    .jobExecutionSummary!;
const fail = async (thingName: string) => {
  const started = await f.device.send(new StartNextPendingJobExecutionCommand({ thingName }));
  await f.device.send(new UpdateJobExecutionCommand({ thingName, jobId: started.execution!.jobId!, status: 'FAILED' }));
};
const pick = (s: JobExecutionSummary) => ({
  status: s.status,
  executionNumber: s.executionNumber,
  retryAttempt: s.retryAttempt,
});

it("shows each execution's retryAttempt as ListJobExecutionsForThing does, on every page", async () => {
  await f.iot.send(
    new CreateJobCommand({
      jobId: 'retried',
      targets: ['ra-1', 'ra-2', 'ra-3'].map(thingArn),
      document: '{}',
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
    }),
  );
  await fail('ra-1');
  await fail('ra-1');
  await fail('ra-2');
  const expected = {
    'ra-1': { status: 'QUEUED', executionNumber: 3, retryAttempt: 2 },
    'ra-2': { status: 'QUEUED', executionNumber: 2, retryAttempt: 1 },
    'ra-3': { status: 'QUEUED', executionNumber: 1, retryAttempt: 0 },
  };
  for (const [thingName, summary] of Object.entries(expected)) {
    expect(pick(await byThing(thingName, 'retried'))).toEqual(summary);
  }
  for (const pageSize of [250, 1]) {
    const listed = await byJob('retried', pageSize);
    expect(Object.fromEntries(Object.entries(listed).map(([thing, s]) => [thing, pick(s)]))).toEqual(expected);
  }
  // None for a job without retries, nor for an execution written before UpdateJob added them (as ForThing shows it).
  await f.iot.send(new CreateJobCommand({ jobId: 'plain', targets: [thingArn('rb-1')], document: '{}' }));
  expect((await byJob('plain'))['rb-1']).not.toHaveProperty('retryAttempt');
  await f.iot.send(
    new UpdateJobCommand({
      jobId: 'plain',
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
    }),
  );
  expect(await byThing('rb-1', 'plain')).not.toHaveProperty('retryAttempt');
  expect((await byJob('plain'))['rb-1']).not.toHaveProperty('retryAttempt');
});
