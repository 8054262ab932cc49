import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { catchUp } from '../../local/stream/catch-up';
import { type StreamPoller, startStreamPoller } from '../../local/stream/stream-poller';
import { createTestTable, type TestTable } from '../support/test-table';

/**
 * How long a request waits for the stream: as long as it moves (a loaded machine is slow, not stuck), through what the
 * writes before it caused, and no longer once it stops moving or under writes that never stop.
 */
let table: TestTable;
let poller: StreamPoller | undefined;
let release: () => void = () => undefined;

afterEach(async () => {
  release();
  await poller?.stop({ drain: false });
  poller = undefined;
});

async function write(id: number): Promise<void> {
  await table.client.send(new PutCommand({ TableName: table.tableName, Item: { pk: `X#${id}`, sk: 'X' } }));
}

/** A poller that only reads when asked, whose handler is `onRecord` for each record. */
async function pollerHandling(onRecord: (id: number) => Promise<void>): Promise<StreamPoller> {
  table = await createTestTable();
  poller = await startStreamPoller({
    endpoint: table.endpoint,
    tableName: table.tableName,
    newTable: true,
    intervalMs: 3_600_000,
    onBatch: async (records) => {
      for (const record of records) await onRecord(Number(record.dynamodb?.Keys?.pk?.S?.slice(2)));
    },
  });
  return poller;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('catching up for a request', () => {
  it('waits for a stream that keeps moving, past the stall limit in all, through what each batch wrote in turn', async () => {
    const handled: number[] = [];
    // Each record takes 400 ms to handle and writes the next one (as a membership writes an execution, whose counts
    // follow): three rounds, 1.2 s in all, none near 600 ms alone.
    const p = await pollerHandling(async (id) => {
      await pause(400);
      handled.push(id);
      if (id < 3) await write(id + 1);
    });
    await write(1);
    const started = Date.now();
    await catchUp(p, { stalledAfterMs: 600, atMostMs: 20_000 });
    expect(handled).toEqual([1, 2, 3]);
    expect(Date.now() - started).toBeGreaterThan(600);
  });

  it('answers once the stream stops moving (a batch that never ends)', async () => {
    let finished = false;
    const p = await pollerHandling(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await write(1);
    await catchUp(p, { stalledAfterMs: 300, atMostMs: 20_000 });
    expect(finished).toBe(false);
  });

  it('ends under writes that never stop, after a few rounds of what the writes before it caused', async () => {
    let handled = 0;
    const p = await pollerHandling(async (id) => {
      handled++;
      await write(id + 1);
    });
    await write(1);
    await catchUp(p, { stalledAfterMs: 20_000, atMostMs: 20_000 });
    expect(handled).toBeGreaterThanOrEqual(3);
    expect(handled).toBeLessThan(10);
  });
});
