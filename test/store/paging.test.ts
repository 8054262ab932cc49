import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ListPosition, type QueryResult, readPage, startKeyOf } from '../../lambdas/store/table/paging';
import type { Item, QueryParams } from '../../lambdas/store/table/table-params';

/**
 * The one paging helper every list reads through, against a query function that behaves as DynamoDB's Query does
 * (Limit counts the items read before the filter; a LastEvaluatedKey whenever the Limit stopped the read, even at the
 * list's very end), without DynamoDB.
 */

type Shard = { names: string[] };

/** DynamoDB's Query over shards of items keyed by name; `FilterExpression` set: only names the filter passes. */
function fakeQuery(shards: Shard[], passes: (name: string) => boolean, calls: QueryParams[]) {
  return (params: QueryParams): Promise<QueryResult> => {
    calls.push(params);
    const shard = shards[Number(params.KeyConditionExpression)]!;
    const after = params.ExclusiveStartKey?.name as string | undefined;
    const from = after === undefined ? 0 : shard.names.indexOf(after) + 1;
    const read = shard.names.slice(from, from + (params.Limit ?? shard.names.length));
    const last = read[read.length - 1];
    const stoppedByLimit = params.Limit !== undefined && read.length === params.Limit;
    return Promise.resolve({
      Items: read.filter((name) => !params.FilterExpression || passes(name)).map((name) => ({ pk: 'p', name })),
      ...(stoppedByLimit && last !== undefined ? { LastEvaluatedKey: { pk: 'p', name: last } } : {}),
    });
  };
}

async function readAll(
  shards: Shard[],
  maxResults: number,
  options: { filter?: (name: string) => boolean; keep?: (name: string) => boolean; maxQueries?: number } = {},
) {
  const calls: QueryParams[] = [];
  const run = fakeQuery(shards, options.filter ?? (() => true), calls);
  const pages: string[][] = [];
  let start: ListPosition | undefined = { shard: 0, key: {} };
  while (start) {
    const page = await readPage(run, {
      queries: shards.map((_, i) => ({
        KeyConditionExpression: String(i),
        ...(options.filter ? { FilterExpression: 'filtered' } : {}),
      })),
      maxResults,
      start,
      keyAttributes: ['pk', 'name'],
      maxQueries: options.maxQueries ?? 10,
      ...(options.keep
        ? { keep: (items: Item[]) => Promise.resolve(items.filter((i) => options.keep!(i.name as string))) }
        : {}),
    });
    pages.push(page.items.map((item) => item.name as string));
    start = page.next;
    if (pages.length > 1000) throw new Error('never ends');
  }
  return { pages, calls };
}

const names = (n: number, prefix = 'n') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

describe('readPage', () => {
  it('gives no nextToken when the list ends exactly at the page size, in one query', async () => {
    const { pages, calls } = await readAll([{ names: names(5) }], 5);
    expect(pages).toEqual([names(5)]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.Limit).toBe(6);
  });

  it('ends the last of several pages without a token, and each page after the last item it gave', async () => {
    const { pages } = await readAll([{ names: names(6) }], 3);
    expect(pages).toEqual([names(6).slice(0, 3), names(6).slice(3)]);
  });

  it('looks past empty shards at the end of a list read across shards', async () => {
    const { pages } = await readAll([{ names: names(4, 'a') }, { names: [] }, { names: [] }], 4);
    expect(pages).toEqual([names(4, 'a')]);
  });

  it('starts the next page at the next shard when the page ended with its shard', async () => {
    const { pages } = await readAll([{ names: names(2, 'a') }, { names: [] }, { names: names(1, 'c') }], 2);
    expect(pages).toEqual([names(2, 'a'), names(1, 'c')]);
  });

  it('fills a filtered page across queries, and leaves no empty page at the end', async () => {
    const even = (name: string) => Number(name.slice(1)) % 2 === 0;
    const { pages } = await readAll([{ names: names(20) }], 5, { filter: even });
    expect(pages).toEqual([names(20).filter(even).slice(0, 5), names(20).filter(even).slice(5)]);
  });

  it('counts only what a filter of its own keeps', async () => {
    const keep = (name: string) => name.endsWith('3');
    const { pages } = await readAll([{ names: names(40) }], 2, { keep });
    expect(pages).toEqual([
      ['n0003', 'n0013'],
      ['n0023', 'n0033'],
    ]);
  });

  it('stops at its query budget with a token where it stands, and goes on from there', async () => {
    const late = (name: string) => name >= 'n0090';
    const { pages, calls } = await readAll([{ names: names(100) }], 2, { filter: late, maxQueries: 3 });
    expect(pages.flat()).toEqual(names(100).filter(late));
    expect(pages[0]).toEqual([]);
    expect(calls.length).toBeGreaterThan(3);
  });

  it('builds the next start key from the item, and says so when the item lacks one', () => {
    expect(startKeyOf({ pk: 'p', sk: 's', other: 1 }, ['pk', 'sk'])).toEqual({ pk: 'p', sk: 's' });
    expect(() => startKeyOf({ pk: 'p' }, ['pk', 'sk'])).toThrow(/sk/);
  });

  it('for any list, page size, filter and shards: every item once, in order, and no token before an empty end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (sizes, maxResults, modulo, useKeep) => {
          const shards = sizes.map((size, i) => ({ names: names(size, `s${i}-`) }));
          const passes = (name: string) => Number(name.slice(-4)) % modulo === 0;
          const { pages } = await readAll(shards, maxResults, useKeep ? { keep: passes } : { filter: passes });
          const expected = shards.flatMap((s) => s.names).filter(passes);
          expect(pages.flat()).toEqual(expected);
          // Only the first page may be empty (an empty list); with the budget never reached here, no page is short
          // but the last.
          for (const page of pages.slice(0, -1)) expect(page).toHaveLength(maxResults);
          if (pages.length > 1) expect(pages[pages.length - 1]!.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
