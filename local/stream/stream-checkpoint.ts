import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * Where the stream poller stands in each shard, kept on disk so a runner
 * killed outright resumes exactly there. Before a batch is handled its bounds
 * are written (`inFlight`); after, its end becomes the shard's `after`. A
 * batch that was in flight at a crash is read again with the same bounds, so
 * it is the very same records, which the counts recognise as counted.
 */
export interface ShardPosition {
  /** The last record handled; absent: from the shard's start. */
  after?: string;
  /** A batch being handled: the records after `after` up to and including `last`. */
  inFlight?: { last: string };
}

export interface StreamCheckpoint {
  streamArn: string;
  shards: Record<string, ShardPosition>;
}

export interface CheckpointFile {
  /** What the previous run left, if it was on the same stream. */
  load(streamArn: string): Promise<StreamCheckpoint | undefined>;
  save(checkpoint: StreamCheckpoint): Promise<void>;
}

/** A checkpoint in one JSON file, replaced whole (write, then rename) so a crash never leaves half of one. */
export function checkpointFile(path: string): CheckpointFile {
  let writes = Promise.resolve();
  return {
    async load(streamArn) {
      try {
        const checkpoint = JSON.parse(await readFile(path, 'utf8')) as StreamCheckpoint;
        // Another stream (the table was made again): its positions mean nothing here.
        return checkpoint.streamArn === streamArn ? checkpoint : undefined;
      } catch {
        return undefined;
      }
    },
    save(checkpoint) {
      const text = JSON.stringify(checkpoint);
      // One write at a time, in order: the last one saved is the last one asked for.
      writes = writes.then(async () => {
        await writeFile(`${path}.tmp`, text);
        await rename(`${path}.tmp`, path);
      });
      return writes;
    },
  };
}

/** Stream sequence numbers are decimal strings of up to 40 digits: compared as numbers. */
export const sequenceAtMost = (sequence: string, last: string): boolean => BigInt(sequence) <= BigInt(last);
