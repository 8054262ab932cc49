import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry } from '../../jobs/history/execution-history';
import type { HistoryStore } from '../../jobs/history/store';
import type { Page, PageQuery } from '../../jobs/shared/ports';
import { keys } from '../table/keys';
import type { PageKeyShape } from '../table/page-token';
import { TableAccess } from '../table/table-access';
import type { Item, QueryParams } from '../table/table-params';

/**
 * History entries (`HISTORY#<thing>` / `<job>#<incarnation>#<execution>#<version>#<time>`),
 * one item each, kept `retentionDays` (the table's TTL, `expiresAt`).
 */

const DAY_SECONDS = 86_400;

/**
 * The BatchWriteItem puts of a batch's entries: one per key (BatchWriteItem refuses a key twice in one call), the last
 * of a key winning.
 */
export function historyPuts(entries: readonly HistoryEntry[], retentionDays: number): { PutRequest: { Item: Item } }[] {
  const byKey = new Map<string, Item>();
  for (const entry of entries) {
    const key = keys.historyEntry(entry);
    byKey.set(`${key.pk} ${key.sk}`, {
      ...key,
      ...entry,
      expiresAt: Math.floor(entry.at / 1000) + retentionDays * DAY_SECONDS,
    });
  }
  return [...byKey.values()].map((Item) => ({ PutRequest: { Item } }));
}

/** A thing's entries, one job's when asked: one consistent Query of the thing's history partition. */
export function historyQuery(thingName: string, jobId: string | undefined): QueryParams {
  return {
    KeyConditionExpression: jobId ? 'pk = :pk AND begins_with(sk, :job)' : 'pk = :pk',
    ExpressionAttributeValues: {
      ':pk': keys.historyPartition(thingName),
      ...(jobId ? { ':job': keys.historyOfJob(jobId) } : {}),
    },
    ConsistentRead: true,
  };
}

const pageKeyOf = (thingName: string): PageKeyShape => ({
  attributes: ['pk', 'sk'],
  fixed: () => ({ pk: keys.historyPartition(thingName) }),
});

export function fromHistoryItem(item: Item): HistoryEntry {
  const { pk: _pk, sk: _sk, expiresAt: _expires, ...entry } = item;
  return entry as unknown as HistoryEntry;
}

export class DynamoHistoryStore implements HistoryStore {
  private readonly access: TableAccess;

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    private readonly retentionDays: number,
  ) {
    this.access = new TableAccess(db, tableName);
  }

  async record(entries: readonly HistoryEntry[]): Promise<void> {
    if (entries.length) await this.access.batchWrite(historyPuts(entries, this.retentionDays), 4);
  }

  async list(thingName: string, jobId: string | undefined, page: PageQuery): Promise<Page<HistoryEntry>> {
    const result = await this.access.queryPage(
      `history/${thingName}/${jobId ?? ''}`,
      page,
      historyQuery(thingName, jobId),
      pageKeyOf(thingName),
    );
    return { items: result.items.map(fromHistoryItem), ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }
}
