import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runUpkeepBench } from '../../bench/dynamic/upkeep-bench';
import { parseUpkeepArgs } from '../../bench/options';

/** `npm run bench -- --dynamic-upkeep` at toy scale: a membership written per group moved, one listing read a change. */
const outDir = mkdtempSync(join(tmpdir(), 'upkeep-bench-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it('writes only the memberships a change moves, after one read of the listings', async () => {
  const { runs } = await runUpkeepBench({ groupCounts: [4], repeats: 1, outDir }, () => undefined);
  expect(runs[0]!.changes.map((c) => [c.moved, c.calls.calls])).toEqual([
    [4, { Query: 1, TransactWriteItems: 4 }],
    [1, { Query: 1, TransactWriteItems: 1 }],
    [2, { Query: 1, TransactWriteItems: 2 }],
    [0, { Query: 1 }],
  ]);
  expect(readFileSync(join(outDir, 'dynamic-upkeep.md'), 'utf8')).toMatch(
    /\| 4 \| created, matching every group \| 4 \|/,
  );
}, 120_000);

it('takes its flags', () => {
  expect(parseUpkeepArgs(['--dynamic-upkeep', '--groups', '10,100', '--repeats', '3'])).toMatchObject({
    groupCounts: [10, 100],
    repeats: 3,
  });
  expect(() => parseUpkeepArgs(['--dynamic-upkeep', '--groups', '101'])).toThrow(/100 dynamic groups at most/);
});
