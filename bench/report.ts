import type { BundleStats } from './bundles';
import type { HandlerTimeStats } from './handler-time';
import type { BenchOptions } from './options';
import type { StartStats } from './start-time';
import type { HopStats, LatencyStats, OperationStats, SideStats } from './summary';
import { LATENCY_SIDES } from './workload';

export const GOALS = {
  throughputRatio: 0.8,
  bundleBytes: 1024 * 1024,
  coldLoadMs: 150,
  /** One request at a time: service p50 minus floor p50. */
  addedLatencyMs: 0.6,
  /** The local runner's CPU per request over the floor's DynamoDB client's, for the same calls. */
  runnerCpuRatio: 1.2,
  /** DynamoDB Local's CPU per request under the service over under the floor, for the same calls. */
  dynamoCpuRatio: 1.1,
  /** `npm start` to the device API's first answer, DynamoDB Local's start included (the median of the starts after the first). */
  startMs: 3000,
} as const;

export interface BenchResults {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  options: Omit<BenchOptions, 'outDir'>;
  goals: typeof GOALS;
  operations: OperationStats[];
  /** The latency rounds (absent when --latency-things 0). */
  latency?: LatencyStats[];
  /** One more process in the path, alone (with the latency rounds). */
  hop?: HopStats;
  /** A warm invocation's handler time, with and without its DynamoDB calls (with the latency rounds). */
  handlerTime?: HandlerTimeStats[];
  bundles?: BundleStats[];
  /** `npm start`, timed (absent with --starts 0). */
  starts?: StartStats;
  /** Each goal missed, in a sentence. */
  shortfalls: string[];
}

const totalCalls = (side: SideStats) => Object.values(side.callsPerRequest).reduce((a, b) => a + b, 0);
const errorCount = (side: SideStats) => Object.values(side.errors).reduce((a, b) => a + b, 0);
const round = (n: number, digits = 2) => Number(n.toFixed(digits)).toString();

