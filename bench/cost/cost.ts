import { withRequestMetrics } from '../../lambdas/api/http/request-log';
import { type CostLine, PRICES, type Prices } from './cost-prices';

/**
 * What one job execution run to completion costs deployed: created by a
 * fan-out, started with StartNext, updated IN_PROGRESS, then SUCCEEDED, and
 * everything that causes off the request path. The request path's units come
 * from a bench run (results.json, fan-out.json); the rest is counted from the
 * code (OFF_REQUEST); what neither gives is an assumption, passed in.
 */

/** The device requests of one execution: the bench's operation ids, and the operation each logs. */
export const EXECUTION_REQUESTS = [
  { id: 'start-next', operation: 'StartNextPendingJobExecution' },
  { id: 'update-in-progress', operation: 'UpdateJobExecution' },
  { id: 'update-succeeded', operation: 'UpdateJobExecution' },
] as const;

/** Function memory: infra/constructs/handler-function.ts's default, and the job worker's (infra/constructs/job-worker.ts). */
export const ROUTE_MEMORY_GB = 0.5;
export const WORKER_MEMORY_GB = 1;
const READ_CALLS = ['GetItem', 'Query', 'BatchGetItem'];
/** Changes a counts transaction carries at most (lambdas/store/counts.ts). */
const CHANGES_PER_TRANSACTION = 99;

/** What each execution causes off the request path, counted from the code. */
export const OFF_REQUEST = {
  /** The fan-out's put of the execution: the item (~0.5 KB), its `pending` LSI and `executionsByJob` GSI entries. */
  creationWriteUnits: 3,
  /** Per target, an estimate: the fan-out's page of up to 2,000 names and its cursor, its read of group members. */
  fanOutBookkeeping: { writeUnits: 0.05, readUnits: 0.03 },
  /** Changes that move a count: created, started, succeeded (an update of statusDetails alone moves none). */
  countedChanges: 3,
  /** Each counted change's marker (~0.1 KB), put in the counts transaction: a transactional write. */
  markerWriteUnits: 2,
  /** Per counts transaction: the job item's counters, a transactional write of ~0.6 KB. */
  jobCountsWriteUnits: 2,
  /** Per job and stream batch: the job read back (consistent, under 4 KB), its counts-history point (~0.2 KB). */
  jobReadUnits: 1,
  countsPointWriteUnits: 1,
  /** One history entry (~0.4 KB, in no index) per change: CREATED, STARTED, PROGRESS, SUCCEEDED. */
  historyEntries: 4,
  /** The execution's `succeeded` event on the bus (job events come once per job). */
  events: 1,
  /** Left in the table for a month: the item and its index entries (~1 KB), four history entries (~0.5 KB each). */
  storedBytes: 3_000,
};

/** What the bench does not measure, said out loud. */
export interface Assumptions {
  /** One DynamoDB call deployed, added per call to each handler's own measured time. */
  dynamoCallMs: number;
  /** Counted changes of one job per stream batch: 99 (a full transaction) in a rollout, 1 one device at a time. */
  changesPerJobBatch: number;
  /** Counts aggregator invocations per execution, and the billed ms of each. */
  aggregatorInvocations: number;
  aggregatorMs: number;
  /** Share of invocations X-Ray records: Lambda's active tracing takes 1 a second, then 5% of the rest. */
  tracedShare: number;
  /** Log bytes per device request besides its own line: START/END/REPORT, the runtime's prefix, the access log. */
  requestLogOverheadBytes: number;
  /** START, END and REPORT of a background invocation. */
  invocationLogBytes: number;
  /** Bytes each device request sends back to the internet, headers included. */
  responseBytes: number;
}

const COMMON = { dynamoCallMs: 8, requestLogOverheadBytes: 680, invocationLogBytes: 350, responseBytes: 1_000 };
/** Big jobs, many devices reporting at once: stream batches of up to 1,000 records. */
export const ROLLOUT: Assumptions = {
  ...COMMON,
  changesPerJobBatch: 99,
  aggregatorInvocations: 0.005,
  aggregatorMs: 800,
  tracedShare: 0.1,
};
/** Devices reporting one at a time: each change a stream batch of its own, every invocation traced. */
export const TRICKLE: Assumptions = {
  ...COMMON,
  changesPerJobBatch: 1,
  aggregatorInvocations: 7,
  aggregatorMs: 25,
  tracedShare: 1,
};

/** What the cost reads of bench/results/results.json. */
export interface MeasuredRequests {
  operations: readonly {
    id: string;
    service: { callsPerRequest: Record<string, number>; capacityUnitsPerRequest: number };
  }[];
  handlerTime?: readonly { id: string; ownP50Ms: number }[];
}
/** What it reads of bench/results/fan-out.json. */
export interface MeasuredFanOut {
  things: number;
  fanOut: { seconds: number };
}

