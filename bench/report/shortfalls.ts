import type { BundleStats } from '../meters/bundles';
import type { StartStats } from '../meters/start-time';
import type { HopStats, LatencyStats, OperationStats, SideStats } from '../meters/summary';
import { LATENCY_SIDES } from '../workload/workload';
import { cpuRatios, describeCalls, errorCount, GOALS, kib, round } from './report';

const totalCalls = (side: SideStats) => Object.values(side.callsPerRequest).reduce((a, b) => a + b, 0);

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

const cpuTotal = (side: SideStats) => Object.values(side.cpuMsPerRequest).reduce((a, b) => a + (b ?? 0), 0);

/**
 * When every process shares the same cores, throughput follows CPU per request: the CPU split says where the gap comes
 * from.
 */
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