/** The goals each measurement misses, with the measured gap. */
export function findShortfalls(
  operations: readonly OperationStats[],
  bundles: readonly BundleStats[] | undefined,
  latency?: readonly LatencyStats[],
  starts?: StartStats,
  hop?: HopStats,
): string[] {
  const shortfalls: string[] = [];
  if (starts?.startsMs.length && starts.medianMs >= GOALS.startMs) {
    shortfalls.push(
      `npm start: serving after ${round(starts.medianMs / 1000)} s at the median (goal under ${GOALS.startMs / 1000} s), ${round((starts.medianMs - GOALS.startMs) / 1000)} s too long.`,
    );
  }
  if (starts?.stderrLines.length)
    shortfalls.push(
      `npm start printed ${starts.stderrLines.length} lines on stderr (goal none): ${JSON.stringify(starts.stderrLines.slice(0, 3))}.`,
    );
  for (const l of latency ?? []) {
    if (l.addedP50Ms > GOALS.addedLatencyMs) {
      const hopShare = hop
        ? `; a bare relay alone adds ${round(hop.addedP50Ms)} ms here, which leaves ${round(l.addedP50Ms - hop.addedP50Ms)} ms to the adapter and the handler`
        : '';
      shortfalls.push(
        `${l.label}, one request at a time: ${round(l.addedP50Ms)} ms over its DynamoDB calls at p50 (${round(l.plainHttpP50Ms)} against ${round(l.floorP50Ms)}; goal ${GOALS.addedLatencyMs} ms), ${round(l.addedP50Ms - GOALS.addedLatencyMs)} ms too many${hopShare}.`,
      );
    }
    for (const side of LATENCY_SIDES) {
      const count = Object.values(l.errors[side]).reduce((a, b) => a + b, 0);
      if (count)
        shortfalls.push(
          `${l.label}, one request at a time: ${count} ${side} errors (${JSON.stringify(l.errors[side])}).`,
        );
    }
  }
  for (const o of operations) {
    if (o.throughputRatio < GOALS.throughputRatio) {
      shortfalls.push(
        `${o.label}: ${round(o.throughputRatio)} of the floor's throughput (goal ${GOALS.throughputRatio}); each request costs ${round(o.service.p50Ms - o.floor.p50Ms, 1)} ms more at p50 than its DynamoDB calls alone.${cpuExplanation(o)}`,
      );
    }
    if (Math.abs(totalCalls(o.service) - totalCalls(o.floor)) > 1e-9) {
      shortfalls.push(
        `${o.label}: ${describeCalls(o.service)} DynamoDB calls per request against the floor's ${describeCalls(o.floor)}.`,
      );
    }
    const ratios = cpuRatios(o);
    if (ratios.runner !== undefined && ratios.runner > GOALS.runnerCpuRatio) {
      shortfalls.push(
        `${o.label}: the local runner spends ${round(o.service.cpuMsPerRequest.localRunner)} ms of CPU per request, ${round(ratios.runner)} x the floor's DynamoDB client (${round(o.floor.cpuMsPerRequest.deviceDriver)} ms; goal ${GOALS.runnerCpuRatio} x).`,
      );
    }
    if (ratios.dynamo !== undefined && ratios.dynamo > GOALS.dynamoCpuRatio) {
      shortfalls.push(
        `${o.label}: DynamoDB Local spends ${round(o.service.cpuMsPerRequest.dynamoDbLocal!)} ms of CPU per request under the service, ${round(ratios.dynamo)} x under the floor (${round(o.floor.cpuMsPerRequest.dynamoDbLocal!)} ms; goal ${GOALS.dynamoCpuRatio} x).`,
      );
    }
    for (const [side, stats] of [
      ['service', o.service],
      ['floor', o.floor],
    ] as const) {
      if (errorCount(stats))
        shortfalls.push(`${o.label}: ${errorCount(stats)} ${side} errors (${JSON.stringify(stats.errors)}).`);
    }
  }
  for (const b of bundles ?? []) {
    if (b.codeBytes >= GOALS.bundleBytes)
      shortfalls.push(`${b.functionId}: bundle of ${kib(b.codeBytes)} (goal under 1 MiB).`);
    if (b.coldLoadMedianMs >= GOALS.coldLoadMs)
      shortfalls.push(
        `${b.functionId}: cold module load ${round(b.coldLoadMedianMs, 0)} ms (goal under ${GOALS.coldLoadMs} ms).`,
      );
  }
  return shortfalls;
}

/** The service's CPU per request over the floor's, process by process (undefined where not measured). */
export function cpuRatios(o: OperationStats): { runner?: number; dynamo?: number } {
  const service = o.service.cpuMsPerRequest;
  const floor = o.floor.cpuMsPerRequest;
  return {
    ...(floor.deviceDriver > 0 ? { runner: service.localRunner / floor.deviceDriver } : {}),
    ...(service.dynamoDbLocal !== undefined && floor.dynamoDbLocal
      ? { dynamo: service.dynamoDbLocal / floor.dynamoDbLocal }
      : {}),
  };
}

const cpuTotal = (side: SideStats) => Object.values(side.cpuMsPerRequest).reduce((a, b) => a + (b ?? 0), 0);

/** When every process shares the same cores, throughput follows CPU per request: the CPU split says where the gap comes from. */
function cpuExplanation(o: OperationStats): string {
  const { deviceDriver, localRunner, dynamoDbLocal } = o.service.cpuMsPerRequest;
  if (dynamoDbLocal === undefined || o.floor.cpuMsPerRequest.dynamoDbLocal === undefined) return '';
  const service = cpuTotal(o.service);
  const floor = cpuTotal(o.floor);
  return (
    ` CPU per request: the service ${round(service)} ms (device SDK ${round(deviceDriver)}, local runner ${round(localRunner)}, DynamoDB Local ${round(dynamoDbLocal)})` +
    ` against the floor's ${round(floor)} ms; on shared cores that alone predicts a ratio of ${round(floor / service)}.`
  );
}

