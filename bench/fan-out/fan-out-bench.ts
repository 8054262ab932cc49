import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newExecution } from '../../lambdas/jobs/management/job';
import { thingGroupArn } from '../../lambdas/jobs/shared/arns';
import { DEFAULT_ARN_CONTEXT } from '../../lambdas/runtime';
import { fanOutPuts } from '../../lambdas/store/execution-writes';
import { createDocumentClient } from '../../lambdas/store/table/dynamo-client';
import { keys } from '../../lambdas/store/table/keys';
import { TableAccess } from '../../lambdas/store/table/table-access';
import { startLocalService } from '../../local/local-service';
import { type CallMeter, meterDynamoCalls } from '../meters/call-meter';
import { threadCpuMs } from '../meters/process-cpu';
import { type FanOutResults, fanOutResults } from './fan-out-results';
import { seedGroupFleet, thingNames } from './group-fleet';
import { countExecutions, FLOOR_CONCURRENCY, floorJobOf } from './straight-to-dynamodb';

export interface FanOutBenchOptions {
  things: number;
  outDir: string;
  /**
   * A CONTINUOUS job instead of a snapshot: its fan-out writes each execution only where none is (conditional puts, 100
   * to a transaction), as it must beside the membership reactor.
   */
  continuous?: boolean;
}

/** DynamoDB Local's storage thread: every read and write of its SQLite store runs on it, one at a time. */
const STORAGE_THREAD = 'SQLiteQueue';

/** The things of the warm-up job, in a group of their own (fewer in a smaller run). */
const WARM_UP_THINGS = 2_000;

const since = (before: number | undefined, after: number | undefined) =>
  before === undefined || after === undefined ? undefined : after - before;

/**
 * A job for one group of `things` things on the local runner (in-memory
 * DynamoDB Local): CreateJob's answer time over HTTP, the fan-out's
 * throughput against the floor of the same BatchWriteItem calls sent
 * straight to DynamoDB Local, then the cancel and delete cascades.
 */
export async function runFanOutBench(
  options: FanOutBenchOptions,
  progress: (line: string) => void,
): Promise<FanOutResults> {
  let meter: CallMeter | undefined;
  const service = await startLocalService({
    inMemory: true,
    tableName: 'bench-fan-out',
    // The counts are the aggregator's, off to the side in AWS: idle here, so every call counted is the fan-out's.
    streamPollIntervalMs: 3_600_000,
    // Nor does a write wait for it: the runner's own bookkeeping, not the service's.
    settleWrites: false,
    observeDynamoClient: (client) => (meter = meterDynamoCalls(client)),
  });
  try {
    const fleet = thingNames('bench-thing', options.things);
    const floorThings = thingNames('bench-floor', options.things);
    const storageMs = () => threadCpuMs(service.dynamoProcessId, STORAGE_THREAD);
    const warmUpThings = Math.min(WARM_UP_THINGS, options.things);
    progress(
      `seeding ${options.things} registered things in one thing group, and ${warmUpThings} in another for a warm-up job`,
    );
    const seeder = createDocumentClient({ endpoint: service.dynamoEndpoint });
    // Metered as the service's client is (each request asks for its consumed capacity), so both sides send the same
    // requests.
    const floorMeter = meterDynamoCalls(seeder);
    await seedGroupFleet(
      seeder,
      service.tableName,
      [
        { name: 'bench-fleet', things: fleet },
        { name: 'bench-warm-fleet', things: thingNames('bench-warm-thing', warmUpThings) },
      ],
      Date.now() - 60_000,
    );

    // DynamoDB Local's JVM compiles its hot paths over the first tens of thousands of writes: warm it up before either
    // side is timed.
    progress('warming DynamoDB Local up');
    const warmJob = { ...floorJobOf('bench-warm-up') };
    const warm = thingNames('bench-warm', Math.min(20_000, options.things));
    await new TableAccess(seeder, service.tableName).batchWrite(
      fanOutPuts(warm.map((thing) => newExecution(warmJob, thing))),
      FLOOR_CONCURRENCY,
    );
    await new TableAccess(seeder, service.tableName).batchWrite(
      warm.map((thing) => ({ DeleteRequest: { Key: keys.execution(thing, warmJob.jobId) } })),
      FLOOR_CONCURRENCY,
    );
    // The service's side warm too, as a service that has been up a while is: a small job through the API, fanned out,
    // then deleted.
    progress(`warming the service up: a job for ${warmUpThings} things, fanned out, then deleted`);
    await ok(
      fetch(`${service.managementEndpoint}/jobs/bench-warm-up`, {
        method: 'PUT',
        body: JSON.stringify({ targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, 'bench-warm-fleet')], document: '{}' }),
      }),
    );
    await service.workDone();
    await ok(fetch(`${service.managementEndpoint}/jobs/bench-warm-up?force=true`, { method: 'DELETE' }));
    await service.workDone();

    progress('CreateJob for the group, then the fan-out to its end');
    meter!.reset();
    const fanOutStorageBefore = storageMs();
    const fanOutStart = performance.now();
    const created = await fetch(`${service.managementEndpoint}/jobs/bench-fan-out`, {
      method: 'PUT',
      body: JSON.stringify({
        targets: [thingGroupArn(DEFAULT_ARN_CONTEXT, 'bench-fleet')],
        document: '{"firmware":"2.0"}',
        ...(options.continuous ? { targetSelection: 'CONTINUOUS' } : {}),
      }),
    });
    const createJobAnswerMs = performance.now() - fanOutStart;
    if (created.status !== 200) throw new Error(`CreateJob answered ${created.status}: ${await created.text()}`);
    await service.workDone();
    const fanOutMs = performance.now() - fanOutStart;
    const fanOutStorageMs = since(fanOutStorageBefore, storageMs());
    const fanOutCalls = meter!.snapshot().calls;
    const written = await countExecutions(seeder, service.tableName, 'bench-fan-out');
    if (written !== options.things) throw new Error(`the fan-out wrote ${written} executions, not ${options.things}`);

    progress('CancelJob, and its cascade to its end');
    meter!.reset();
    const cancelStart = performance.now();
    await ok(fetch(`${service.managementEndpoint}/jobs/bench-fan-out/cancel`, { method: 'PUT', body: '{}' }));
    await service.workDone();
    const cancelMs = performance.now() - cancelStart;
    const cancelCalls = meter!.snapshot().calls;

    progress('DeleteJob, and its cascade to its end');
    meter!.reset();
    const deleteStart = performance.now();
    await ok(fetch(`${service.managementEndpoint}/jobs/bench-fan-out`, { method: 'DELETE' }));
    await service.workDone();
    const deleteMs = performance.now() - deleteStart;
    const deleteCalls = meter!.snapshot().calls;
    // GetJobDocument, not DescribeJob: the local DescribeJob first counts every change on the stream (minutes, at this
    // size).
    if ((await fetch(`${service.managementEndpoint}/jobs/bench-fan-out/job-document`)).status !== 404)
      throw new Error('the job is still there after its delete cascade');
    if ((await countExecutions(seeder, service.tableName, 'bench-fan-out')) !== 0)
      throw new Error('executions are left after the delete cascade');

    // Last, on a table the size the fan-out met (its executions are deleted again).
    progress(
      `floor: ${options.things} executions in BatchWriteItem calls of 25, ${FLOOR_CONCURRENCY} in flight, straight to DynamoDB Local`,
    );
    const floorJob = floorJobOf('bench-floor');
    floorMeter.reset();
    const floorStorageBefore = storageMs();
    const floorStart = performance.now();
    await new TableAccess(seeder, service.tableName).batchWrite(
      fanOutPuts(floorThings.map((thing) => newExecution(floorJob, thing))),
      FLOOR_CONCURRENCY,
    );
    const floorMs = performance.now() - floorStart;
    const floorStorageMs = since(floorStorageBefore, storageMs());
    const floorCalls = floorMeter.snapshot().calls;
    seeder.destroy();

    const results = fanOutResults(options, {
      createJobAnswerMs,
      fanOutMs,
      fanOutStorageMs,
      fanOutCalls,
      cancelMs,
      cancelCalls,
      deleteMs,
      deleteCalls,
      floorMs,
      floorStorageMs,
      floorCalls,
    });
    mkdirSync(options.outDir, { recursive: true });
    const name = options.continuous ? 'fan-out-continuous' : 'fan-out';
    writeFileSync(join(options.outDir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(options.outDir, `${name}.md`), renderFanOut(results));
    return results;
  } finally {
    await service.stop();
  }
}

