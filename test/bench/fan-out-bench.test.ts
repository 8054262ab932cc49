import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFanOutBench } from '../../bench/fan-out/fan-out-bench';

/**
 * `npm run bench -- --fan-out` at toy scale: past what CreateJob does itself, so the worker, both cascades and the
 * floor all run.
 */
describe('fan-out benchmark run', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'fan-out-bench-test-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const things = 1200;
  const run = runFanOutBench({ things, outDir }, () => undefined);
  run.catch(() => undefined);

  it('fans a group job out to every thing, cascades it away, and measures each step', async () => {
    const results = await run;
    expect(results.things).toBe(things);
    for (const figure of [
      results.createJobAnswerMs,
      results.fanOut.executionsPerSecond,
      results.floor.executionsPerSecond,
      results.cancelCascadeSeconds,
      results.deleteCascadeSeconds,
    ]) {
      expect(figure).toBeGreaterThan(0);
    }
  }, 180_000);

  it("measures DynamoDB Local's storage thread under each side (from /proc, on Linux)", async () => {
    const { storageThread } = await run;
    expect(storageThread?.fanOutSeconds).toBeGreaterThan(0);
    expect(storageThread?.floorSeconds).toBeGreaterThan(0);
    expect(storageThread?.ratio).toBeCloseTo(storageThread!.floorSeconds / storageThread!.fanOutSeconds, 1);
  }, 180_000);

  it('counts the fan-out at a few calls per hundred targets: BatchWriteItem per 25, a handful per page, no lookups of things nobody deleted', async () => {
    const { fanOutCalls, callsPerTarget, floorCallsPerTarget } = await run;
    expect(fanOutCalls.BatchWriteItem).toBe(things / 25);
    // CreateJob's look at the target group; the pages' registry checks read the deletion marks (none) with a Query
    // each.
    expect(fanOutCalls.BatchGetItem ?? 0).toBeLessThanOrEqual(1);
    expect(floorCallsPerTarget).toBe(0.04);
    expect(callsPerTarget).toBeLessThan(0.07);
  }, 180_000);

  it('writes its results as JSON and markdown', async () => {
    await run;
    expect(JSON.parse(readFileSync(join(outDir, 'fan-out.json'), 'utf8')).things).toBe(things);
    expect(existsSync(join(outDir, 'fan-out.md'))).toBe(true);
  }, 180_000);
});
