import { appendFile, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { ServiceUnavailableException, ThrottlingException } from '../../lambdas/jobs/shared/errors';

/**
 * Batches the counts aggregator gave up on, and where they go: what Lambda's
 * event source does with a stream batch that keeps failing, for the local
 * runner. The message is the one Lambda sends to an on-failure destination,
 * so `npm run recount -- --failed-batches` reads both the same way.
 */

/** In the data directory: stream batches the counts gave up on, one JSON line each. */
export const FAILED_BATCHES_FILE = 'failed-batches.jsonl';

/** Which records a set-aside batch held: a range of one shard of the table's stream. */
export interface StreamBatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  batchSize: number;
  streamArn: string;
  approximateArrivalOfFirstRecord?: string;
  approximateArrivalOfLastRecord?: string;
}

/**
 * Lambda's on-failure message for a DynamoDB stream batch (the fields the recount reads, and what the local runner
 * knows of the rest).
 */
export interface FailedBatchMessage {
  requestContext: { condition: string; approximateInvokeCount: number; functionArn?: string; requestId?: string };
  responseContext?: { functionError?: string; errorMessage?: string; statusCode?: number };
  timestamp: string;
  DDBStreamBatchInfo: StreamBatchInfo;
}

export interface BatchRetryPolicy {
  /** Split a failing batch in halves, each handled on its own. */
  bisect: boolean;
  /** Retries of a batch that cannot be split further before it is set aside. */
  retryAttempts: number;
  /** Wait before the nth retry. */
  delayMs?: (retry: number) => number;
}

/** Where set-aside batches go. */
export interface FailedBatchSink {
  add(message: FailedBatchMessage): Promise<void>;
}

const defaultDelay = (retry: number) => Math.min(5_000, 100 * 2 ** retry);

/** The store not answering (locally: the runner's own DynamoDB Local, restarting): no fault of the batch. */
const isUnavailable = (error: unknown) =>
  error instanceof ServiceUnavailableException || error instanceof ThrottlingException;

export interface RetryingOptions<T> {
  handle: (records: T[]) => Promise<void>;
  policy: BatchRetryPolicy;
  setAside: (records: T[], error: unknown, invocations: number) => Promise<void>;
  /**
   * Asked while the store does not answer: true stops waiting for it (the runner is stopping), and the batch stays
   * unhandled.
   */
  stopping?: () => boolean;
  wait?: (ms: number) => Promise<void>;
}

/**
 * Handles a batch as Lambda's event source does with `policy`: a failure
 * splits the batch in halves, handled in order; a part that cannot be split
 * further is retried `retryAttempts` times, then set aside, and the records
 * after it go on. A store that does not answer is waited for, uncounted:
 * every batch would fail alike, and none of them is to blame.
 */
export async function handleRetrying<T>(records: T[], options: RetryingOptions<T>): Promise<void> {
  const wait = options.wait ?? ((ms: number) => sleep(ms));
  const delay = options.policy.delayMs ?? defaultDelay;
  let invocations = 0;
  let retries = 0;
  for (let unavailable = 0; ; ) {
    try {
      invocations++;
      await options.handle(records);
      return;
    } catch (error) {
      if (isUnavailable(error)) {
        if (options.stopping?.()) throw error;
        await wait(delay(Math.min(++unavailable, 6)));
        continue;
      }
      if (options.policy.bisect && records.length > 1) {
        const half = Math.ceil(records.length / 2);
        await handleRetrying(records.slice(0, half), options);
        await handleRetrying(records.slice(half), options);
        return;
      }
      // Stopping: what is left is handled on the next start (the checkpoint still names it), not waited for now.
      if (options.stopping?.()) throw error;
      if (retries === options.policy.retryAttempts) {
        await options.setAside(records, error, invocations);
        return;
      }
      await wait(delay(++retries));
    }
  }
}

/** Set-aside batches as JSON lines in a file (the data directory's `failed-batches.jsonl`), appended one by one. */
export function failedBatchFile(path: string): FailedBatchSink & { read(): Promise<FailedBatchMessage[]> } {
  return {
    add: (message) => appendFile(path, `${JSON.stringify(message)}\n`),
    async read() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as FailedBatchMessage);
    },
  };
}

/** Set-aside batches kept in memory (`--in-memory`: nothing survives the runner anyway). */
export function failedBatchList(): FailedBatchSink & { messages: FailedBatchMessage[] } {
  const messages: FailedBatchMessage[] = [];
  return { messages, add: async (message) => void messages.push(message) };
}

/**
 * What Lambda's on-failure destination receives for a DynamoDB stream batch it gave up on (its retries exhausted):
 * where the batch is in the stream, and why it failed.
 */
export function failedBatchMessage(batch: {
  streamArn: string;
  shardId: string;
  records: _Record[];
  error: unknown;
  invocations: number;
}): FailedBatchMessage {
  const { records } = batch;
  const arrival = (record: _Record | undefined) => record?.dynamodb?.ApproximateCreationDateTime?.toISOString();
  const first = arrival(records[0]);
  const last = arrival(records[records.length - 1]);
  return {
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: batch.invocations },
    responseContext: { functionError: 'Unhandled', errorMessage: String(batch.error) },
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: records[0]!.dynamodb!.SequenceNumber!,
      endSequenceNumber: records[records.length - 1]!.dynamodb!.SequenceNumber!,
      batchSize: records.length,
      streamArn: batch.streamArn,
      ...(first ? { approximateArrivalOfFirstRecord: first } : {}),
      ...(last ? { approximateArrivalOfLastRecord: last } : {}),
    },
  };
}
