import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { startStreamPoller } from '../../local/stream/stream-poller';
import { createTestTable, type TestTable } from '../support/test-table';

/**
 * How the stream poller stops: a runner on kept data counts everything first; one whose in-memory store dies with it
 * need not.
 */
async function write(table: TestTable, ids: string[]): Promise<void> {
  for (const id of ids)
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { pk: `X#${id}`, sk: 'X' } }));
}

async function pollerWithBacklog(drain: boolean | undefined): Promise<number> {
  const table = await createTestTable();
  let handled = 0;
  // An hour between polls: nothing is read unless the stop reads it.
  const poller = await startStreamPoller({
    endpoint: table.endpoint,
    tableName: table.tableName,
    newTable: true,
    intervalMs: 3_600_000,
    onBatch: (records) => {
      handled += records.length;
      return Promise.resolve();
    },
  });
  await write(table, ['a', 'b', 'c']);
  await poller.stop(drain === undefined ? undefined : { drain });
  return handled;
}

describe('stopping the stream poller', () => {
  it('hands every record written before the stop to its handler', async () => {
    expect(await pollerWithBacklog(undefined)).toBe(3);
  });

  it('leaves the records unread when told not to drain', async () => {
    expect(await pollerWithBacklog(false)).toBe(0);
  });
});
