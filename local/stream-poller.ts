import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../lambdas/store/table/dynamo-client';

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  /** Handles one batch (the records of one GetRecords call); a throw leaves the batch to be read again. */
  onBatch: (records: _Record[]) => Promise<void>;
  intervalMs?: number;
}

export interface StreamPoller {
  /** Resolves once every record written so far has been handled. */
  drain(): Promise<void>;
  /** Drains, then stops. */
  stop(): Promise<void>;
}

/**
 * What Lambda's DynamoDB event source does, for DynamoDB Local: reads the
 * table's stream shard by shard and hands each batch to the same code the
 * aggregator Lambda runs. Shards open at start are read from their end (the
 * previous run drained them when it stopped); shards that open later, from
 * their start.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const config = { endpoint: options.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamo.destroy();
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);

  /** Next iterator per shard; null once a shard is closed and read to its end. */
  const iterators = new Map<string, string | null>();
  /** The last record handled per shard, to pick up exactly there after an error. */
  const lastSequence = new Map<string, string>();
  const iteratorFor = async (shardId: string, position: 'LATEST' | 'TRIM_HORIZON') => {
    const after = lastSequence.get(shardId);
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: position }),
      }),
    );
    return ShardIterator ?? null;
  };
  const discoverShards = async (position: 'LATEST' | 'TRIM_HORIZON') => {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      iterators.set(shard.ShardId, await iteratorFor(shard.ShardId, position));
    }
  };
  await discoverShards('LATEST');

  /** One pass over every open shard; the number of records handled. */
  const pollOnce = async (): Promise<number> => {
    await discoverShards('TRIM_HORIZON');
    let handled = 0;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      let page;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        // An iterator outlives nothing (a store restart, an expiry): forget it, and pick up after the last record handled.
        iterators.delete(shardId);
        throw error;
      }
      const records = page.Records ?? [];
      if (records.length) {
        await options.onBatch(records);
        const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
        if (last) lastSequence.set(shardId, last);
      }
      handled += records.length;
      iterators.set(shardId, page.NextShardIterator ?? null);
    }
    return handled;
  };

  // One pass at a time: the timer and drain() share it.
  let running: Promise<number> | undefined;
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
        if (!failing) console.error(JSON.stringify({ level: 'error', message: 'stream poll failing; retrying', error: String(error) }));
        failing = true;
      },
    );
  }, options.intervalMs ?? 250);
  timer.unref();

  const drain = async () => {
    await running?.catch(() => undefined);
    while ((await pass()) > 0);
  };
  return {
    drain,
    stop: async () => {
      clearInterval(timer);
      await drain().catch(() => undefined);
      streams.destroy();
    },
  };
}
