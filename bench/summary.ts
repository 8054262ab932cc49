import { OPERATIONS, type CallTally, type CpuByProcess, type OperationId, type PhaseResult, type Target } from './workload';

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
    for (const [name, count] of Object.entries(tally.calls)) sum.tally.calls[name] = (sum.tally.calls[name] ?? 0) + count;
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
      callsPerRequest: Object.fromEntries(Object.entries(sum.tally.calls).map(([name, count]) => [name, count / requests])),
      capacityUnitsPerRequest: sum.tally.capacityUnits / requests,
      cpuMsPerRequest: {
        deviceDriver: sum.cpuMs.deviceDriver / requests,
        localRunner: sum.cpuMs.localRunner / requests,
        ...(sum.cpuMs.dynamoDbLocal !== undefined ? { dynamoDbLocal: sum.cpuMs.dynamoDbLocal / requests } : {}),
      },
    };
  }
}

/** One operation one request at a time: what each request costs on top of its DynamoDB calls. */
export interface LatencyStats {
  id: OperationId;
  label: string;
  requests: number;
  serviceP50Ms: number;
  floorP50Ms: number;
  /** Service p50 minus floor p50; the goal is 0.6 ms or less. */
  addedP50Ms: number;
}

export const latencyOf = (operations: readonly OperationStats[]): LatencyStats[] =>
  operations.map((o) => ({ id: o.id, label: o.label, requests: o.service.requests, serviceP50Ms: o.service.p50Ms, floorP50Ms: o.floor.p50Ms, addedP50Ms: o.service.p50Ms - o.floor.p50Ms }));
