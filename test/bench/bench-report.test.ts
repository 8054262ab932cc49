import { describe, expect, it } from 'vitest';
import { type OperationStats, percentile, type SideStats } from '../../bench/meters/summary';
import { DEFAULT_BENCH_OPTIONS, parseBenchArgs, parseFanOutArgs } from '../../bench/options';
import { findShortfalls } from '../../bench/report/shortfalls';

describe('bench options', () => {
  it.each([
    [[], DEFAULT_BENCH_OPTIONS],
    [['--things', '2000', '--jobs', '3'], { ...DEFAULT_BENCH_OPTIONS, things: 2000, jobs: 3 }],
    [['--concurrency', '64', '--no-bundles'], { ...DEFAULT_BENCH_OPTIONS, concurrency: 64, bundles: false }],
    [['--warmup-rounds', '0', '--out', 'x'], { ...DEFAULT_BENCH_OPTIONS, warmupRounds: 0, outDir: 'x' }],
    [['--latency-things', '0'], { ...DEFAULT_BENCH_OPTIONS, latencyThings: 0 }],
    [
      ['--latency-things', '50', '--latency-rounds', '3'],
      { ...DEFAULT_BENCH_OPTIONS, latencyThings: 50, latencyRounds: 3 },
    ],
  ])('%j', (argv, expected) => {
    expect(parseBenchArgs(argv)).toEqual(expected);
  });

  it.each([
    [['--things', '0'], /--things must be a whole number/],
    [['--concurrency', '1.5'], /--concurrency must be a whole number/],
    [['--jobs'], /--jobs needs a value/],
    [['--jobs', '2', '--warmup-rounds', '2'], /nothing would be measured/],
    [['--fast'], /Unknown option --fast/],
    [['--latency-things', '-1'], /--latency-things must be a whole number, 0 or more/],
    [['--latency-rounds', '0'], /--latency-rounds must be a whole number of at least 1/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

describe('fan-out bench options', () => {
  it.each([
    [['--fan-out'], { things: 100_000, outDir: DEFAULT_BENCH_OPTIONS.outDir }],
    [
      ['--fan-out', '--continuous', '--things', '20000'],
      { things: 20_000, outDir: DEFAULT_BENCH_OPTIONS.outDir, continuous: true },
    ],
  ])('%j', (argv, expected) => {
    expect(parseFanOutArgs(argv)).toEqual(expected);
  });

  it('refuses an option it does not know', () => {
    expect(() => parseFanOutArgs(['--fan-out', '--snapshot'])).toThrow(/--continuous/);
  });
});

describe('percentile (nearest rank)', () => {
  it.each([
    [[5], 50, 5],
    [[1, 2, 3, 4], 50, 2],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 50, 50],
    [[1, 2], 99, 2],
  ])('%j at p%d is %d', (sorted, p, expected) => {
    expect(percentile(sorted, p)).toBe(expected);
  });
});

const side = (over: Partial<SideStats> = {}): SideStats => ({
  requests: 100,
  errors: {},
  requestsPerSecond: 100,
  p50Ms: 10,
  p99Ms: 20,
  callsPerRequest: { GetItem: 1 },
  capacityUnitsPerRequest: 1,
  cpuMsPerRequest: { deviceDriver: 1, localRunner: 1 },
  ...over,
});
const operation = (service: SideStats, floor: SideStats): OperationStats => ({
  id: 'describe-by-id',
  label: 'Describe',
  service,
  floor,
  throughputRatio: service.requestsPerSecond / floor.requestsPerSecond,
});

describe('shortfalls', () => {
  it('names nothing when every goal is met', () => {
    const bundle = { functionId: 'Fn', codeBytes: 500_000, sourceMapBytes: 1, coldLoadMedianMs: 40, coldLoadMaxMs: 60 };
    expect(findShortfalls([operation(side({ requestsPerSecond: 80 }), side())], [bundle])).toEqual([]);
  });

  it('explains a short ratio by the CPU each side spends per request, where every process was measured', () => {
    const service = side({
      requestsPerSecond: 50,
      cpuMsPerRequest: { deviceDriver: 0.5, localRunner: 1, dynamoDbLocal: 0.5 },
    });
    const floor = side({ cpuMsPerRequest: { deviceDriver: 0.6, localRunner: 0, dynamoDbLocal: 0.4 } });
    expect(findShortfalls([operation(service, floor)], [])).toEqual([
      expect.stringContaining(
        "CPU per request: the service 2 ms (device SDK 0.5, local runner 1, DynamoDB Local 0.5) against the floor's 1 ms; on shared cores that alone predicts a ratio of 0.5.",
      ),
      // And each process over its goal: the runner against the floor's client, DynamoDB Local against itself under the
      // floor.
      expect.stringContaining(
        "the local runner spends 1 ms of CPU per request, 1.67 x the floor's DynamoDB client (0.6 ms; goal 1.2 x)",
      ),
      expect.stringContaining(
        'DynamoDB Local spends 0.5 ms of CPU per request under the service, 1.25 x under the floor (0.4 ms; goal 1.1 x)',
      ),
    ]);
  });

  it.each([
    [1.2, 1.1, 0],
    [1.21, 1.1, 1],
    [1.2, 1.11, 1],
  ])('the CPU goals: runner %d x and DynamoDB Local %d x the floor give %d shortfalls', (runner, dynamo, count) => {
    const service = side({ cpuMsPerRequest: { deviceDriver: 1, localRunner: runner, dynamoDbLocal: dynamo } });
    const floor = side({ cpuMsPerRequest: { deviceDriver: 1, localRunner: 0, dynamoDbLocal: 1 } });
    expect(findShortfalls([operation(service, floor)], [])).toHaveLength(count);
  });

  it('names an operation one request at a time more than 0.6 ms over its floor at p50, and by how much', () => {
    const none = { service: {}, 'plain-http': {}, floor: {} };
    // The goal is on the plain HTTP client's figure: the device SDK's own time is not the service's.
    const latency = (addedP50Ms: number, errors = none) => ({
      id: 'describe-by-id' as const,
      label: 'Describe',
      requests: 400,
      errors,
      serviceP50Ms: 3.4 + addedP50Ms,
      plainHttpP50Ms: 1.4 + addedP50Ms,
      floorP50Ms: 1.4,
      addedP50Ms,
      sdkAddedP50Ms: 2 + addedP50Ms,
    });
    expect(findShortfalls([], [], [latency(0.6)])).toEqual([]);
    expect(findShortfalls([], [], [latency(1.5)])).toEqual([
      'Describe, one request at a time: 1.5 ms over its DynamoDB calls at p50 (2.9 against 1.4; goal 0.6 ms), 0.9 ms too many.',
    ]);
    expect(findShortfalls([], [], [latency(0, { ...none, 'plain-http': { WrongAnswer: 2 } })])).toEqual([
      'Describe, one request at a time: 2 plain-http errors ({"WrongAnswer":2}).',
    ]);
    // With the bare relay measured, the sentence says how much of it one more process costs alone.
    const hop = { requests: 1000, directP50Ms: 1.4, relayedP50Ms: 1.7, addedP50Ms: 0.3 };
    expect(findShortfalls([], [], [latency(0.9)], undefined, hop)).toEqual([
      'Describe, one request at a time: 0.9 ms over its DynamoDB calls at p50 (2.3 against 1.4; goal 0.6 ms), 0.3 ms too many; a bare relay alone adds 0.3 ms here, which leaves 0.6 ms to the adapter and the handler.',
    ]);
  });

  it('names an npm start over 3 s at the median, and anything it printed on stderr', () => {
    const starts = (startsMs: number[], stderrLines: string[] = []) => ({
      firstStartMs: 4000,
      startsMs,
      medianMs: [...startsMs].sort((a, b) => a - b)[Math.floor(startsMs.length / 2)]!,
      maxMs: Math.max(...startsMs),
      stderrLines,
    });
    expect(findShortfalls([], [], [], starts([2500, 2900, 3400]))).toEqual([]);
    expect(findShortfalls([], [], [], starts([3100, 3300, 2900]))).toEqual([
      'npm start: serving after 3.1 s at the median (goal under 3 s), 0.1 s too long.',
    ]);
    expect(findShortfalls([], [], [], starts([2000], ['(node:1) Warning: something']))).toEqual([
      'npm start printed 1 lines on stderr (goal none): ["(node:1) Warning: something"].',
    ]);
  });

  it('names a ratio under 0.8, extra DynamoDB calls, errors, a big bundle and a slow load', () => {
    const shortfalls = findShortfalls(
      [
        operation(
          side({ requestsPerSecond: 79, callsPerRequest: { GetItem: 1, Query: 1 }, errors: { Throttled: 2 } }),
          side(),
        ),
      ],
      [{ functionId: 'Fn', codeBytes: 2 * 1024 * 1024, sourceMapBytes: 1, coldLoadMedianMs: 151, coldLoadMaxMs: 200 }],
    );
    expect(shortfalls).toEqual([
      expect.stringContaining('Describe: 0.79 of the floor'),
      expect.stringContaining("GetItem 1 + Query 1 DynamoDB calls per request against the floor's GetItem 1"),
      expect.stringContaining('2 service errors'),
      expect.stringContaining('Fn: bundle of 2048 KiB'),
      expect.stringContaining('Fn: cold module load 151 ms'),
    ]);
  });
});
