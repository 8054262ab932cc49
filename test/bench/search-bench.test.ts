import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSearchBench } from '../../bench/search/search-bench';

/** `npm run bench -- --search` at toy scale: every search answers, from the reads its query allows. */
describe('search benchmark run', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'search-bench-test-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const run = runSearchBench({ things: 1000, outDir }, () => undefined);
  run.catch(() => undefined);
  const measure = async (label: string) => (await run).searches.find((s) => s.label.startsWith(label))!;

  it('finds what each query asks for, a page of 100 at most', async () => {
    expect((await measure('one thing')).pages[0]!.found).toBe(1);
    const all = await measure('every thing');
    expect(all.pages.map((p) => [p.found, p.more])).toEqual([
      [100, true],
      [100, true],
    ]);
    expect((await measure('thing groups')).pages[0]!.found).toBe(10);
  }, 180_000);

  it('reads by key, a bounded number of queries a page, and no read per thing', async () => {
    expect((await measure('one thing')).pages[0]!.calls.calls).toEqual({ GetItem: 2 });
    for (const page of (await measure('every thing')).pages) expect(page.calls.calls).toEqual({ GetItem: 1, Query: 1 });
    const group = (await measure("a group's members")).pages[0]!.calls.calls;
    expect(group.Query).toBeLessThanOrEqual(10);
    for (const page of (await measure('attributes only: 0.25%')).pages)
      expect(page.calls.calls.Query).toBeLessThanOrEqual(10);
  }, 180_000);

  it('writes its results', async () => {
    await run;
    expect(readFileSync(join(outDir, 'search.md'), 'utf8')).toMatch(/SearchIndex at 1,000 things/);
  });
});
