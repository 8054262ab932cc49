import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointFile } from '../../local/stream/stream-checkpoint';
import { startStreamPoller } from '../../local/stream/stream-poller';
import { createTestTable, type TestTable } from '../support/test-table';
import { within } from '../support/within';

/** The stream poller of a runner that dies, and of the one that starts after it on the same data. */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function write(table: TestTable, ids: string[]): Promise<void> {
  for (const id of ids)
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { pk: `X#${id}`, sk: 'X' } }));
}

const idsOf = (records: _Record[]) => records.map((r) => r.eventID);

describe('the stream checkpoint', () => {
  it('hands a batch that was in flight when its runner died to the next runner with exactly the same records, then the rest once', async () => {
    const table = await createTestTable();
    const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
    dirs.push(dir);
    const path = join(dir, 'stream-checkpoint.json');
    await write(table, ['a', 'b', 'c']);

    // The first runner takes a batch and dies handling it (its handler never returns).
    let inFlight: _Record[] = [];
    const dying = await startStreamPoller({
      endpoint: table.endpoint,
      tableName: table.tableName,
      checkpoint: checkpointFile(path),
      newTable: true,
      intervalMs: 20,
      onBatch: (records) => {
        inFlight = records;
        return new Promise(() => undefined);
      },
    });
    expect(await within(10_000, () => inFlight.length > 0)).toBe(true);
    expect(inFlight).toHaveLength(3);
    void dying;
    await write(table, ['d', 'e']);

    const batches: _Record[][] = [];
    const next = await startStreamPoller({
      endpoint: table.endpoint,
      tableName: table.tableName,
      checkpoint: checkpointFile(path),
      intervalMs: 60_000,
      onBatch: async (records) => void batches.push(records),
    });
    await next.drain();
    await next.stop();
    expect(idsOf(batches[0]!)).toEqual(idsOf(inFlight));
    expect(batches.slice(1).flatMap(idsOf)).toHaveLength(2);
  });

  it('resumes after the last batch handled, reading nothing twice', async () => {
    const table = await createTestTable();
    const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
    dirs.push(dir);
    const path = join(dir, 'stream-checkpoint.json');
    const seen: string[] = [];
    const reader = () =>
      startStreamPoller({
        endpoint: table.endpoint,
        tableName: table.tableName,
        checkpoint: checkpointFile(path),
        newTable: true,
        intervalMs: 60_000,
        onBatch: async (records) => void seen.push(...idsOf(records).map(String)),
      });
    await write(table, ['a', 'b']);
    const first = await reader();
    await first.drain();
    await write(table, ['c']);
    // Gone without a word: nothing drained after the last write.
    const second = await reader();
    await second.drain();
    await second.stop();
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });
});
