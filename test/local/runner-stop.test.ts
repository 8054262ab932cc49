import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../lambdas/jobs/events/job-events';
import { startWireFixture, thingArn } from '../support/local-service';

/**
 * What a runner's stop does with changes still on the stream: on a data
 * directory it reads them all first (the counts and events are kept with the
 * data); in memory it leaves them, since the store goes with the runner.
 */
async function eventsHeardByStop(store: { dataDir: string } | 'in-memory'): Promise<number> {
  const events: JobEvent[] = [];
  const f = await startWireFixture({
    ownDynamoDb: true,
    ...(store === 'in-memory' ? { inMemory: true } : { inMemory: false, dataDir: store.dataDir }),
    // An hour between polls, and writes that do not wait for the stream: nothing is read off it unless the stop reads
    // it.
    streamPollIntervalMs: 3_600_000,
    settleWrites: false,
    onEvents: (batch) => events.push(...batch),
  });
  try {
    await f.iot.send(new CreateJobCommand({ jobId: 'j1', targets: [thingArn('t1')], document: '{}' }));
    // An execution that ends is an event (and its job's completion another), once the stream is read.
    await f.device.send(new UpdateJobExecutionCommand({ thingName: 't1', jobId: 'j1', status: 'SUCCEEDED' }));
    expect(events).toEqual([]);
  } finally {
    await f.stop();
  }
  return events.length;
}

describe("a runner's stop", () => {
  it('on a data directory, hears every change still on the stream', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'runner-stop-'));
    try {
      expect(await eventsHeardByStop({ dataDir })).toBeGreaterThan(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('in memory, leaves them unread', async () => {
    expect(await eventsHeardByStop('in-memory')).toBe(0);
  });
});
