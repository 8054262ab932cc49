import {
  type CallTally,
  type CpuByProcess,
  LATENCY_SIDES,
  type LatencyResult,
  type LatencySide,
  OPERATIONS,
  type OperationId,
  type PhaseResult,
  type Target,
} from '../workload/workload';

export interface SideStats {
  requests: number;
  errors: Record<string, number>;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** DynamoDB calls per request, by command. */
  callsPerRequest: Record<string, number>;
  capacityUnitsPerRequest: number;
  /** Where the machine's CPU went, per request: what limits throughput when every core is busy. */
  cpuMsPerRequest: CpuByProcess;
}

export interface OperationStats {
  id: OperationId;
  label: string;
  service: SideStats;
  floor: SideStats;
  /** Service throughput over floor throughput; the goal is 0.8 or more. */
  throughputRatio: number;
}

/** One operation's measured phases on one side, added up. */
interface Accumulated {
  latenciesMs: number[];
  errors: Record<string, number>;
  wallMs: number;
  tally: CallTally;
  cpuMs: CpuByProcess;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The median of values in any order. */
export const median = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export class ResultCollector {
  private readonly sides = new Map<string, Accumulated>();

  add(operation: OperationId, target: Target, phase: PhaseResult, tally: CallTally, cpuMs: CpuByProcess): void {
    const key = `${operation}/${target}`;
    const sum = this.sides.get(key) ?? {
      latenciesMs: [],
      errors: {},
      wallMs: 0,
      tally: { calls: {}, capacityUnits: 0 },
      cpuMs: { deviceDriver: 0, localRunner: 0, ...(cpuMs.dynamoDbLocal !== undefined ? { dynamoDbLocal: 0 } : {}) },
    };
    sum.latenciesMs.push(...phase.latenciesMs);
    sum.wallMs += phase.wallMs;
    for (const [name, count] of Object.entries(phase.errors)) sum.errors[name] = (sum.errors[name] ?? 0) + count;
    for (const [name, count] of Object.entries(tally.calls))
      sum.tally.calls[name] = (sum.tally.calls[name] ?? 0) + count;
    sum.tally.capacityUnits += tally.capacityUnits;
    sum.cpuMs.deviceDriver += cpuMs.deviceDriver;
    sum.cpuMs.localRunner += cpuMs.localRunner;
    if (sum.cpuMs.dynamoDbLocal !== undefined) sum.cpuMs.dynamoDbLocal += cpuMs.dynamoDbLocal ?? 0;
    this.sides.set(key, sum);
  }

  summarize(): OperationStats[] {
    return OPERATIONS.map(({ id, label }) => {
      const service = this.side(id, 'service');
      const floor = this.side(id, 'floor');
      return { id, label, service, floor, throughputRatio: service.requestsPerSecond / floor.requestsPerSecond };
    });
  }

  private side(operation: OperationId, target: Target): SideStats {
    const sum = this.sides.get(`${operation}/${target}`);
    if (!sum) throw new Error(`No ${target} measurement of ${operation}`);
    const sorted = [...sum.latenciesMs].sort((a, b) => a - b);
    const errorCount = Object.values(sum.errors).reduce((a, b) => a + b, 0);
    const requests = sorted.length + errorCount;
    return {
      requests,
      errors: sum.errors,
      // Only answered requests count as throughput.
      requestsPerSecond: sorted.length / (sum.wallMs / 1000),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      callsPerRequest: Object.fromEntries(
        Object.entries(sum.tally.calls).map(([name, count]) => [name, count / requests]),
      ),
      capacityUnitsPerRequest: sum.tally.capacityUnits / requests,
      cpuMsPerRequest: {
        deviceDriver: sum.cpuMs.deviceDriver / requests,
        localRunner: sum.cpuMs.localRunner / requests,
        ...(sum.cpuMs.dynamoDbLocal !== undefined ? { dynamoDbLocal: sum.cpuMs.dynamoDbLocal / requests } : {}),
      },
    };
  }
}

/**
 * What one more process in the path costs, alone: the same read straight and through a bare relay (p50s, one request at
 * a time).
 */
export interface HopStats {
  requests: number;
  directP50Ms: number;
  relayedP50Ms: number;
  /** Relayed minus direct. */
  addedP50Ms: number;
}

export function summarizeHop(result: { directMs: number[]; relayedMs: number[] }): HopStats {
  const directP50Ms = median(result.directMs);
  const relayedP50Ms = median(result.relayedMs);
  return { requests: result.directMs.length, directP50Ms, relayedP50Ms, addedP50Ms: relayedP50Ms - directP50Ms };
}

/** One operation one request at a time: what each request costs on top of its DynamoDB calls. */
export interface LatencyStats {
  id: OperationId;
  label: string;
  /** Requests per side. */
  requests: number;
  errors: Record<LatencySide, Record<string, number>>;
  /** Through the official device SDK. */
  serviceP50Ms: number;
  /** Through a plain keep-alive HTTP client: the service's own cost, without the SDK's. */
  plainHttpP50Ms: number;
  floorP50Ms: number;
  /** Plain HTTP p50 minus floor p50: what the service adds (the goal is 0.6 ms or less). */
  addedP50Ms: number;
  /** Device SDK p50 minus floor p50: what a device SDK user waits on top of DynamoDB. */
  sdkAddedP50Ms: number;
}

/** The latency phases' requests, added up per operation and side. */
export class LatencyCollector {
  private readonly results = new Map<OperationId, LatencyResult[]>();

  add(operation: OperationId, result: LatencyResult): void {
    this.results.set(operation, [...(this.results.get(operation) ?? []), result]);
  }

  summarize(): LatencyStats[] {
    return OPERATIONS.map(({ id, label }) => {
      const results = this.results.get(id) ?? [];
      const sorted = (side: LatencySide) => results.flatMap((r) => r.latenciesMs[side]).sort((a, b) => a - b);
      const errors = Object.fromEntries(
        LATENCY_SIDES.map((side) => {
          const counts: Record<string, number> = {};
          for (const r of results)
            for (const [name, n] of Object.entries(r.errors[side])) counts[name] = (counts[name] ?? 0) + n;
          return [side, counts];
        }),
      ) as Record<LatencySide, Record<string, number>>;
      const [service, plain, floor] = LATENCY_SIDES.map((side) => percentile(sorted(side), 50)) as [
        number,
        number,
        number,
      ];
      return {
        id,
        label,
        requests: results.reduce(
          (sum, r) => sum + r.latenciesMs.floor.length + Object.values(r.errors.floor).reduce((a, b) => a + b, 0),
          0,
        ),
        errors,
        serviceP50Ms: service,
        plainHttpP50Ms: plain,
        floorP50Ms: floor,
        addedP50Ms: plain - floor,
        sdkAddedP50Ms: service - floor,
      };
    });
  }
}
