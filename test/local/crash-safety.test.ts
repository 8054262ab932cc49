import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../local/dynamodb/data-dir-lock';
import { newDataDir } from '../support/data-dir';
import { acrossAKill, startNpm } from '../support/npm-start';
import { within } from '../support/within';

const THINGS = Array.from({ length: 300 }, (_, i) => `crash-${String(i).padStart(3, '0')}`);

/** Each thing's device reports SUCCEEDED, 16 at a time, through the device API. */
async function succeed(device: string, things: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < things.length) {
      const thing = things[next++]!;
      const response = await fetch(`${device}/things/${thing}/jobs/fleet`, {
        method: 'POST',
        body: JSON.stringify({ status: 'SUCCEEDED' }),
      });
      if (response.status !== 200) throw new Error(`${thing}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Executions per status, counted one by one from ListJobExecutionsForJob. */
async function recount(management: string, jobId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let token: string | undefined;
  do {
    const page = (await (
      await fetch(`${management}/jobs/${jobId}/things?maxResults=250${token ? `&nextToken=${token}` : ''}`)
    ).json()) as {
      nextToken?: string;
      executionSummaries: { jobExecutionSummary: { status: string } }[];
    };
    for (const { jobExecutionSummary } of page.executionSummaries)
      counts[jobExecutionSummary.status] = (counts[jobExecutionSummary.status] ?? 0) + 1;
    token = page.nextToken;
  } while (token);
  return counts;
}

describe('a runner killed outright', () => {
  it('loses no count: after a kill -9 mid-run and a restart on the same data, the counts equal a recount and the job completes', async () => {
    await acrossAKill(
      'jobs-counts-',
      async (urls) => {
        const created = await fetch(`${urls.management}/jobs/fleet`, {
          method: 'PUT',
          body: JSON.stringify({
            targets: THINGS.map((t) => `arn:aws:iot:us-east-1:123456789012:thing/${t}`),
            document: '{}',
          }),
        });
        expect(created.status).toBe(200);
        // Killed the instant the last of these updates is answered: what the stream holds is not all counted yet.
        await succeed(urls.device, THINGS.slice(0, 200));
      },
      async (again) => {
        await succeed(again.device, THINGS.slice(200));
        expect(await recount(again.management, 'fleet')).toEqual({ SUCCEEDED: 300 });
        const describeFleetJob = async () =>
          (
            (await (await fetch(`${again.management}/jobs/fleet`)).json()) as {
              job: { status: string; jobProcessDetails: Record<string, number> };
            }
          ).job;
        // Counts are eventually consistent: the restarted runner reads the rest of the stream (and writes its history)
        // first.
        await within(60_000, async () => (await describeFleetJob()).status === 'COMPLETED', 250);
        const job = await describeFleetJob();
        expect(job.jobProcessDetails).toMatchObject({
          numberOfSucceededThings: 300,
          numberOfQueuedThings: 0,
          numberOfInProgressThings: 0,
        });
        expect(job.status).toBe('COMPLETED');
      },
    );
  });

  it('leaves no DynamoDB Local behind, and the data directory to one runner at a time', async () => {
    const dataDir = newDataDir('jobs-crash-');
    const first = startNpm(dataDir);
    try {
      await first.ready;
      const holder = JSON.parse(readFileSync(join(dataDir, 'runner.lock'), 'utf8')) as {
        pid: number;
        storePid: number;
      };
      expect(isAlive(holder.storePid)).toBe(true);

      // A second runner on the same directory while the first runs: refused, naming the first, and no second JVM on the
      // files.
      const second = startNpm(dataDir);
      expect((await second.exit).code).toBe(1);
      expect(second.output()).toContain(`Another local runner (pid ${holder.pid}`);

      process.kill(holder.pid, 'SIGKILL');
      expect(await within(5000, () => !isAlive(holder.storePid))).toBe(true);
      first.killGroup();

      // The next runner takes the directory over, and serves.
      const third = startNpm(dataDir);
      const urls = await third.ready;
      expect((await fetch(`${urls.device}/things/t1/jobs`)).status).toBe(200);
      third.interrupt();
      expect(await third.exited).toBe(true);
    } finally {
      first.killGroup();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
