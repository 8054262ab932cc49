import { ROUTE_MEMORY_GB, WORKER_MEMORY_GB } from './cost';
import { type CostLine, PRICES, type Prices } from './cost-prices';

/** What the deployed stack costs in a month with nothing happening, counted from infra/. */
export interface IdleAssumptions {
  /** Billed ms of a sweep (16 shard queries at once) and of the job worker's look for stalled work. */
  sweepMs: number;
  resumeMs: number;
  /** START, END and REPORT of an invocation; the sweep's own line (its three metrics embedded). */
  invocationLogBytes: number;
  sweepLineBytes: number;
  /** ReceiveMessage calls a minute from Lambda's pollers on the empty work queue (long polls of 20 s). */
  sqsReceivesPerMinute: number;
  /** The table's size, for its storage and point-in-time recovery. */
  tableGb: number;
}

export const IDLE: IdleAssumptions = {
  sweepMs: 30,
  resumeMs: 20,
  invocationLogBytes: 350,
  sweepLineBytes: 550,
  sqsReceivesPerMinute: 15,
  tableGb: 1,
};

/** 730 hours: the sweeper's schedule and the job worker's each run once a minute. */
export const MINUTES_PER_MONTH = 43_800;
/** 9 alarms: the two 5xx rates read 2 metrics each, the background throttles 4, the other six 1 each. */
export const ALARM_METRICS = 14;
/** The deadline index's shards (one Query each per sweep) and the sweep's embedded metrics. */
const DEADLINE_SHARDS = 16;
const SWEEP_METRICS = 3;

export function idleMonthCost(i: IdleAssumptions = IDLE, p: Prices = PRICES): CostLine[] {
  const runs = MINUTES_PER_MONTH;
  const gbSeconds = (runs * (i.sweepMs * ROUTE_MEMORY_GB + i.resumeMs * WORKER_MEMORY_GB)) / 1000;
  const lambda = 2 * runs * p.lambda.perRequest + gbSeconds * p.lambda.perGbSecond;
  // Index queries (eventually consistent) that find nothing: half a unit each.
  const reads = runs * (DEADLINE_SHARDS + 1) * 0.5 * p.dynamoDb.perReadUnit;
  const logBytes = runs * (2 * i.invocationLogBytes + i.sweepLineBytes);
  const logs = (logBytes * (p.cloudWatch.logIngestionPerGb + p.cloudWatch.logStoragePerGbMonth)) / 1e9;
  const table = i.tableGb * (p.dynamoDb.storagePerGbMonth + p.dynamoDb.pitrPerGbMonth);
  return [
    { item: 'Lambda: the two schedules', dollars: lambda },
    { item: 'DynamoDB reads: 16 shard queries a sweep, 1 for stalled work', dollars: reads },
    { item: 'CloudWatch Logs: their lines', dollars: logs },
    { item: "Custom metrics: the sweep's three", dollars: SWEEP_METRICS * p.cloudWatch.customMetricMonth },
    { item: 'X-Ray: every scheduled run traced', dollars: 2 * runs * p.xRayPerTrace },
    { item: 'SQS: Lambda polling the work queue', dollars: runs * i.sqsReceivesPerMinute * p.sqsPerRequest },
    { item: `Alarms: ${ALARM_METRICS} alarm metrics`, dollars: ALARM_METRICS * p.cloudWatch.alarmMetricMonth },
    { item: 'Dashboard', dollars: p.cloudWatch.dashboardMonth },
    { item: `Table storage and PITR (${i.tableGb} GB)`, dollars: table },
  ];
}
