import { CreateJobCommand } from '@aws-sdk/client-iot';
import {
  DescribeJobExecutionCommand,
  GetPendingJobExecutionsCommand,
  StartNextPendingJobExecutionCommand,
  UpdateJobExecutionCommand,
} from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * Load hold: the local runner under sustained concurrency keeps serving
 * without an error, and its memory does not grow without bound. Bounded by a
 * request count, not by time; the RSS at start and end is reported.
 */
const DEVICES = 50;
const ROUNDS = 20; // each round: pending, start, describe, update: 4,000 requests in all
const MAX_RSS_GROWTH_MB = 200;

let f: WireFixture;
beforeAll(async () => {
  // On a DynamoDB Local of its own: what the rest of the run stored in the shared one must not set its pace.
  f = await startWireFixture({ ownDynamoDb: true });
  for (let job = 0; job < ROUNDS; job++) {
    await f.iot.send(
      new CreateJobCommand({
        jobId: `load-${job}`,
        targets: Array.from({ length: DEVICES }, (_, i) => thingArn(`load-${i}`)),
        document: '{}',
      }),
    );
  }
}, 120_000);
afterAll(() => f?.stop());

describe('load hold', () => {
  it('serves 4,000 device requests from 50 devices at once with no error, and memory stays bounded', async () => {
    const rssBefore = process.memoryUsage().rss;
    const errors: string[] = [];
    const device = async (thingName: string) => {
      for (let round = 0; round < ROUNDS; round++) {
        try {
          await f.device.send(new GetPendingJobExecutionsCommand({ thingName }));
          const { execution } = await f.device.send(
            new StartNextPendingJobExecutionCommand({ thingName, stepTimeoutInMinutes: 10 }),
          );
          await f.device.send(
            new DescribeJobExecutionCommand({ thingName, jobId: execution!.jobId!, includeJobDocument: false }),
          );
          await f.device.send(
            new UpdateJobExecutionCommand({
              thingName,
              jobId: execution!.jobId!,
              status: 'SUCCEEDED',
              expectedVersion: execution!.versionNumber!,
            }),
          );
        } catch (error) {
          errors.push(`${thingName}: ${(error as Error).name} ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: DEVICES }, (_, i) => device(`load-${i}`)));
    const rssAfter = process.memoryUsage().rss;
    console.info(
      JSON.stringify({
        rssStartMb: Math.round(rssBefore / 2 ** 20),
        rssEndMb: Math.round(rssAfter / 2 ** 20),
        requests: DEVICES * ROUNDS * 4,
      }),
    );

    expect(errors).toEqual([]);
    // Every device finished every job: nothing pending anywhere.
    const pending = await f.device.send(new GetPendingJobExecutionsCommand({ thingName: 'load-0' }));
    expect([...(pending.inProgressJobs ?? []), ...(pending.queuedJobs ?? [])]).toEqual([]);
    expect((rssAfter - rssBefore) / 2 ** 20).toBeLessThan(MAX_RSS_GROWTH_MB);
  }, 180_000);
});
