import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { seedGroupFleet, thingNames } from '../../bench/fan-out/group-fleet';
import { thingNameOfArn } from '../../lambdas/jobs/shared/arns';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { acrossAKill } from '../support/npm-start';
import { within } from '../support/within';

/**
 * The request's own 500, then the worker's pages of 2,000, 2,000 and 500: killed once the worker has added its first
 * page and is writing it, the runner leaves a page written in part to recover and two never started, the branches the
 * 10,000 things this used before took (heavy sizes are `npm run bench -- --fan-out`'s).
 */
const FLEET = thingNames('fleet', 5000);
/** Targets taken on (its work record's targetCount) when the runner is killed: the worker's first page is added. */
const KILL_AT = 2500;
const GROUP_ARN = 'arn:aws:iot:us-east-1:123456789012:thinggroup/fleet';

type Summary = {
  thingArn: string;
  jobExecutionSummary: { status: string; executionNumber: number; versionNumber?: number };
};

/** Every execution of the job, from ListJobExecutionsForJob, page by page. */
async function listAll(management: string, jobId: string): Promise<Summary[]> {
  const all: Summary[] = [];
  let token: string | undefined;
  do {
    const page = (await (
      await fetch(
        `${management}/jobs/${jobId}/things?maxResults=250${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`,
      )
    ).json()) as {
      nextToken?: string;
      executionSummaries: Summary[];
    };
    all.push(...page.executionSummaries);
    token = page.nextToken;
  } while (token);
  return all;
}

const describeJob = async (management: string, jobId: string) =>
  (
    (await (await fetch(`${management}/jobs/${jobId}`)).json()) as {
      job: { status: string; jobProcessDetails: Record<string, unknown> };
    }
  ).job;

/** The job's work record, read straight from the runner's DynamoDB Local. */
const workOf = async (db: DynamoDBDocumentClient, tableName: string) =>
  (await db.send(new GetCommand({ TableName: tableName, Key: { pk: 'JOB#big', sk: 'WORK' } }))).Item;

describe('the fan-out worker killed part-way', () => {
  it('resumes after a restart on the same data: every one of 5,000 targets gets exactly one execution, and none a device started is reset', async () => {
    await acrossAKill(
      'jobs-fan-out-',
      async (urls, holder) => {
        const db = createDocumentClient({ endpoint: holder.storeEndpoint });
        await seedGroupFleet(db, holder.tableName, [{ name: 'fleet', things: FLEET }], Date.now() - 1000);
        const created = await fetch(`${urls.management}/jobs/big`, {
          method: 'PUT',
          body: JSON.stringify({ targets: [GROUP_ARN], document: '{}' }),
        });
        expect(created.status).toBe(200);
        // A device whose execution came with the request's own part starts it.
        const started = await fetch(`${urls.device}/things/${FLEET[0]}/jobs/$next`, {
          method: 'PUT',
          body: JSON.stringify({ statusDetails: { step: 'download' } }),
        });
        expect(((await started.json()) as { execution: { versionNumber: number } }).execution.versionNumber).toBe(2);
        // Killed once the worker is well into it, and before it is done (watched in its work record: cheaper than
        // listing 5,000 executions).
        expect(
          await within(
            60_000,
            async () => ((await workOf(db, holder.tableName))?.targetCount as number) >= KILL_AT,
            50,
          ),
        ).toBe(true);
        expect((await workOf(db, holder.tableName))?.fanOutDone).toBe(false);
        db.destroy();
        return holder.tableName;
      },
      async (again, tableName) => {
        const db = createDocumentClient({ endpoint: again.dynamo });
        expect(await within(120_000, async () => (await workOf(db, tableName))?.fanOutDone === true, 200)).toBe(true);
        db.destroy();
        expect((await describeJob(again.management, 'big')).jobProcessDetails.processingTargets).toBeUndefined();

        const executions = await listAll(again.management, 'big');
        const things = executions.map((e) => thingNameOfArn(e.thingArn));
        expect(new Set(things).size).toBe(FLEET.length);
        expect(things.length).toBe(FLEET.length);
        const states = new Map<string, number>();
        for (const { jobExecutionSummary: s } of executions)
          states.set(`${s.status} #${s.executionNumber}`, (states.get(`${s.status} #${s.executionNumber}`) ?? 0) + 1);
        expect(Object.fromEntries(states)).toEqual({ 'QUEUED #1': FLEET.length - 1, 'IN_PROGRESS #1': 1 });
        const mine = (await (await fetch(`${again.management}/things/${FLEET[0]}/jobs/big`)).json()) as {
          execution: { status: string; versionNumber: number; statusDetails: { detailsMap: Record<string, string> } };
        };
        expect(mine.execution).toMatchObject({
          status: 'IN_PROGRESS',
          versionNumber: 2,
          statusDetails: { detailsMap: { step: 'download' } },
        });
        // The counts follow the executions, each counted once across the crash: once the stream is read (5,000
        // changes, and their history), no more and no less.
        const counted = () => describeJob(again.management, 'big').then((job) => job.jobProcessDetails);
        await within(120_000, async () => (await counted()).numberOfQueuedThings === FLEET.length - 1, 500);
        expect(await counted()).toMatchObject({ numberOfQueuedThings: FLEET.length - 1, numberOfInProgressThings: 1 });
      },
    );
  }, 420_000);
});