function describeCalls(side: SideStats): string {
  const entries = Object.entries(side.callsPerRequest).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([name, n]) => `${name} ${round(n)}`).join(' + ') : 'none';
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export function renderMarkdown(results: BenchResults): string {
  const { machine, options } = results;
  const lines = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` on ${results.generatedAt}: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node} (${machine.platform}).`,
    `${options.things} things for the service and ${options.things} for the floor, ${options.jobs} queued jobs each (${options.warmupRounds} warm-up round${options.warmupRounds === 1 ? '' : 's'} not counted), ${options.concurrency} requests in flight.`,
    '',
    '![Throughput and p99 per operation, service against floor](chart.svg)',
    '',
    '## Device operations against their DynamoDB floor',
    '',
    '| Operation | Service req/s | Floor req/s | Ratio | Service p50 / p99 ms | Floor p50 / p99 ms | Errors | DynamoDB calls per request (service; floor) | Capacity units per request (service; floor) |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|',
    ...results.operations
      .map((o) =>
        [
          o.label,
          round(o.service.requestsPerSecond, 0),
          round(o.floor.requestsPerSecond, 0),
          round(o.throughputRatio),
          `${round(o.service.p50Ms, 1)} / ${round(o.service.p99Ms, 1)}`,
          `${round(o.floor.p50Ms, 1)} / ${round(o.floor.p99Ms, 1)}`,
          `${errorCount(o.service)} of ${o.service.requests}`,
          `${describeCalls(o.service)}; ${describeCalls(o.floor)}`,
          `${round(o.service.capacityUnitsPerRequest)}; ${round(o.floor.capacityUnitsPerRequest)}`,
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
  ];
  const cpu = (n: number | undefined) => (n === undefined ? 'n/a' : round(n));
  lines.push(
    '### Where the CPU goes, per request',
    '',
    'CPU milliseconds each process spent per request during the phases. Every process here shares the same cores, so CPU the service adds on top of DynamoDB Local is throughput the floor keeps.',
    '',
    `The ratios compare the same DynamoDB calls: the local runner against the floor's DynamoDB client (goal ${GOALS.runnerCpuRatio} x or less), DynamoDB Local under the service against under the floor (goal ${GOALS.dynamoCpuRatio} x or less).`,
    '',
    '| Operation | Service: device SDK | Service: local runner | Service: DynamoDB Local | Floor: DynamoDB client | Floor: DynamoDB Local | Runner / floor client | DynamoDB Local, service / floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.operations.map((o) => {
      const ratios = cpuRatios(o);
      return `| ${o.label} | ${cpu(o.service.cpuMsPerRequest.deviceDriver)} | ${cpu(o.service.cpuMsPerRequest.localRunner)} | ${cpu(o.service.cpuMsPerRequest.dynamoDbLocal)} | ${cpu(o.floor.cpuMsPerRequest.deviceDriver)} | ${cpu(o.floor.cpuMsPerRequest.dynamoDbLocal)} | ${cpu(ratios.runner)} | ${cpu(ratios.dynamo)} |`;
    }),
    '',
  );
  if (results.latency) {
    lines.push(
      '### One request at a time',
      '',
      `Each operation at concurrency 1, ${results.latency[0]?.requests ?? 0} requests per side, the sides taking turns request by request: the service through the device SDK, the service through a plain keep-alive HTTP client (node:http, no signing: the service's own cost), and the floor. Goal: the service adds at most ${GOALS.addedLatencyMs} ms to its DynamoDB calls at p50 (plain HTTP minus floor); the device SDK column adds the SDK's own time, which a firmware team's test suite pays too.`,
      '',
      '| Operation | Device SDK p50 ms | Plain HTTP p50 ms | Floor p50 ms | Added by the service ms | Added with the device SDK ms |',
      '|---|---:|---:|---:|---:|---:|',
      ...results.latency.map(
        (l) =>
          `| ${l.label} | ${round(l.serviceP50Ms)} | ${round(l.plainHttpP50Ms)} | ${round(l.floorP50Ms)} | ${round(l.addedP50Ms)} | ${round(l.sdkAddedP50Ms)} |`,
      ),
      '',
    );
    if (results.hop) {
      const h = results.hop;
      lines.push(
        `**The hop alone.** One execution read (DescribeJobExecution's GetItem, through the same DynamoDB client) sent straight to DynamoDB Local and through a bare relay in the runner's process (node:http handing the bytes on unread), ${h.requests} times each, taking turns: ${round(h.directP50Ms)} ms straight, ${round(h.relayedP50Ms)} ms relayed at p50. One more process in the path costs ${round(h.addedP50Ms)} ms on this machine before the service does anything; the rest of "Added by the service" is the adapter and the handler.`,
        '',
      );
    }
  }
  if (results.handlerTime) {
    lines.push(
      '## Warm Lambda invocations',
      '',
      `Each device operation's route handler, the very function Lambda runs, called in the bench's own process with API Gateway events, one request at a time (${results.handlerTime[0]?.requests ?? 0} requests each, p50): the handler's time, its DynamoDB calls' (the SDK's work on them included), and the rest, which is ours.`,
      '',
      '| Operation | Handler p50 ms | DynamoDB calls p50 ms | Handler without DynamoDB p50 ms |',
      '|---|---:|---:|---:|',
      ...results.handlerTime.map(
        (h) => `| ${h.label} | ${round(h.handlerP50Ms)} | ${round(h.dynamoP50Ms)} | ${round(h.ownP50Ms, 3)} |`,
      ),
      '',
    );
  }
  if (results.bundles) {
    lines.push(
      '## Lambda bundles',
      '',
      `What \`cdk synth\` packages for each function, and how long a fresh node process takes to import it (median and slowest of ${options.coldLoads}).`,
      '',
      '| Function | Code (index.mjs) | Source map | Cold load median ms | Cold load max ms |',
      '|---|---:|---:|---:|---:|',
      ...results.bundles.map(
        (b) =>
          `| ${b.functionId} | ${kib(b.codeBytes)} | ${kib(b.sourceMapBytes)} | ${round(b.coldLoadMedianMs, 0)} | ${round(b.coldLoadMaxMs, 0)} |`,
      ),
      '',
    );
  }
  if (results.starts) {
    const st = results.starts;
    lines.push(
      '## npm start',
      '',
      `\`npm start\` as typed, from the command to the device API's first answer, DynamoDB Local's start included (in memory, free ports, MQTT on). The first start runs on an empty class-data cache, as on a new checkout, and writes DynamoDB Local's class-data archive as it stops; the others map it. Goal: under ${GOALS.startMs / 1000} s, with nothing printed on stderr.`,
      '',
      '| First start s | Later starts | Median s | Slowest s | Lines on stderr |',
      '|---:|---:|---:|---:|---:|',
      `| ${round(st.firstStartMs / 1000)} | ${st.startsMs.length} | ${round(st.medianMs / 1000)} | ${round(st.maxMs / 1000)} | ${st.stderrLines.length} |`,
      '',
    );
  }
  lines.push(
    '## Where we are short of the goals',
    '',
    `Goals: every operation at ${GOALS.throughputRatio} or more of its floor's throughput, at most ${GOALS.addedLatencyMs} ms over its floor's p50 one request at a time, the runner's CPU per request at most ${GOALS.runnerCpuRatio} x the floor client's and DynamoDB Local's at most ${GOALS.dynamoCpuRatio} x the floor's, the DynamoDB calls per operation at the floor, every bundle under 1 MiB, cold load under ${GOALS.coldLoadMs} ms, \`npm start\` serving within ${GOALS.startMs / 1000} s with nothing on stderr.`,
    '',
    ...(results.shortfalls.length ? results.shortfalls.map((s) => `- ${s}`) : ['Nowhere: every goal is met.']),
    '',
    'Why, and what the numbers mean: see [bench/README.md](../README.md).',
    '',
  );
  return lines.join('\n');
}
