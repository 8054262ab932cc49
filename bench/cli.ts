import { readCommandLine, showUsage } from '../local/cli/command-line';
import { BENCH_HELP, parseBenchArgs, parseFanOutArgs, parseSearchArgs, parseUpkeepArgs } from './options';

// The benches (the service, the SDK clients, DynamoDB Local) are loaded once the arguments are read: --help and a
// mistake answer without them.

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) showUsage(BENCH_HELP);
if (argv.includes('--fan-out')) {
  const fanOut = readCommandLine(BENCH_HELP, () => parseFanOutArgs(argv));
  const { renderFanOut, runFanOutBench } = await import('./fan-out/fan-out-bench');
  const results = await runFanOutBench(fanOut, (line) => console.log(`[bench] ${line}`));
  console.log(renderFanOut(results));
  console.log(`Results written to ${fanOut.outDir}/${fanOut.continuous ? 'fan-out-continuous' : 'fan-out'}.{json,md}`);
  process.exit(0);
}
if (argv.includes('--search')) {
  const search = readCommandLine(BENCH_HELP, () => parseSearchArgs(argv));
  const { renderSearch, runSearchBench } = await import('./search/search-bench');
  const results = await runSearchBench(search, (line) => console.log(`[bench] ${line}`));
  console.log(renderSearch(results));
  console.log(`Results written to ${search.outDir}/search.{json,md}`);
  process.exit(0);
}
if (argv.includes('--dynamic-upkeep')) {
  const upkeep = readCommandLine(BENCH_HELP, () => parseUpkeepArgs(argv));
  const { renderUpkeep, runUpkeepBench } = await import('./dynamic/upkeep-bench');
  const results = await runUpkeepBench(upkeep, (line) => console.log(`[bench] ${line}`));
  console.log(renderUpkeep(results, upkeep.repeats));
  console.log(`Results written to ${upkeep.outDir}/dynamic-upkeep.{json,md}`);
  process.exit(0);
}
const options = readCommandLine(BENCH_HELP, () => parseBenchArgs(argv));
const { runBench } = await import('./run-bench');
const results = await runBench(options, (line) => console.log(`[bench] ${line}`));
for (const o of results.operations) {
  console.log(
    `${o.label.padEnd(48)} ${o.service.requestsPerSecond.toFixed(0).padStart(6)} req/s  floor ${o.floor.requestsPerSecond.toFixed(0).padStart(6)}  ratio ${o.throughputRatio.toFixed(2)}  p50 ${o.service.p50Ms.toFixed(1)} ms  p99 ${o.service.p99Ms.toFixed(1)} ms`,
  );
}
for (const b of results.bundles ?? []) {
  console.log(
    `${b.functionId.padEnd(48)} ${(b.codeBytes / 1024).toFixed(0).padStart(6)} KiB  cold load ${b.coldLoadMedianMs.toFixed(0)} ms`,
  );
}
console.log(
  results.shortfalls.length ? `Short of the goals:\n- ${results.shortfalls.join('\n- ')}` : 'Every goal met.',
);
console.log(`Results written to ${options.outDir}/results.{json,md} and chart.svg`);
