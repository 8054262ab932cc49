import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { backOff, forEachLimited } from '../../jobs/shared/concurrency';
import { ServiceUnavailableException } from '../../jobs/shared/errors';
import type { PageQuery } from '../../jobs/shared/ports';
import { decodePageToken, encodePageToken, type PageKeyShape } from './page-token';
import { type ListPosition, readPage } from './paging';
import { TableCommands } from './table-commands';
import type { Item, Key, QueryParams } from './table-params';

const BATCH_SIZE = 25;
/** Keys per BatchGetItem (DynamoDB's limit). */
const BATCH_GET_SIZE = 100;
const MAX_BATCH_ATTEMPTS = 8;
/** A filter on a list leaves pages short; this many queries fill one page at most, then the caller gets a nextToken. */
export const MAX_QUERIES_PER_PAGE = 10;
/** `items` in runs of at most `size`, in order: what one batch or transaction takes. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export { backOff };

/**
 * The gateway to the table the stores hold (its single commands in
 * table-commands.ts), with what takes more than one request: a query
 * followed to its end, a list's page filled across queries, and batches
 * whose unprocessed items are asked for again.
 */
export class TableAccess extends TableCommands {
  /** Every item of a query, following its pages. */
  async queryAll(params: QueryParams): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.query({ ...params, ...(startKey ? { ExclusiveStartKey: startKey } : {}) });
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * One page of a list made of several queries read one after another (a list's shards, or groups): `queries[i]` is
   * shard i; the page token carries the shard and DynamoDB's key in it. A nextToken only when something follows
   * (paging.ts); `keep`, a filter applied here.
   */
  async queryAcross(
    list: string,
    page: PageQuery,
    keyShape: PageKeyShape,
    queries: readonly QueryParams[],
    keep?: (items: Item[]) => Promise<Item[]>,
  ): Promise<{ items: Item[]; nextToken?: string }> {
    const start = page.nextToken ? decodePageToken(page.nextToken, list, keyShape) : { key: {}, shard: 0 };
    const result = await this.readPage(page, keyShape, queries, start, keep);
    return {
      items: result.items,
      ...(result.next ? { nextToken: encodePageToken({ list, key: result.next.key, shard: result.next.shard }) } : {}),
    };
  }

  /**
   * One page of a list, filled across DynamoDB pages when a filter leaves them short; `list` names it in the page
   * token, `keyShape` says what its start keys look like. A nextToken only when something follows (paging.ts);
   * `keep`, a filter applied here.
   */
  async queryPage(
    list: string,
    page: PageQuery,
    params: QueryParams,
    keyShape: PageKeyShape,
    keep?: (items: Item[]) => Promise<Item[]>,
  ): Promise<{ items: Item[]; nextToken?: string }> {
    const start = { shard: 0, key: page.nextToken ? decodePageToken(page.nextToken, list, keyShape).key : {} };
    const result = await this.readPage(page, keyShape, [params], start, keep);
    return {
      items: result.items,
      ...(result.next ? { nextToken: encodePageToken({ list, key: result.next.key }) } : {}),
    };
  }

  private readPage(
    page: PageQuery,
    keyShape: PageKeyShape,
    queries: readonly QueryParams[],
    start: ListPosition,
    keep: ((items: Item[]) => Promise<Item[]>) | undefined,
  ) {
    return readPage((params) => this.query(params), {
      queries,
      maxResults: page.maxResults,
      start,
      keyAttributes: keyShape.attributes,
      maxQueries: MAX_QUERIES_PER_PAGE,
      ...(keep ? { keep } : {}),
    });
  }

  /**
   * BatchWriteItem in chunks of 25, `parallelChunks` at a time (one by
   * default), retrying what DynamoDB leaves unprocessed with capped
   * exponential backoff and jitter. `beforeSend` runs before each request
   * and may throw to stop sending (a fan-out whose lease runs out).
   */
  async batchWrite(
    requests: ({ PutRequest: { Item: object } } | { DeleteRequest: { Key: Key } })[],
    parallelChunks = 1,
    beforeSend?: () => void,
  ): Promise<void> {
    await forEachLimited(inChunks(requests, BATCH_SIZE), parallelChunks, async (chunk) => {
      let pending = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === MAX_BATCH_ATTEMPTS) throw new ServiceUnavailableException('The job store is busy; retry');
        if (attempt > 0) await backOff(attempt);
        beforeSend?.();
        const result = await this.send(() =>
          this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } })),
        );
        pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    });
  }

  /**
   * Items by key (whole, without a projection), read consistently, 100 to a request, asking again for what DynamoDB
   * leaves unprocessed; in no particular order.
   */
  async batchGet(
    keys: readonly Key[],
    projection?: { expression: string; names?: Record<string, string> },
  ): Promise<Item[]> {
    const items: Item[] = [];
    await forEachLimited(inChunks(keys, BATCH_GET_SIZE), 4, async (chunk) => {
      let pending: Key[] = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === MAX_BATCH_ATTEMPTS) throw new ServiceUnavailableException('The job store is busy; retry');
        if (attempt > 0) await backOff(attempt);
        const request = {
          Keys: pending,
          ConsistentRead: true,
          ...(projection ? { ProjectionExpression: projection.expression } : {}),
          ...(projection?.names ? { ExpressionAttributeNames: projection.names } : {}),
        };
        const result = await this.send(() =>
          this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: request } })),
        );
        items.push(...(result.Responses?.[this.tableName] ?? []));
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
      }
    });
    return items;
  }

  /**
   * Those of `names` whose item (`keyOf` it, holding the name in `nameAttribute`) does not exist, in the order given.
   */
  async missing(names: readonly string[], keyOf: (name: string) => Key, nameAttribute: string): Promise<string[]> {
    const found = new Set(
      (await this.batchGet(names.map(keyOf), { expression: nameAttribute })).map(
        (item) => item[nameAttribute] as string,
      ),
    );
    return names.filter((name) => !found.has(name));
  }
}
