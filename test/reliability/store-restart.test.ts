import { CreateJobCommand, DescribeJobCommand, paginateListJobExecutionsForJob } from '@aws-sdk/client-iot';
import { IoTJobsDataPlaneClient, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoExecutionStore } from '../../lambdas/store/executions';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '../../local/dynamodb/dynamodb-local';
import { freePort } from '../../local/free-port';
import { newDataDir } from '../support/data-dir';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';

/**
 * Durability: devices keep updating while DynamoDB dies and comes back on the
 * same data. Every update answered 200 must still be there afterwards; every
 * answer is 200 or ServiceUnavailableException, never a 500, never a hang.
 */
const THINGS = 100;
const UPDATES_PER_THING = 20;
/** Longer than any answer should take: a request still open after this is a hang. */
const ANSWER_TIMEOUT_MS = 10_000;

let dataDir: string;
let port: number;
let dynamo: EmbeddedDynamoDb;
let f: WireFixture;

beforeAll(async () => {
  dataDir = newDataDir('jobs-durability-');
  port = await freePort();
  dynamo = await startEmbeddedDynamoDb({ dataDir, port });
  f = await startWireFixture({ dynamoEndpoint: dynamo.endpoint });
  await f.iot.send(
    new CreateJobCommand({
      jobId: 'j1',
      targets: Array.from({ length: THINGS }, (_, i) => thingArn(`dev-${i}`)),
      document: '{}',
    }),
  );
}, 60_000);

afterAll(async () => {
  await f?.stop();
  await dynamo?.stop();
});

type Answer = 'ok' | 'ServiceUnavailableException' | 'hang' | string;

describe('DynamoDB killed and restarted mid-run', () => {
  it('keeps every update it answered 200, and answers nothing but 200 or 503', async () => {
    const device = new IoTJobsDataPlaneClient({
      ...LOCAL_CLIENT_CONFIG,
      endpoint: f.service.deviceEndpoint,
      requestHandler: new NodeHttpHandler({ requestTimeout: ANSWER_TIMEOUT_MS }),
    });
    const answers: Answer[] = [];
    /** Per thing, the highest step answered 200, and how many were. */
    const confirmed = new Map<string, number>();
    const confirmedCount = new Map<string, number>();
    let killed = false;
    let restarted: Promise<void> | undefined;

    const updateAll = async (thingName: string) => {
      for (let step = 1; step <= UPDATES_PER_THING; step++) {
        const answer: Answer = await device
          .send(
            new UpdateJobExecutionCommand({
              thingName,
              jobId: 'j1',
              status: 'IN_PROGRESS',
              statusDetails: { step: String(step) },
            }),
          )
          .then(
            () => 'ok',
            (error: { name: string }) => (error.name === 'TimeoutError' ? 'hang' : error.name),
          );
        answers.push(answer);
        if (answer === 'ok') {
          confirmed.set(thingName, step);
          confirmedCount.set(thingName, (confirmedCount.get(thingName) ?? 0) + 1);
        }
        // A third of the way in, the store dies; once the service has answered 20 requests without it, it comes back.
        if (!killed && answers.length >= (THINGS * UPDATES_PER_THING) / 3) {
          killed = true;
          await dynamo.stop();
        }
        if (killed && !restarted && answers.filter((a) => a === 'ServiceUnavailableException').length >= 20) {
          restarted = startEmbeddedDynamoDb({ dataDir, port }).then((d) => {
            dynamo = d;
          });
          await restarted;
        }
      }
    };
    await Promise.all(Array.from({ length: THINGS }, (_, i) => updateAll(`dev-${i}`)));
    device.destroy();

    const tally: Record<string, number> = {};
    for (const answer of answers) tally[answer] = (tally[answer] ?? 0) + 1;
    expect(Object.keys(tally).sort()).toEqual(['ServiceUnavailableException', 'ok']);
    expect(tally.ServiceUnavailableException).toBeGreaterThanOrEqual(20);

    const store = createDocumentClient({ endpoint: dynamo.endpoint });
    const repository = new DynamoExecutionStore(store, f.service.tableName);
    for (const [thingName, step] of confirmed) {
      const stored = await repository.get(thingName, 'j1');
      // The last update answered 200 is there, or one sent after it (a 503 may hide a write that landed).
      expect(Number(stored?.statusDetails?.step)).toBeGreaterThanOrEqual(step);
      // Each update answered 200 left its version.
      expect(stored!.versionNumber).toBeGreaterThanOrEqual(1 + confirmedCount.get(thingName)!);
    }
    store.destroy();

    // The job counts pick up where the stream poller left off, and agree with the executions.
    await f.service.countsCaughtUp();
    const { job } = await f.iot.send(new DescribeJobCommand({ jobId: 'j1' }));
    let inProgress = 0;
    for await (const page of paginateListJobExecutionsForJob({ client: f.iot, pageSize: 100 }, { jobId: 'j1' })) {
      inProgress += (page.executionSummaries ?? []).filter(
        (e) => e.jobExecutionSummary?.status === 'IN_PROGRESS',
      ).length;
    }
    expect(job?.jobProcessDetails).toMatchObject({
      numberOfInProgressThings: inProgress,
      numberOfQueuedThings: THINGS - inProgress,
    });
  }, 120_000);
});