export interface ExecutionUnits {
  apiRequests: number;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  writeUnits: { requests: number; fanOut: number; counts: number; history: number };
  readUnits: number;
  events: number;
  logGb: number;
  traces: number;
  storedGb: number;
  transferOutGb: number;
}

/** The bytes of a request's own log line, its embedded metrics included, as a route logs it. */
export function requestLineBytes(operation: string): number {
  const line = withRequestMetrics({
    time: '2026-12-07T04:07:08.451Z',
    level: 'info',
    operation,
    requestId: 'c0a8e1f2-3b4c-4d5e-8f90-a1b2c3d4e5f6',
    status: 200,
    latencyMs: 12.345,
    thingName: 'pump-000123',
    jobId: 'ota-2026-12-01',
  });
  return Buffer.byteLength(JSON.stringify(line));
}

export function executionUnits(bench: MeasuredRequests, fanOut: MeasuredFanOut, a: Assumptions): ExecutionUnits {
  let reads = 0;
  let requestWrites = 0;
  let gbSeconds = 0;
  let logBytes = 0;
  for (const { id, operation } of EXECUTION_REQUESTS) {
    const measured = bench.operations.find((op) => op.id === id)?.service;
    if (!measured) throw new Error(`The bench results have no ${id} operation`);
    const calls = Object.values(measured.callsPerRequest).reduce((sum, n) => sum + n, 0);
    // A read call reads one item under 4 KB, strongly consistent: 1 unit. The rest of the capacity is writes.
    const readCalls = READ_CALLS.reduce((sum, name) => sum + (measured.callsPerRequest[name] ?? 0), 0);
    reads += readCalls;
    requestWrites += measured.capacityUnitsPerRequest - readCalls;
    const ownMs = bench.handlerTime?.find((h) => h.id === id)?.ownP50Ms ?? 0;
    gbSeconds += (ROUTE_MEMORY_GB * Math.ceil(ownMs + calls * a.dynamoCallMs)) / 1000;
    logBytes += requestLineBytes(operation) + a.requestLogOverheadBytes;
  }
  const o = OFF_REQUEST;
  const jobBatches = o.countedChanges / a.changesPerJobBatch;
  const transactions = o.countedChanges / Math.min(a.changesPerJobBatch, CHANGES_PER_TRANSACTION);
  gbSeconds += (a.aggregatorInvocations * a.aggregatorMs * ROUTE_MEMORY_GB) / 1000;
  // The worker's measured pace: its billed time per target.
  gbSeconds += (fanOut.fanOut.seconds / fanOut.things) * WORKER_MEMORY_GB;
  logBytes += a.aggregatorInvocations * a.invocationLogBytes;
  const requests = EXECUTION_REQUESTS.length;
  return {
    apiRequests: requests,
    lambdaRequests: requests + a.aggregatorInvocations,
    lambdaGbSeconds: gbSeconds,
    writeUnits: {
      requests: requestWrites,
      fanOut: o.creationWriteUnits + o.fanOutBookkeeping.writeUnits,
      counts:
        o.countedChanges * o.markerWriteUnits +
        transactions * o.jobCountsWriteUnits +
        jobBatches * o.countsPointWriteUnits,
      history: o.historyEntries,
    },
    readUnits: reads + o.fanOutBookkeeping.readUnits + jobBatches * o.jobReadUnits,
    events: o.events,
    logGb: logBytes / 1e9,
    traces: (requests + a.aggregatorInvocations) * a.tracedShare,
    storedGb: o.storedBytes / 1e9,
    transferOutGb: (requests * a.responseBytes) / 1e9,
  };
}

const sum = (parts: Record<string, number>) => Object.values(parts).reduce((total, n) => total + n, 0);

/** Dollars per execution, item by item. */
export function executionCost(u: ExecutionUnits, p: Prices = PRICES): CostLine[] {
  const db = p.dynamoDb;
  const logs = p.cloudWatch.logIngestionPerGb + p.cloudWatch.logStoragePerGbMonth;
  return [
    { item: 'API Gateway (HTTP API requests)', dollars: u.apiRequests * p.apiGatewayHttpPerRequest },
    { item: 'Lambda requests', dollars: u.lambdaRequests * p.lambda.perRequest },
    { item: 'Lambda duration (arm64)', dollars: u.lambdaGbSeconds * p.lambda.perGbSecond },
    { item: 'DynamoDB writes', dollars: sum(u.writeUnits) * db.perWriteUnit },
    { item: 'DynamoDB reads', dollars: u.readUnits * db.perReadUnit },
    { item: 'DynamoDB storage and PITR (a month)', dollars: u.storedGb * (db.storagePerGbMonth + db.pitrPerGbMonth) },
    { item: 'EventBridge events', dollars: u.events * p.eventBridgeCustomEvent },
    { item: 'CloudWatch Logs (ingested, a month stored)', dollars: u.logGb * logs },
    { item: 'X-Ray traces', dollars: u.traces * p.xRayPerTrace },
    { item: 'Data transfer out', dollars: u.transferOutGb * p.transferOutPerGb },
  ];
}
