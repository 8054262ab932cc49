import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedGroupFleet, thingNames } from '../../bench/group-fleet';
import { isAlive } from '../../local/data-dir-lock';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { startNpm } from '../support/npm-start';
import { within } from '../support/within';

const FLEET = thingNames('fleet', 20_000);
const GROUP_ARN = 'arn:aws:iot:us-east-1:123456789012:thinggroup/fleet';

type Summary = { thingArn: string; jobExecutionSummary: { status: string; executionNumber: number; versionNumber?: number } };

/** Every execution of the job, from ListJobExecutionsForJob, page by page. */
async function listAll(management: string, jobId: string): Promise<Summary[]> {
  const all: Summary[] = [];
  let token: string | undefined;
  do {
    const page = (await (await fetch(`${management}/jobs/${jobId}/things?maxResults=250${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`)).json()) as {
      nextToken?: string;
      executionSummaries: Summary[];
    };
    all.push(...page.executionSummaries);
    token = page.nextToken;
  } while (token);
  return all;
}

const describeJob = async (management: string, jobId: string) =>
  ((await (await fetch(`${management}/jobs/${jobId}`)).json()) as { job: { status: string; jobProcessDetails: Record<string, unknown> } }).job;

describe('the fan-out worker killed part-way', () => {
  it('resumes after a restart on the same data: every one of 20,000 targets gets exactly one execution, and none a device started is reset', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobs-fan-out-'));
    const first = startNpm(dataDir);
    let second: ReturnType<typeof startNpm> | undefined;
    try {
      const urls = await first.ready;
      const holder = JSON.parse(readFileSync(join(dataDir, 'runner.lock'), 'utf8')) as { pid: number; storePid: number; storeEndpoint: string; tableName: string };
      const db = createDocumentClient({ endpoint: holder.storeEndpoint });
      await seedGroupFleet(db, holder.tableName, [{ name: 'fleet', things: FLEET }], Date.now() - 1000);
      // Where the fan-out stands, read from its work record (cheaper to watch than listing 20,000 executions).
      const work = async () => (await db.send(new GetCommand({ TableName: holder.tableName, Key: { pk: 'JOB#big', sk: 'WORK' } }))).Item;

      const created = await fetch(`${urls.management}/jobs/big`, { method: 'PUT', body: JSON.stringify({ targets: [GROUP_ARN], document: '{}' }) });
      expect(created.status).toBe(200);
      // A device whose execution came with the request's own part starts it.
      const started = await fetch(`${urls.device}/things/${FLEET[0]}/jobs/$next`, { method: 'PUT', body: JSON.stringify({ statusDetails: { step: 'download' } }) });
      expect(((await started.json()) as { execution: { versionNumber: number } }).execution.versionNumber).toBe(2);
      // Killed once the worker is well into it, and before it is done.
      expect(await within(60_000, async () => ((await work())?.targetCount as number) >= 4000, 50)).toBe(true);
      const atKill = (await work())!;
      process.kill(holder.pid, 'SIGKILL');
      db.destroy();
      expect(atKill.fanOutDone).toBe(false);
      expect(await within(5000, () => !isAlive(holder.storePid))).toBe(true);
      first.killGroup();

      second = startNpm(dataDir);
      const again = await second.ready;
      const restarted = createDocumentClient({ endpoint: again.dynamo });
      expect(await within(120_000, async () => (await restarted.send(new GetCommand({ TableName: holder.tableName, Key: { pk: 'JOB#big', sk: 'WORK' } }))).Item?.fanOutDone === true, 200)).toBe(true);
      restarted.destroy();
      expect((await describeJob(again.management, 'big')).jobProcessDetails.processingTargets).toBeUndefined();

      const executions = await listAll(again.management, 'big');
      const things = executions.map((e) => e.thingArn.slice(e.thingArn.indexOf('thing/') + 'thing/'.length));
      expect(new Set(things).size).toBe(FLEET.length);
      expect(things.length).toBe(FLEET.length);
      const states = new Map<string, number>();
      for (const { jobExecutionSummary: s } of executions) states.set(`${s.status} #${s.executionNumber}`, (states.get(`${s.status} #${s.executionNumber}`) ?? 0) + 1);
      expect(Object.fromEntries(states)).toEqual({ 'QUEUED #1': FLEET.length - 1, 'IN_PROGRESS #1': 1 });
      const mine = (await (await fetch(`${again.management}/things/${FLEET[0]}/jobs/big`)).json()) as { execution: { status: string; versionNumber: number; statusDetails: { detailsMap: Record<string, string> } } };
      expect(mine.execution).toMatchObject({ status: 'IN_PROGRESS', versionNumber: 2, statusDetails: { detailsMap: { step: 'download' } } });
      // The counts follow the executions, each counted once across the crash.
      expect((await describeJob(again.management, 'big')).jobProcessDetails).toMatchObject({ numberOfQueuedThings: FLEET.length - 1, numberOfInProgressThings: 1 });
      second.interrupt();
      expect(await second.exited).toBe(true);
    } finally {
      first.killGroup();
      second?.killGroup();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 420_000);
});
