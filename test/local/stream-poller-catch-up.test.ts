import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { type StreamPoller, startStreamPoller } from '../../local/stream/stream-poller';
import { createTestTable, type TestTable } from '../support/test-table';

/**
 * How long a read that shows counts waits for the stream: as long as the stream moves (a loaded machine is slow, not
 * stuck), and no longer once it stops moving.
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

describe('catching up for a read', () => {
  it('waits for a stream that keeps moving, past the stall limit in all', async () => {
    const handled: number[] = [];
    // Each record takes 250 ms to handle and writes the next one: six batches, 1.5 s in all, none near 600 ms alone.
    const p = await pollerHandling(async (id) => {
      await pause(250);
      handled.push(id);
      if (id < 6) await write(id + 1);
    });
    await write(1);
    const started = Date.now();
    await p.drainUnlessStalled({ stalledAfterMs: 600, atMostMs: 20_000 });
    expect(handled).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Date.now() - started).toBeGreaterThan(600);
  });

  it('answers once the stream stops moving (a batch that never ends)', async () => {
    let finished = false;
    const p = await pollerHandling(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await write(1);
    await p.drainUnlessStalled({ stalledAfterMs: 300, atMostMs: 20_000 });
    expect(finished).toBe(false);
  });

  it('answers after atMostMs when writes never stop', async () => {
    let handled = 0;
    const p = await pollerHandling(async (id) => {
      handled++;
      await write(id + 1);
    });
    await write(1);
    const started = Date.now();
    await p.drainUnlessStalled({ stalledAfterMs: 5000, atMostMs: 800 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(handled).toBeGreaterThan(1);
  });
});
