import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lambdas/store/table/dynamo-client';
import { type BatchRetryPolicy, type FailedBatchSink, failedBatchMessage, handleRetrying } from './failed-batches';
import { type CheckpointFile, type ShardPosition, sequenceAtMost } from './stream-checkpoint';

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  /**
   * Handles one batch (the records of one GetRecords call); a throw leaves the batch to be read again, or, with
   * `failures`, to its policy.
   */
  onBatch: (records: _Record[]) => Promise<void>;
  /**
   * What becomes of a batch that keeps failing (as Lambda's event source: split, retried, set aside); none: it is read
   * again until it succeeds.
   */
  failures?: { policy: BatchRetryPolicy; sink: FailedBatchSink; wait?: (ms: number) => Promise<void> };
  intervalMs?: number;
  /** Where to keep the position in each shard, so a runner killed outright resumes exactly there (none: in memory). */
  checkpoint?: CheckpointFile;
  /** The table is new: its stream holds nothing handled before, so every shard is read from its start. */
  newTable?: boolean;
}

/** What one pass over the shards did. */
export interface PassResult {
  handled: number;
  /** Some shard gave a full page: the pass did not reach its end. */
  full: boolean;
}

export interface StreamPoller {
  /** Resolves once every record written so far has been handled. */
  drain(): Promise<void>;
  /** Waits for the pass in flight, if any (it may have read the shards before the caller's last write). */
  passInFlight(): Promise<void>;
  /** One pass over every open shard (or the one in flight, which the timer started). */
  pass(): Promise<PassResult>;
  /** When the stream last moved: a shard listed or read, or a batch handled (Date.now()). */
  progressedAt(): number;
  /** Drains (unless told not to: a store that goes with the runner), then stops. */
  stop(options?: { drain?: boolean }): Promise<void>;
}

/**
 * What Lambda's DynamoDB event source does, for DynamoDB Local: reads the
 * table's stream shard by shard and hands each batch to the same code the
 * aggregator Lambda runs. With a checkpoint, each shard resumes after the
 * last record handled, and a batch that was being handled when the runner
 * died is handed over again with exactly the same records (so the counts
 * recognise it); shards the checkpoint does not know are read from their
 * start. Without one (nothing kept, or a first run), shards open at start
 * are read from their end and shards that open later from their start.
 */
