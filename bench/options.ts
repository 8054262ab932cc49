import type { UpkeepBenchOptions } from './dynamic/upkeep-bench';
import type { FanOutBenchOptions } from './fan-out/fan-out-bench';
import type { SearchBenchOptions } from './search/search-bench';
/** What one benchmark run does; every field has a flag (`npm run bench -- --things 2000`). */
export interface BenchOptions {
  /** Devices on each side: the service's things and, as many again, the floor's. */
  things: number;
  /** Queued jobs per thing; each is one measured round of every operation. */
  jobs: number;
  /** Rounds run first and left out of the results (JIT and connection warm-up). */
  warmupRounds: number;
  /** Requests in flight at once, for the service and for the floor alike. */
  concurrency: number;
  /**
   * Things per side in the latency rounds (one request at a time, after the throughput rounds; at most --things); 0
   * skips them.
   */
  latencyThings: number;
  /** Rounds of the latency phases (each on a job of its own). */
  latencyRounds: number;
  /** Measure the Lambda bundles (a real `cdk synth`, about 30 s). */
  bundles: boolean;
  /** Fresh node processes per bundle for the cold module-load time. */
  coldLoads: number;
  /** Times `npm start` is timed after a first start on a fresh class-data cache; 0 skips the start figures. */
  starts: number;
  outDir: string;
}

export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  things: 500,
  jobs: 8,
  warmupRounds: 1,
  concurrency: 16,
  latencyThings: 200,
  latencyRounds: 2,
  bundles: true,
  coldLoads: 5,
  starts: 5,
  outDir: 'bench/results',
};

const USAGE = `npm run bench -- [--things N] [--jobs M] [--warmup-rounds W] [--concurrency C] [--latency-things L] [--latency-rounds R] [--cold-loads K] [--starts S] [--no-bundles] [--out DIR]`;
const FAN_OUT_USAGE = `npm run bench -- --fan-out [--continuous] [--things N] [--out DIR]`;
const SEARCH_USAGE = `npm run bench -- --search [--things N] [--out DIR]`;
const UPKEEP_USAGE = `npm run bench -- --dynamic-upkeep [--groups 10,100] [--repeats R] [--out DIR]`;

/** What \`npm run bench -- --help\` prints. */
export const BENCH_HELP = `Usage: ${USAGE}
       ${FAN_OUT_USAGE}
       ${SEARCH_USAGE}
       ${UPKEEP_USAGE}

Measures the local service against its floor (the same DynamoDB calls sent straight to DynamoDB
Local) and writes results.{json,md} and chart.svg under --out (default ${DEFAULT_BENCH_OPTIONS.outDir}).

  --things N         devices on each side                          default ${DEFAULT_BENCH_OPTIONS.things}
  --jobs M           queued jobs per thing (one measured round each) default ${DEFAULT_BENCH_OPTIONS.jobs}
  --warmup-rounds W  rounds left out of the results               default ${DEFAULT_BENCH_OPTIONS.warmupRounds}
  --concurrency C    requests in flight at once                    default ${DEFAULT_BENCH_OPTIONS.concurrency}
  --latency-things L things per side measured one request at a time default ${DEFAULT_BENCH_OPTIONS.latencyThings} (0: none)
  --latency-rounds R rounds of those latency phases                default ${DEFAULT_BENCH_OPTIONS.latencyRounds}
  --cold-loads K     fresh processes per bundle for its cold load  default ${DEFAULT_BENCH_OPTIONS.coldLoads}
  --starts S         times npm start is timed after a first start  default ${DEFAULT_BENCH_OPTIONS.starts} (0: none)
  --no-bundles       skip the Lambda bundle measurements (a cdk synth)
  --fan-out          instead: one job over a group of --things things (default 100,000): CreateJob's
                     answer time, the fan-out against its BatchWriteItem floor, the cascades
  --continuous       with --fan-out: a continuous job, things joining the group as it runs
  --search           instead: SearchIndex over --things things (default 100,000) in 10 groups, a
                     page of each keyed read and of queries no key serves, with its DynamoDB calls
  --dynamic-upkeep   instead: the dynamic groups' upkeep per thing change (its time and DynamoDB
                     calls) with --groups N,M dynamic groups (default 10,100), --repeats R changes
                     of each kind there and back (default 10)`;

