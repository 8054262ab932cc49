import {
  type _Record,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { readStreamBatch } from '../../lambdas/store/stream-changes';
import type { StreamBatchInfo } from './failed-batches';
import { sequenceAtMost } from './stream-checkpoint';

/** Pages read past a batch's start before giving up on finding its end (a shard that was trimmed under the reader). */
const MAX_PAGES = 100;

/**
 * The records of a set-aside batch, read again from the table's stream: an
 * on-failure message names only the range. The stream keeps records 24 hours;
 * past that, the range is gone and this throws (DynamoDB's
 * TrimmedDataAccessException, or an iterator it refuses).
 */
export async function recordsOfBatch(streams: DynamoDBStreamsClient, batch: StreamBatchInfo): Promise<_Record[]> {
  const { ShardIterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: batch.streamArn,
      ShardId: batch.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: batch.startSequenceNumber,
    }),
  );
  const records: _Record[] = [];
  let iterator = ShardIterator;
  for (let pages = 0; iterator && pages < MAX_PAGES; pages++) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of page.Records ?? []) {
      const sequence = record.dynamodb?.SequenceNumber;
      if (!sequence || !sequenceAtMost(sequence, batch.endSequenceNumber)) return records;
      records.push(record);
      if (sequence === batch.endSequenceNumber) return records;
    }
    if (!page.Records?.length) break;
    iterator = page.NextShardIterator;
  }
  return records;
}

/** The jobs whose counts a set-aside batch would have moved (or completed). */
export async function jobsOfBatch(streams: DynamoDBStreamsClient, batch: StreamBatchInfo): Promise<string[]> {
  const { changes, fanOutsFinished } = readStreamBatch(await recordsOfBatch(streams, batch));
  return [...new Set([...changes.map((change) => change.jobId), ...fanOutsFinished.map((job) => job.jobId)])];
}
