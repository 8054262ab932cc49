import type { Item, QueryParams } from './table-params';

/**
 * How every list of the service reads one page: built on a query function only, so it is tested without DynamoDB.
 *
 * AWS answers a nextToken only when something follows. DynamoDB does not know that: a query whose Limit is reached
 * exactly returns a LastEvaluatedKey although nothing may come after it, and a filter (DynamoDB's FilterExpression or
 * one applied here) thins pages down to nothing. So each query asks for one item more than the page still has room
 * for: an item beyond the page proves there is a next page, and the next page starts after the last item the page
 * kept (its key built from the item). A page filled exactly, with DynamoDB saying there may be more, is looked past
 * with the queries the page has left, so a nextToken leads to at least one item unless the page's query budget ran
 * out first (a list thinned by a filter past that budget still answers a token, as AWS's filtered lists can).
 */

/** DynamoDB's answer to one query, as far as paging needs it. */
export interface QueryResult {
  Items?: Item[];
  LastEvaluatedKey?: Item;
}

/** Where a list stopped: the shard (a list read across index shards or groups, one query each) and the key in it. */
export interface ListPosition {
  shard: number;
  /** The last item read, as DynamoDB's start key; empty: the start of the shard. */
  key: Item;
}

export interface PageRead {
  /** One query per shard, read one after another. */
  queries: readonly QueryParams[];
  maxResults: number;
  start: ListPosition;
  /** The key attributes of the table and index the list reads: an item's own start key is made of them. */
  keyAttributes: readonly string[];
  /** Queries one page may send at most; a page that needs more ends with a nextToken where it stands. */
  maxQueries: number;
  /**
   * What the list keeps of the items DynamoDB gives (a filter DynamoDB cannot apply: one on attributes the index does
   * not project), in their order. All, if absent.
   */
  keep?: (items: Item[]) => Promise<Item[]>;
}

/** A page read, and where the next one starts (absent: nothing follows). */
export interface PageResult {
  items: Item[];
  next?: ListPosition;
}

export type RunQuery = (params: QueryParams) => Promise<QueryResult>;

/** The start key of the item itself: the next page starts after it. */
export function startKeyOf(item: Item, keyAttributes: readonly string[]): Item {
  const key: Item = {};
  for (const name of keyAttributes) {
    if (item[name] === undefined) throw new Error(`A listed item has no ${name}: the list's query must read its keys`);
    key[name] = item[name];
  }
  return key;
}

export async function readPage(run: RunQuery, read: PageRead): Promise<PageResult> {
  const items: Item[] = [];
  let { shard } = read.start;
  let key: Item | undefined = Object.keys(read.start.key).length ? read.start.key : undefined;
  // A filtered list reads a page's worth more each time (what it finds is kept, what is past the page looked at only);
  // a plain one just the room left and one more.
  const filtered = (query: QueryParams) => read.keep !== undefined || query.FilterExpression !== undefined;
  for (let queries = 0; shard < read.queries.length; queries++) {
    if (queries === read.maxQueries) return { items, next: { shard, key: key ?? {} } };
    const query = read.queries[shard]!;
    const room = read.maxResults - items.length;
    const result = await run({
      ...query,
      Limit: (filtered(query) ? read.maxResults : room) + 1,
      ...(key ? { ExclusiveStartKey: key } : {}),
    });
    const found = read.keep ? await read.keep(result.Items ?? []) : (result.Items ?? []);
    if (found.length > room) {
      // Something follows the page: it ends with its last item (or, if it was full already, where this query began).
      const taken = found.slice(0, room);
      items.push(...taken);
      const last = taken[taken.length - 1];
      return { items, next: { shard, key: last ? startKeyOf(last, read.keyAttributes) : (key ?? {}) } };
    }
    items.push(...found);
    key = result.LastEvaluatedKey;
    if (!key) shard++;
  }
  return { items };
}