const POSITIVE_INTEGERS = {
  '--things': 'things',
  '--jobs': 'jobs',
  '--concurrency': 'concurrency',
  '--cold-loads': 'coldLoads',
  '--latency-rounds': 'latencyRounds',
} as const;

/** Flags that may also be 0. */
const WHOLE_NUMBERS = {
  '--warmup-rounds': 'warmupRounds',
  '--latency-things': 'latencyThings',
  '--starts': 'starts',
} as const;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options = { ...DEFAULT_BENCH_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--no-bundles') {
      options.bundles = false;
      continue;
    }
    if (!(flag in POSITIVE_INTEGERS) && !(flag in WHOLE_NUMBERS) && flag !== '--out')
      throw new Error(`Unknown option ${flag}`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag in POSITIVE_INTEGERS) {
      options[POSITIVE_INTEGERS[flag as keyof typeof POSITIVE_INTEGERS]] = positiveInteger(flag, value);
    } else if (flag in WHOLE_NUMBERS) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, 0 or more, not ${value}`);
      options[WHOLE_NUMBERS[flag as keyof typeof WHOLE_NUMBERS]] = n;
    } else {
      options.outDir = value;
    }
  }
  if (options.warmupRounds >= options.jobs)
    throw new Error(
      `--jobs (${options.jobs}) must exceed --warmup-rounds (${options.warmupRounds}): nothing would be measured`,
    );
  return options;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number of at least 1, not ${value}`);
  return n;
}

/** `npm run bench -- --fan-out [--things N] [--out DIR]`: one job for a group of N things (default 100,000). */
export function parseFanOutArgs(argv: readonly string[]): FanOutBenchOptions {
  const options: FanOutBenchOptions = { things: 100_000, outDir: DEFAULT_BENCH_OPTIONS.outDir };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--fan-out') continue;
    if (flag === '--continuous') {
      options.continuous = true;
      continue;
    }
    if (flag !== '--things' && flag !== '--out')
      throw new Error(`Unknown option ${flag}: --fan-out takes --continuous, --things N and --out DIR`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--things') options.things = positiveInteger(flag, value);
    else options.outDir = value;
  }
  return options;
}

/** `npm run bench -- --search [--things N] [--out DIR]`: SearchIndex over N things (default 100,000). */
export function parseSearchArgs(argv: readonly string[]): SearchBenchOptions {
  const options: SearchBenchOptions = { things: 100_000, outDir: DEFAULT_BENCH_OPTIONS.outDir };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--search') continue;
    if (flag !== '--things' && flag !== '--out')
      throw new Error(`Unknown option ${flag}: --search takes --things N and --out DIR`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--things') options.things = positiveInteger(flag, value);
    else options.outDir = value;
  }
  return options;
}

/** `npm run bench -- --dynamic-upkeep [--groups 10,100] [--repeats R] [--out DIR]`. */
export function parseUpkeepArgs(argv: readonly string[]): UpkeepBenchOptions {
  const options: UpkeepBenchOptions = { groupCounts: [10, 100], repeats: 10, outDir: DEFAULT_BENCH_OPTIONS.outDir };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--dynamic-upkeep') continue;
    if (flag !== '--groups' && flag !== '--repeats' && flag !== '--out')
      throw new Error(`Unknown option ${flag}: --dynamic-upkeep takes --groups N,M, --repeats R and --out DIR`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--repeats') options.repeats = positiveInteger(flag, value);
    else if (flag === '--out') options.outDir = value;
    else {
      // AWS's quota: an account has at most 100 dynamic groups.
      options.groupCounts = value.split(',').map((n) => positiveInteger(flag, n));
      if (options.groupCounts.some((n) => n > 100))
        throw new Error('--groups: an account has 100 dynamic groups at most');
    }
  }
  return options;
}
