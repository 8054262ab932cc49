import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_BENCH_OPTIONS } from '../../bench/options';
import { runBench } from '../../bench/run-bench';
import { OPERATIONS } from '../../bench/workload/workload';

/** `npm run bench` at toy scale: it keeps working, and the service keeps making exactly the floor's DynamoDB calls. */
describe('benchmark run', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-test-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const things = 6;
  const run = runBench({
    ...DEFAULT_BENCH_OPTIONS,
    things,
    jobs: 3,
    warmupRounds: 1,
    concurrency: 3,
    bundles: false,
    starts: 1,
    outDir,
  });
  // Each test awaits the run and fails with its error; this only keeps a failure from also surfacing as unhandled.
  run.catch(() => undefined);

  it('measures every operation on both sides, each thing once per measured round, with no error', async () => {
    const { operations } = await run;
    expect(operations.map((o) => o.id)).toEqual(OPERATIONS.map((o) => o.id));
    for (const o of operations) {
      expect([o.id, o.service.requests, o.floor.requests]).toEqual([o.id, 2 * things, 2 * things]);
      expect([o.id, o.service.errors, o.floor.errors]).toEqual([o.id, {}, {}]);
      expect(o.throughputRatio).toBeGreaterThan(0);
    }
  }, 120_000);

  it('measures every operation one request at a time too, through the device SDK, plain HTTP and the floor (2 rounds of 3 things each), with no error', async () => {
    const { latency } = await run;
    expect(latency!.map((l) => [l.id, l.requests])).toEqual(OPERATIONS.map((o) => [o.id, 2 * (things / 2)]));
    for (const l of latency!) {
      expect([l.id, l.errors]).toEqual([l.id, { service: {}, 'plain-http': {}, floor: {} }]);
      expect(l.addedP50Ms).toBeCloseTo(l.plainHttpP50Ms - l.floorP50Ms, 9);
      expect(l.sdkAddedP50Ms).toBeCloseTo(l.serviceP50Ms - l.floorP50Ms, 9);
    }
  }, 120_000);

  it('measures the hop alone: the same read straight and through a bare relay, as many times each', async () => {
    const { hop } = await run;
    expect(hop!.requests).toBe(5 * (things / 2));
    expect(hop!.directP50Ms).toBeGreaterThan(0);
    expect(hop!.addedP50Ms).toBeCloseTo(hop!.relayedP50Ms - hop!.directP50Ms, 9);
  }, 120_000);

  it("times each operation's route handler in process (a warm invocation), with and without its DynamoDB calls", async () => {
    const { handlerTime } = await run;
    expect(handlerTime!.map((h) => [h.id, h.requests])).toEqual(OPERATIONS.map((o) => [o.id, things / 2]));
    for (const h of handlerTime!) {
      expect(h.dynamoP50Ms).toBeGreaterThan(0);
      expect(h.handlerP50Ms).toBeGreaterThan(h.dynamoP50Ms);
      expect(h.ownP50Ms).toBeGreaterThan(0);
    }
  }, 120_000);

  it('times npm start: a first start on a fresh class-data cache, then one with its archive, with nothing on stderr', async () => {
    const { starts } = await run;
    expect(starts!.startsMs).toHaveLength(1);
    expect(starts!.firstStartMs).toBeGreaterThan(0);
    expect(starts!.medianMs).toBe(starts!.startsMs[0]);
    expect(starts!.stderrLines).toEqual([]);
  }, 120_000);

  it('counts the service making the same DynamoDB calls per operation as the floor', async () => {
    const { operations } = await run;
    const calls = Object.fromEntries(operations.map((o) => [o.id, o.service.callsPerRequest]));
    expect(calls).toEqual({
      'get-pending': { Query: 1 },
      'describe-next': { Query: 1 },
      'start-next': { Query: 1, UpdateItem: 1 },
      'update-in-progress': { UpdateItem: 1 },
      'describe-by-id': { GetItem: 1 },
      'update-succeeded': { UpdateItem: 1 },
    });
    for (const o of operations) expect([o.id, o.floor.callsPerRequest]).toEqual([o.id, o.service.callsPerRequest]);
    for (const o of operations)
      expect([o.id, o.service.capacityUnitsPerRequest]).toEqual([o.id, o.floor.capacityUnitsPerRequest]);
  }, 120_000);

  it('writes the JSON, the markdown table and a chart naming every operation', async () => {
    await run;
    const json = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as { operations: unknown[] };
    expect(json.operations).toHaveLength(OPERATIONS.length);
    const markdown = readFileSync(join(outDir, 'results.md'), 'utf8');
    const chart = readFileSync(join(outDir, 'chart.svg'), 'utf8');
    expect(existsSync(join(outDir, 'chart.svg'))).toBe(true);
    for (const { label } of OPERATIONS) {
      expect(markdown).toContain(`| ${label} |`);
      expect(chart).toContain(label.replace(/&/g, '&amp;'));
    }
    expect(chart.startsWith('<svg')).toBe(true);
    expect(markdown).toContain('### One request at a time');
    expect(markdown).toContain('## Warm Lambda invocations');
  }, 120_000);
});
