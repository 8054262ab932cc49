import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { CancelJobExecutionCommand, CreateJobCommand } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogLine } from '../../lambdas/api/http/request-log';
import { buildServices } from '../../lambdas/runtime';
import { LOCAL_CLIENT_CONFIG, startWireFixture, thingArn, type WireFixture } from '../support/local-service';
import { within } from '../support/within';

/**
 * Execution history on DynamoDB Local, read off the table's stream: a
 * device's whole life (start, two progress updates, the step timer running
 * out under the controllable clock) and an operator's cancel of another
 * execution give exactly these entries, in order, with who made each; the
 * stream read again from its start adds none.
 */
let f: WireFixture;
const run = promisify(execFile);
const requestLog: RequestLogLine[] = [];

beforeAll(async () => {
  f = await startWireFixture({ controllableClock: true, logRequests: (line) => requestLog.push(line) });
});

afterAll(async () => {
  await f?.stop();
});

interface HistoryPage {
  history: {
    event: string;
    status: string;
    previousStatus?: string;
    versionNumber: number;
    executionNumber: number;
    at: number;
    statusDetails?: Record<string, string>;
    actor: Record<string, unknown>;
  }[];
  nextToken?: string;
}

/** Our extension of the management API (no SDK knows it): GET /history/things/{thingName}. */
async function history(
  thingName: string,
  query: Record<string, string> = {},
): Promise<{ status: number; body: HistoryPage & { message?: string } }> {
  const response = await fetch(
    `${f.service.managementEndpoint}/history/things/${thingName}?${new URLSearchParams(query)}`,
  );
  return { status: response.status, body: (await response.json()) as HistoryPage & { message?: string } };
}

async function advance(seconds: number): Promise<void> {
  const response = await fetch(`${f.service.managementEndpoint}/_local/clock/advance`, {
    method: 'POST',
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
}

/** Every record of the table's stream, from its start (what a replayed batch, or a reader started over, gets). */
async function wholeStream(): Promise<_Record[]> {
  const db = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.dynamoEndpoint });
  const streams = new DynamoDBStreamsClient({ ...LOCAL_CLIENT_CONFIG, endpoint: f.service.dynamoEndpoint });
  try {
    const table = await db.send(new DescribeTableCommand({ TableName: f.service.tableName }));
    const stream = await streams.send(new DescribeStreamCommand({ StreamArn: table.Table!.LatestStreamArn! }));
    const records: _Record[] = [];
    for (const shard of stream.StreamDescription!.Shards ?? []) {
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: table.Table!.LatestStreamArn!,
            ShardId: shard.ShardId!,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []));
        // An open shard hands out an empty page (and a next iterator) once it is read to its end.
        iterator = page.Records?.length ? page.NextShardIterator : undefined;
      }
    }
    return records;
  } finally {
    db.destroy();
    streams.destroy();
  }
}

const summary = (page: HistoryPage) =>
  page.history.map(
    (entry) =>
      `${entry.versionNumber} ${entry.event} ${entry.status} by ${entry.actor.kind}${entry.actor.timer ? ` (${entry.actor.timer} timer)` : ''}`,
  );

