import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { type RecountReport, recountJob } from '../../lambdas/jobs/counts/recount';
import { systemClock } from '../../lambdas/jobs/shared/clock';
import { forEachLimited } from '../../lambdas/jobs/shared/concurrency';
import { ResourceNotFoundException } from '../../lambdas/jobs/shared/errors';
import { DynamoJobCountsStore } from '../../lambdas/store/counts';
import { DynamoJobStore } from '../../lambdas/store/jobs';
import { createDocumentClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lambdas/store/table/dynamo-client';
import { runningHolder } from '../dynamodb/data-dir-lock';
import { DEFAULT_TABLE_NAME } from '../dynamodb/local-store';
import { jobsOfBatch } from '../stream/failed-batch-jobs';
import { queueOfFailedBatches } from '../stream/failed-batch-queue';
import { FAILED_BATCHES_FILE, type FailedBatchMessage, failedBatchFile } from '../stream/failed-batches';
import { parseCommandLine, usageError } from './command-line';

const USAGE = `Usage: npm run recount -- (--job-id <id> ... | --failed-batches | --in-progress) [options]

Counts jobs' executions again, from the executions themselves, and writes the
counts (DescribeJob's jobProcessDetails) where they are wrong; a job whose
executions are all done becomes COMPLETED. Use it when a stream batch was set
aside (the local runner logs it and keeps it in <data-dir>/failed-batches.jsonl;
deployed, the stack's FailedCountBatches queue and its alarm say so), or on a
table an older version miscounted. Each job is written only after it has been
still for the settle window, and only if its counts did not move meanwhile, so
it can run while devices report and the aggregator counts.

What to recount:
  --job-id <id>             this job (repeat for more)
  --failed-batches          the jobs of the set-aside batches: the local runner's
                            <data-dir>/failed-batches.jsonl, or the queue at --queue-url;
                            each batch is removed once its jobs are recounted
  --queue-url <url>         the deployed stack's queue (output FailedCountBatchesQueueUrl)
  --in-progress             every IN_PROGRESS job (for set-aside batches older than the
                            stream's 24 hours, whose records can no longer be read)

Where:
  --data-dir <path>         a running local runner's data directory  [JOBS_DATA_DIR]  default ./.local-data
  --dynamodb-endpoint <u>   this DynamoDB instead                     [JOBS_DYNAMODB_ENDPOINT]
  --table-name <name>       the jobs table; without an endpoint, the deployed table,
                            reached with your AWS credentials          [JOBS_TABLE_NAME]
  --region <name>           the deployed table's region               [AWS_REGION]
  --settle-seconds <s>      how long a job must be still before its counts are written;
                            longer than the stream's lag (deployed: the aggregator's
                            iterator age)                   default 2 locally, 10 deployed
  --help                    show this text`;

/** Jobs recounted at once: their settle windows overlap. */
const JOBS_AT_ONCE = 8;

interface Target {
  endpoint?: string;
  tableName: string;
  region?: string;
  dataDir: string;
}

async function resolveTarget(values: Record<string, string | boolean | string[] | undefined>): Promise<Target> {
  const dataDir = (values['data-dir'] as string | undefined) ?? process.env.JOBS_DATA_DIR ?? './.local-data';
  const endpoint = (values['dynamodb-endpoint'] as string | undefined) ?? process.env.JOBS_DYNAMODB_ENDPOINT;
  const tableName = (values['table-name'] as string | undefined) ?? process.env.JOBS_TABLE_NAME;
  const region = (values.region as string | undefined) ?? process.env.AWS_REGION;
  if (endpoint) return { endpoint, tableName: tableName ?? DEFAULT_TABLE_NAME, dataDir, ...(region ? { region } : {}) };
  if (tableName) return { tableName, dataDir, ...(region ? { region } : {}) };
  const runner = await runningHolder(dataDir);
  if (!runner?.storeEndpoint || !runner.tableName) {
    throw new Error(
      `No local runner is using ${dataDir}: start one there (npm start -- --data-dir ${dataDir}), ` +
        'or name the table: --table-name (deployed, with your AWS credentials) or --dynamodb-endpoint.',
    );
  }
  return { endpoint: runner.storeEndpoint, tableName: runner.tableName, dataDir };
}

/** Where set-aside batches are read from, and how one is let go once handled. */
interface FailedBatchSource {
  take(): Promise<FailedBatchMessage[]>;
  done(message: FailedBatchMessage): Promise<void>;
  /** The ones not handled go back. */
  keep(messages: FailedBatchMessage[]): Promise<void>;
}

/**
 * The local runner's file: moved aside while it is read (the runner starts a
 * new one for batches set aside meanwhile), what is not handled appended
 * back. A run that died part-way left its batches in the `.recounting` file:
 * they are taken along, not overwritten.
 */
function fileSource(dataDir: string): FailedBatchSource {
  const path = join(dataDir, FAILED_BATCHES_FILE);
  const taken = failedBatchFile(`${path}.recounting`);
  return {
    async take() {
      const incoming = failedBatchFile(`${path}.incoming`);
      await rename(path, `${path}.incoming`).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      for (const message of await incoming.read()) await taken.add(message);
      await rm(`${path}.incoming`, { force: true });
      return taken.read();
    },
    done: async () => undefined,
    async keep(messages) {
      const back = failedBatchFile(path);
      for (const message of messages) await back.add(message);
      await rm(`${path}.recounting`, { force: true });
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseCommandLine(USAGE, {
    args: process.argv.slice(2),
    strict: true,
    options: {
      'job-id': { type: 'string', multiple: true },
      'failed-batches': { type: 'boolean' },
      'queue-url': { type: 'string' },
      'in-progress': { type: 'boolean' },
      'data-dir': { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      'table-name': { type: 'string' },
      region: { type: 'string' },
      'settle-seconds': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (!values['job-id']?.length && !values['failed-batches'] && !values['in-progress'])
    usageError(USAGE, 'Say what to recount: --job-id <id>, --failed-batches or --in-progress.');
  // Checked before any table is looked for: its default (below) depends on the table, a value given does not.
  const settle = values['settle-seconds'];
  if (settle !== undefined && !(Number(settle) >= 0 && Number(settle) <= 3600))
    usageError(USAGE, `--settle-seconds must be 0 to 3600, got ${settle}`);
  const target = await resolveTarget(values);
  // The local poller reads every 250 ms; Lambda gathers for up to 2 s, then counts.
  const settleSeconds = settle !== undefined ? Number(settle) : target.endpoint ? 2 : 10;

  const db = createDocumentClient({
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.region ? { region: target.region } : {}),
  });
  const streams = new DynamoDBStreamsClient(
    target.endpoint
      ? { endpoint: target.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }
      : target.region
        ? { region: target.region }
        : {},
  );
  const counts = new DynamoJobCountsStore(db, target.tableName, systemClock);
  const jobs = new DynamoJobStore(db, target.tableName);
  const options = {
    clock: systemClock,
    settleMs: settleSeconds * 1000,
    wait: (ms: number) => sleep(ms),
    progress: (message: string) => console.error(message),
  };
  const recounted = new Map<string, RecountReport | 'deleted'>();
  const recount = async (jobId: string) => {
    if (recounted.has(jobId)) return;
    try {
      const report = await recountJob(counts, jobId, options);
      recounted.set(jobId, report);
      console.log(JSON.stringify(report));
    } catch (error) {
      // A job deleted since its batch was set aside has no counts to repair.
      if (!(error instanceof ResourceNotFoundException)) throw error;
      recounted.set(jobId, 'deleted');
      console.log(JSON.stringify({ jobId, deleted: true }));
    }
  };

  try {
    for (const jobId of values['job-id'] ?? []) await recount(jobId);
    if (values['in-progress']) {
      const inProgress: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await jobs.listJobs(
          { status: 'IN_PROGRESS' },
          { maxResults: 100, ...(nextToken ? { nextToken } : {}) },
        );
        inProgress.push(...page.items.map((job) => job.jobId));
        nextToken = page.nextToken;
      } while (nextToken);
      await forEachLimited(inProgress, JOBS_AT_ONCE, recount);
    }
    if (values['failed-batches']) {
      const source = values['queue-url']
        ? queueOfFailedBatches(values['queue-url'], target.region)
        : fileSource(target.dataDir);
      for (
        let messages = await source.take();
        messages.length > 0;
        messages = values['queue-url'] ? await source.take() : []
      ) {
        const unread: FailedBatchMessage[] = [];
        for (const message of messages) {
          let jobIds: string[];
          try {
            jobIds = await jobsOfBatch(streams, message.DDBStreamBatchInfo);
          } catch (error) {
            console.error(
              `The records of a set-aside batch can no longer be read from the stream (${String(error)}); recount with --in-progress instead.`,
            );
            unread.push(message);
            continue;
          }
          await forEachLimited(jobIds, JOBS_AT_ONCE, recount);
          await source.done(message);
        }
        await source.keep(unread);
        if (unread.length) process.exitCode = 1;
        if (unread.length === messages.length) break;
      }
    }
    const reports = [...recounted.values()].filter((r): r is RecountReport => r !== 'deleted');
    console.error(
      `${recounted.size} job(s) recounted: ${reports.filter((r) => r.corrected).length} corrected, ${reports.filter((r) => r.completed).length} completed.`,
    );
  } finally {
    db.destroy();
    streams.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