async function ok(response: Promise<Response>): Promise<void> {
  const answer = await response;
  if (answer.status !== 200) throw new Error(`${answer.url} answered ${answer.status}: ${await answer.text()}`);
}

export function renderFanOut(r: FanOutResults): string {
  const calls = Object.entries(r.fanOutCalls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  return `# Fan-out benchmark

\`npm run bench -- --fan-out${r.targetSelection === 'CONTINUOUS' ? ' --continuous' : ''}\`, ${r.generatedAt}, ${r.machine.cpus} CPUs, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}: one ${r.targetSelection === 'CONTINUOUS' ? 'continuous ' : ''}job for a thing group of ${r.things.toLocaleString('en')} things, on the local runner (in-memory DynamoDB Local).

| | |
|---|---|
| CreateJob's answer | ${r.createJobAnswerMs} ms |
| fan-out, CreateJob sent to the last execution written | ${r.fanOut.seconds} s, ${r.fanOut.executionsPerSecond} executions/s |
| floor: the same BatchWriteItem calls straight to DynamoDB Local | ${r.floor.seconds} s, ${r.floor.executionsPerSecond} executions/s |
| fan-out / floor | ${r.floorRatio} |
${
  r.storageThread
    ? `| DynamoDB Local's storage thread (CPU): fan-out, floor, floor / fan-out | ${r.storageThread.fanOutSeconds} s, ${r.storageThread.floorSeconds} s, ${r.storageThread.ratio} |\n`
    : ''
}| cancel cascade (CancelJob to the last execution CANCELED) | ${r.cancelCascadeSeconds} s |
| delete cascade (DeleteJob to the job gone) | ${r.deleteCascadeSeconds} s |
| DynamoDB calls per target: fan-out (floor), cancel, delete | ${r.callsPerTarget} (${r.floorCallsPerTarget}), ${r.cancelCallsPerTarget}, ${r.deleteCallsPerTarget} |

Fan-out calls: ${calls}.

${r.shortfalls.length ? `Short of the goals:\n\n${r.shortfalls.map((s) => `- ${s}`).join('\n')}\n` : 'Every goal met (CreateJob under 1 s, fan-out at 0.8 or more of its floor).\n'}`;
}
