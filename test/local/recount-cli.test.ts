import { execFile } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { CreateJobCommand, DescribeJobCommand, IoTClient } from '@aws-sdk/client-iot';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lambdas/store/table/dynamo-client';
import { type LocalService, startLocalService } from '../../local/local-service';
import { FAILED_BATCHES_FILE, type FailedBatchMessage } from '../../local/stream/failed-batches';
import { newDataDir } from '../support/data-dir';
import { LOCAL_CLIENT_CONFIG, thingArn } from '../support/local-service';

const run = promisify(execFile);
let dataDir: string;
let service: LocalService;
let iot: IoTClient;

/** `npm run recount -- <args>`, as an operator types it; its report lines, parsed. */
async function recount(...args: string[]): Promise<{ reports: Record<string, unknown>[]; stderr: string }> {
  const { stdout, stderr } = await run(
    'npm',
    ['run', '--silent', 'recount', '--', '--data-dir', dataDir, '--settle-seconds', '0', ...args],
    {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  return {
    reports: stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
    stderr,
  };
}

/** Counts gone wrong, as after a batch the aggregator gave up on. */
async function spoil(jobId: string, queued: number): Promise<void> {
  const db = createDocumentClient({ endpoint: service.dynamoEndpoint });
  await db.send(
    new UpdateCommand({
      TableName: service.tableName,
      Key: { pk: `JOB#${jobId}`, sk: 'JOB' },
      UpdateExpression: 'SET count_QUEUED = :n',
      ExpressionAttributeValues: { ':n': queued },
    }),
  );
  db.destroy();
}

const processDetails = async (jobId: string) =>
  (await iot.send(new DescribeJobCommand({ jobId }))).job?.jobProcessDetails;

beforeAll(async () => {
  dataDir = newDataDir('jobs-recount-');
  service = await startLocalService({ dataDir, devicePort: 0, managementPort: 0, implicitThings: true });
  iot = new IoTClient({ ...LOCAL_CLIENT_CONFIG, endpoint: service.managementEndpoint });
}, 120_000);

afterAll(async () => {
  iot?.destroy();
  await service?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run recount', () => {
  it("finds the running runner by its data directory and puts a job's counts right", async () => {
    await iot.send(new CreateJobCommand({ jobId: 'one', targets: ['a', 'b', 'c'].map(thingArn), document: '{}' }));
    expect(await processDetails('one')).toMatchObject({ numberOfQueuedThings: 3 });
    await spoil('one', 9);

    const { reports } = await recount('--job-id', 'one');

    expect(reports).toEqual([
      expect.objectContaining({ jobId: 'one', corrected: true, before: { QUEUED: 9 }, after: { QUEUED: 3 } }),
    ]);
    expect(await processDetails('one')).toMatchObject({ numberOfQueuedThings: 3 });
  });

  it('recounts the jobs of the set-aside batches, read again from the stream, and leaves none set aside', async () => {
    await iot.send(new CreateJobCommand({ jobId: 'two', targets: ['d', 'e'].map(thingArn), document: '{}' }));
    expect(await processDetails('two')).toMatchObject({ numberOfQueuedThings: 2 });
    await spoil('two', 0);
    // A set-aside batch as the runner writes it: the stream range of job two's executions.
    const message = await setAsideBatchOf('two');
    writeFileSync(join(dataDir, FAILED_BATCHES_FILE), `${JSON.stringify(message)}\n`);

    const { reports, stderr } = await recount('--failed-batches');

    expect(reports).toEqual([expect.objectContaining({ jobId: 'two', corrected: true, after: { QUEUED: 2 } })]);
    expect(stderr).toContain('1 job(s) recounted: 1 corrected');
    expect(await processDetails('two')).toMatchObject({ numberOfQueuedThings: 2 });
    // Handled: nothing is left set aside.
    expect(readdirSync(dataDir).filter((name) => name.startsWith(FAILED_BATCHES_FILE))).toEqual([]);
  });

  it('takes along the batches a recount that died part-way left, beside new ones', async () => {
    for (const jobId of ['left', 'new']) {
      await iot.send(new CreateJobCommand({ jobId, targets: [thingArn(`${jobId}-thing`)], document: '{}' }));
      expect(await processDetails(jobId)).toMatchObject({ numberOfQueuedThings: 1 });
      await spoil(jobId, 5);
    }
    writeFileSync(
      join(dataDir, `${FAILED_BATCHES_FILE}.recounting`),
      `${JSON.stringify(await setAsideBatchOf('left'))}\n`,
    );
    writeFileSync(join(dataDir, FAILED_BATCHES_FILE), `${JSON.stringify(await setAsideBatchOf('new'))}\n`);

    const { reports } = await recount('--failed-batches');

    expect(reports.map((r) => r.jobId).sort()).toEqual(['left', 'new']);
    for (const jobId of ['left', 'new']) expect(await processDetails(jobId)).toMatchObject({ numberOfQueuedThings: 1 });
    expect(readdirSync(dataDir).filter((name) => name.startsWith(FAILED_BATCHES_FILE))).toEqual([]);
  });

  it('says what to do when no runner uses the directory', async () => {
    const empty = newDataDir('jobs-recount-none-');
    const failed = await run('npm', ['run', '--silent', 'recount', '--', '--data-dir', empty, '--job-id', 'x']).catch(
      (error: { stderr: string; code: number }) => error,
    );
    rmSync(empty, { recursive: true, force: true });
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining(`No local runner is using ${empty}`) });
  });
});

/** A set-aside batch as the runner writes it: the stream range of one job's executions. */
async function setAsideBatchOf(jobId: string): Promise<FailedBatchMessage> {
  const records = await streamRecordsOf(jobId);
  return {
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: records.shardId,
      streamArn: records.streamArn,
      startSequenceNumber: records.of[0]!.dynamodb!.SequenceNumber!,
      endSequenceNumber: records.of[records.of.length - 1]!.dynamodb!.SequenceNumber!,
      batchSize: records.of.length,
    },
  };
}

/** The records of one job's executions in the runner's stream (one shard locally), from the start. */
async function streamRecordsOf(jobId: string): Promise<{ shardId: string; streamArn: string; of: _Record[] }> {
  const dynamo = new DynamoDBClient({
    endpoint: service.dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const streams = new DynamoDBStreamsClient({
    endpoint: service.dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const streamArn = (await dynamo.send(new DescribeTableCommand({ TableName: service.tableName }))).Table!
    .LatestStreamArn!;
  const shardId = (
    await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))
  ).StreamDescription!.Shards!.at(-1)!.ShardId!;
  let iterator = (
    await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    )
  ).ShardIterator;
  const all: _Record[] = [];
  for (
    let page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    page.Records?.length;
    page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
  ) {
    all.push(...page.Records);
    iterator = page.NextShardIterator;
  }
  dynamo.destroy();
  streams.destroy();
  const isOfJob = (record: _Record) => {
    const image = record.dynamodb?.NewImage;
    return (
      image !== undefined &&
      String(unmarshall(image as Record<string, AttributeValue>).pk).startsWith('THING#') &&
      unmarshall(image as Record<string, AttributeValue>).jobId === jobId
    );
  };
  const first = all.findIndex(isOfJob);
  const last = all.length - 1 - [...all].reverse().findIndex(isOfJob);
  return { shardId, streamArn, of: all.slice(first, last + 1) };
}