describe('execution history, from the stream (DynamoDB Local)', () => {
  let startRequestId: string | undefined;
  let cancelRequestId: string | undefined;
  let createRequestId: string | undefined;
  let created: number;

  beforeAll(async () => {
    created = f.service.clock!.now();
    createRequestId = (
      await f.iot.send(
        new CreateJobCommand({ jobId: 'hist', targets: [thingArn('hist-1'), thingArn('hist-2')], document: '{"v":1}' }),
      )
    ).$metadata.requestId;
    const started = await f.device.send(
      new StartNextPendingJobExecutionCommand({
        thingName: 'hist-1',
        stepTimeoutInMinutes: 5,
        statusDetails: { step: 'begin' },
      }),
    );
    startRequestId = started.$metadata.requestId;
    await f.device.send(
      new UpdateJobExecutionCommand({
        thingName: 'hist-1',
        jobId: 'hist',
        status: 'IN_PROGRESS',
        statusDetails: { step: 'download' },
        stepTimeoutInMinutes: 5,
      }),
    );
    await f.device.send(
      new UpdateJobExecutionCommand({
        thingName: 'hist-1',
        jobId: 'hist',
        status: 'IN_PROGRESS',
        statusDetails: { step: 'install' },
        stepTimeoutInMinutes: 5,
      }),
    );
    const canceled = await f.iot.send(
      new CancelJobExecutionCommand({ thingName: 'hist-2', jobId: 'hist', statusDetails: { why: 'recalled' } }),
    );
    cancelRequestId = canceled.$metadata.requestId;
    // The aggregator reads the stream on its own: wait until it has counted the cancel, so the
    // counts before the advance are a point of their own (a slow reader could see everything in
    // one batch after it, and write one point).
    const countedCancel = await within(
      30_000,
      async () => {
        const { points } = (await (await fetch(`${f.service.managementEndpoint}/history/jobs/hist`)).json()) as {
          points: { numberOfCanceledThings?: number }[];
        };
        return points[0]?.numberOfCanceledThings === 1;
      },
      50,
    );
    expect(countedCancel).toBe(true);
    // The step timer of the last update runs out.
    await advance(6 * 60);
  });

  it("a device's life: created, started, two progress updates, timed out by its step timer", async () => {
    const { status, body } = await history('hist-1', { jobId: 'hist' });
    expect(status).toBe(200);
    expect(summary(body)).toEqual([
      '1 CREATED QUEUED by operator',
      '2 STARTED IN_PROGRESS by device',
      '3 PROGRESS IN_PROGRESS by device',
      '4 PROGRESS IN_PROGRESS by device',
      '5 TIMED_OUT TIMED_OUT by timer (step timer)',
    ]);
    const [creation, start, download, install, timeout] = body.history;
    expect(creation!.executionNumber).toBe(1);
    // CreateJob's own time, in the management API's seconds with fractions.
    expect(creation!.at).toBeGreaterThanOrEqual(created / 1000);
    expect(creation!.at).toBeLessThan(start!.at);
    expect(creation!.previousStatus).toBeUndefined();
    // Written by the fan-out, for the operator whose CreateJob asked for it.
    expect(creation!.actor).toEqual({ kind: 'operator', name: 'local', requestId: createRequestId });
    expect(start).toMatchObject({
      previousStatus: 'QUEUED',
      statusDetails: { step: 'begin' },
      actor: { kind: 'device', name: 'hist-1', requestId: startRequestId },
    });
    expect(download).toMatchObject({ previousStatus: 'IN_PROGRESS', statusDetails: { step: 'download' } });
    expect(install!.statusDetails).toEqual({ step: 'install' });
    expect(install!.actor.requestId).not.toBe(download!.actor.requestId);
    // It timed out at its deadline: five minutes after the last update.
    expect(timeout!.at).toBeCloseTo(install!.at + 5 * 60, 3);
    expect(timeout).toMatchObject({ previousStatus: 'IN_PROGRESS', actor: { kind: 'timer', timer: 'step' } });
  });

  it("an operator's cancel of another execution names the operator, its request and no force", async () => {
    const { body } = await history('hist-2', { jobId: 'hist' });
    expect(summary(body)).toEqual(['1 CREATED QUEUED by operator', '2 CANCELED CANCELED by operator']);
    expect(body.history[1]).toMatchObject({
      previousStatus: 'QUEUED',
      statusDetails: { why: 'recalled' },
      actor: { kind: 'operator', name: 'local', requestId: cancelRequestId },
    });
    expect(body.history[1]!.actor.force).toBeUndefined();
  });

  it('pages through a long history with nextToken, and refuses a token of another list', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const { body } = await history('hist-1', { maxResults: '2', ...(nextToken ? { nextToken } : {}) });
      seen.push(...body.history.map((entry) => entry.event));
      nextToken = body.nextToken;
      pages++;
    } while (nextToken && pages < 10);
    expect(seen).toEqual(['CREATED', 'STARTED', 'PROGRESS', 'PROGRESS', 'TIMED_OUT']);
    // 2, 2 and 1, and no empty page after: the last page has no nextToken, as AWS's lists.
    expect(pages).toBe(3);
    const whole = await history('hist-1', { maxResults: '5' });
    expect([whole.body.history.length, whole.body.nextToken]).toEqual([5, undefined]);
    const first = await history('hist-1', { maxResults: '2' });
    const wrong = await history('hist-2', { nextToken: first.body.nextToken! });
    expect(wrong.status).toBe(400);
  });

  it('answers bad input with a clear error, and a thing without history with none', async () => {
    expect((await history('hist-1', { maxResults: '0' })).status).toBe(400);
    const badJob = await history('hist-1', { jobId: 'no spaces' });
    expect(badJob.status).toBe(400);
    expect(badJob.body.message).toContain('jobId');
    expect((await history('nobody')).body).toEqual({ history: [] });
  });

  it('npm run history prints the same entries, as JSON lines or a table', async () => {
    const { stdout } = await run(
      'npm',
      [
        'run',
        '--silent',
        'history',
        '--',
        '--thing',
        'hist-1',
        '--job-id',
        'hist',
        '--json',
        '--management-url',
        f.service.managementEndpoint,
      ],
      { timeout: 60_000 },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string });
    expect(lines.map((entry) => entry.event)).toEqual(['CREATED', 'STARTED', 'PROGRESS', 'PROGRESS', 'TIMED_OUT']);
    const { stdout: text } = await run(
      'npm',
      ['run', '--silent', 'history', '--', '--thing', 'hist-1', '--management-url', f.service.managementEndpoint],
      { timeout: 60_000 },
    );
    expect(text).toMatch(/^time\s+job\s+exec\s+version\s+event\s+by/);
    expect(text).toMatch(/TIMED_OUT\s+timer step timer/);
  });

  it("the runner's request log (--log-requests) has a line for each of those requests, with the ID the client got", () => {
    const start = requestLog.find((line) => line.requestId === startRequestId);
    expect(start).toMatchObject({ operation: 'StartNextPendingJobExecution', thingName: 'hist-1', status: 200 });
    expect(start!.latencyMs).toBeGreaterThan(0);
    expect(requestLog.find((line) => line.requestId === cancelRequestId)).toMatchObject({
      operation: 'CancelJobExecution',
      thingName: 'hist-2',
      jobId: 'hist',
      status: 200,
    });
  });

  it("the job's counts over time (GET /history/jobs/{jobId}): newest first, ending at DescribeJob's counts", async () => {
    const response = await fetch(`${f.service.managementEndpoint}/history/jobs/hist`);
    expect(response.status).toBe(200);
    const { points } = (await response.json()) as { points: ({ at: number } & Record<string, number>)[] };
    const counts = (point: Record<string, number>) =>
      Object.fromEntries(Object.entries(point).filter(([name, n]) => name !== 'at' && n > 0));
    expect(counts(points[0]!)).toEqual({ numberOfCanceledThings: 1, numberOfTimedOutThings: 1 });
    // One point per second of the controllable clock: the counts before the 6-minute advance (waited for above), and
    // after it. Every point counts both executions.
    expect(points.length).toBeGreaterThanOrEqual(2);
    for (const point of points) expect(Object.values(counts(point)).reduce((sum, n) => sum + n, 0)).toBe(2);
    expect(points[0]!.at - points.at(-1)!.at).toBeGreaterThanOrEqual(5 * 60);
    for (let i = 1; i < points.length; i++) expect(points[i]!.at).toBeLessThan(points[i - 1]!.at);
    expect(points.at(-1)!.at).toBeGreaterThanOrEqual(created / 1000);
  });

  it('the counts over time of a job that does not exist: 404; bad paging: 400', async () => {
    const missing = await fetch(`${f.service.managementEndpoint}/history/jobs/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain('nope');
    expect((await fetch(`${f.service.managementEndpoint}/history/jobs/hist?maxResults=0`)).status).toBe(400);
  });

  it('the stream read again from its start adds no entry, and no counts point', async () => {
    const points = async () =>
      (await (await fetch(`${f.service.managementEndpoint}/history/jobs/hist`)).json()) as unknown;
    const pointsBefore = await points();
    const before = [(await history('hist-1')).body.history, (await history('hist-2')).body.history];
    const records = await wholeStream();
    expect(records.length).toBeGreaterThan(7);
    const replay = buildServices({
      tableName: f.service.tableName,
      dynamoEndpoint: f.service.dynamoEndpoint,
      region: 'us-east-1',
      account: '123456789012',
      partition: 'aws',
      clock: Date.now,
    });
    try {
      // Twice, as one batch and again record by record (a reader split and retried).
      await replay.recordHistory(records as never);
      for (const record of records) await replay.recordHistory([record] as never);
      await replay.aggregateCounts(records as never);
    } finally {
      replay.dispose();
    }
    expect([(await history('hist-1')).body.history, (await history('hist-2')).body.history]).toEqual(before);
    expect(await points()).toEqual(pointsBefore);
  });
});