/** How often shards are listed again even when none closed. */
const RELIST_SHARDS_MS = 5000;
/** Records a GetRecords call asks for at most (DynamoDB Streams' own limit). */
const PAGE_LIMIT = 1000;

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const config = { endpoint: options.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamo.destroy();
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);

  const resumed = await options.checkpoint?.load(streamArn);
  /** Where each shard stands: what was handled, and any batch being handled. */
  const positions = new Map<string, ShardPosition>(Object.entries(resumed?.shards ?? {}));
  const savePositions = () => options.checkpoint?.save({ streamArn, shards: Object.fromEntries(positions) });
  /** Next iterator per shard; null once a shard is closed and read to its end. */
  const iterators = new Map<string, string | null>();
  /** Shards whose first batch must stop at this record: the one that was in flight when a runner died. */
  const replayUpTo = new Map<string, string>();
  const iteratorFor = async (shardId: string, position: 'LATEST' | 'TRIM_HORIZON') => {
    const after = positions.get(shardId)?.after;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: position }),
      }),
    );
    return ShardIterator ?? null;
  };
  /** When the stream last moved: a shard listed or read, or a batch handled (Date.now()). */
  let progressedAt = Date.now();
  const discoverShards = async (position: 'LATEST' | 'TRIM_HORIZON') => {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    progressedAt = Date.now();
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const inFlight = positions.get(shard.ShardId)?.inFlight;
      if (inFlight) replayUpTo.set(shard.ShardId, inFlight.last);
      iterators.set(shard.ShardId, await iteratorFor(shard.ShardId, position));
    }
  };
  // Resumed, or a new table: a shard the checkpoint does not know holds nothing handled yet.
  await discoverShards(resumed || options.newTable ? 'TRIM_HORIZON' : 'LATEST');
  // From here on a crash resumes from the checkpoint (shards it names without a position: from their start).
  if (options.newTable || resumed) {
    for (const shardId of iterators.keys()) if (!positions.has(shardId)) positions.set(shardId, {});
    await savePositions();
  }

  let stopping = false;
  /** A batch that failed for good: set aside where the recount finds it, and the shard goes on. */
  const setAside = async (shardId: string, records: _Record[], error: unknown, invocations: number) => {
    const message = failedBatchMessage({ streamArn, shardId, records, error, invocations });
    await options.failures!.sink.add(message);
    console.error(
      JSON.stringify({
        level: 'error',
        message:
          'a stream batch kept failing and was set aside; the jobs it touched need `npm run recount -- --failed-batches`',
        batch: message.DDBStreamBatchInfo,
        error: String(error),
      }),
    );
  };
  const handleBatch = (shardId: string, records: _Record[]) =>
    options.failures
      ? handleRetrying(records, {
          handle: options.onBatch,
          policy: options.failures.policy,
          setAside: (part, error, invocations) => setAside(shardId, part, error, invocations),
          stopping: () => stopping,
          ...(options.failures.wait ? { wait: options.failures.wait } : {}),
        })
      : options.onBatch(records);

  /**
   * Shards are listed again when one closes (its successor opens then), after a failed read, and every few seconds
   * besides: a pass is then one GetRecords per open shard, which the catch-ups of every request can afford.
   */
  let listedAt = Date.now();
  let mustList = false;
  /** One pass over every open shard. */
  const pollOnce = async (): Promise<PassResult> => {
    if (mustList || Date.now() - listedAt >= RELIST_SHARDS_MS) {
      mustList = false;
      listedAt = Date.now();
      await discoverShards('TRIM_HORIZON');
    }
    let handled = 0;
    let full = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      let page: GetRecordsCommandOutput;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE_LIMIT }));
      } catch (error) {
        // An iterator outlives nothing (a store restart, an expiry): forget it, and pick up after the last record
        // handled.
        iterators.delete(shardId);
        mustList = true;
        throw error;
      }
      progressedAt = Date.now();
      const replaying = replayUpTo.get(shardId);
      const all = page.Records ?? [];
      if (all.length >= PAGE_LIMIT) full = true;
      const records = replaying
        ? all.filter((r) => r.dynamodb?.SequenceNumber && sequenceAtMost(r.dynamodb.SequenceNumber, replaying))
        : all;
      const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
      if (records.length && last) {
        positions.set(shardId, { ...positions.get(shardId), inFlight: { last } });
        await savePositions();
        await handleBatch(shardId, records);
        progressedAt = Date.now();
        positions.set(shardId, { after: last });
        await savePositions();
      }
      handled += records.length;
      if (replaying) {
        // The batch that was in flight is handled: go on right after it (this page may hold later records too).
        replayUpTo.delete(shardId);
        const position = positions.get(shardId);
        if (position?.inFlight) positions.set(shardId, { ...(position.after ? { after: position.after } : {}) });
        iterators.set(shardId, await iteratorFor(shardId, 'TRIM_HORIZON'));
      } else {
        iterators.set(shardId, page.NextShardIterator ?? null);
        // Closed: what follows is in a shard the next pass lists, so this pass has not reached the end.
        if (!page.NextShardIterator) {
          mustList = true;
          full = true;
        }
      }
    }
    return { handled, full };
  };

  // One pass at a time: the timer, drain() and the catch-ups share it.
  let running: Promise<PassResult> | undefined;
  const pass = () => (running ??= pollOnce().finally(() => (running = undefined)));
  // An outage is logged when it starts and when it ends, not on every poll.
  let failing = false;
  const timer = setInterval(() => {
    pass().then(
      () => {
        if (failing) console.info(JSON.stringify({ level: 'info', message: 'stream poll recovered' }));
        failing = false;
      },
      (error: unknown) => {
        if (!failing)
          console.error(
            JSON.stringify({ level: 'error', message: 'stream poll failing; retrying', error: String(error) }),
          );
        failing = true;
      },
    );
  }, options.intervalMs ?? 250);
  timer.unref();

  const drain = async () => {
    await running?.catch(() => undefined);
    while ((await pass()).handled > 0);
  };
  return {
    drain,
    passInFlight: async () => void (await running?.catch(() => undefined)),
    pass,
    progressedAt: () => progressedAt,
    stop: async ({ drain: draining = true } = {}) => {
      stopping = true;
      clearInterval(timer);
      await (draining ? drain() : running)?.catch(() => undefined);
      streams.destroy();
    },
  };
}
