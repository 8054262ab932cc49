import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Assumptions,
  executionCost,
  executionUnits,
  type MeasuredFanOut,
  type MeasuredRequests,
  ROLLOUT,
  requestLineBytes,
} from '../../bench/cost/cost';
import { iotJobsMonthlyCost, PRICES, type Prices, total } from '../../bench/cost/cost-prices';
import { IDLE, idleMonthCost, MINUTES_PER_MONTH } from '../../bench/cost/idle-cost';

/** Every price 1 dollar per unit: each cost line is then its units. */
const ones = (prices: object): Prices =>
  Object.fromEntries(
    Object.entries(prices).map(([key, value]) => [key, typeof value === 'number' ? 1 : ones(value)]),
  ) as unknown as Prices;

const bench: MeasuredRequests = {
  operations: [
    { id: 'start-next', service: { callsPerRequest: { Query: 1, UpdateItem: 1 }, capacityUnitsPerRequest: 5 } },
    { id: 'update-in-progress', service: { callsPerRequest: { UpdateItem: 1 }, capacityUnitsPerRequest: 3 } },
    { id: 'update-succeeded', service: { callsPerRequest: { UpdateItem: 1 }, capacityUnitsPerRequest: 3 } },
  ],
  handlerTime: [
    { id: 'start-next', ownP50Ms: 0.5 },
    { id: 'update-in-progress', ownP50Ms: 0.2 },
    { id: 'update-succeeded', ownP50Ms: 0.2 },
  ],
};
const fanOut: MeasuredFanOut = { things: 1000, fanOut: { seconds: 2 } };
const assumptions: Assumptions = {
  dynamoCallMs: 10,
  changesPerJobBatch: 3,
  aggregatorInvocations: 1,
  aggregatorMs: 100,
  tracedShare: 0.5,
  requestLogOverheadBytes: 1000,
  invocationLogBytes: 500,
  responseBytes: 2000,
};

describe('execution cost', () => {
  const units = executionUnits(bench, fanOut, assumptions);

  it('splits the measured capacity into reads and writes, and adds what the code writes off the request path', () => {
    // StartNext: 5 units, its Query 1 of them; each update 3.
    expect(units.writeUnits.requests).toBe(10);
    // The creation (item, LSI, GSI) and the fan-out's own bookkeeping.
    expect(units.writeUnits.fanOut).toBeCloseTo(3.05, 10);
    // 3 markers of 2 units, one counts transaction of 2, one counts point of 1 (all 3 changes in one batch).
    expect(units.writeUnits.counts).toBe(9);
    expect(units.writeUnits.history).toBe(4);
    // StartNext's Query, the fan-out's reads, the job read back once.
    expect(units.readUnits).toBeCloseTo(2.03, 10);
  });

  it('bills each request its own time and its calls (rounded up to the ms), the aggregator and worker theirs', () => {
    // 0.5 GB x (ceil(0.5 + 2 x 10) + ceil(0.2 + 10) x 2) ms, 0.5 GB x 100 ms, 1 GB x 2 ms.
    expect(units.lambdaGbSeconds).toBeCloseTo((0.5 * (21 + 11 + 11)) / 1000 + 0.05 + 0.002, 12);
    expect(units.lambdaRequests).toBe(4);
    expect(units.apiRequests).toBe(3);
    expect(units.traces).toBe(2);
  });

  it('counts the log bytes of each request line as the routes write it', () => {
    const lines = requestLineBytes('StartNextPendingJobExecution') + 2 * requestLineBytes('UpdateJobExecution');
    expect(lines).toBeGreaterThan(1500);
    expect(units.logGb * 1e9).toBe(lines + 3 * 1000 + 500);
  });

  it('prices each line as its units times its price', () => {
    const cost = Object.fromEntries(executionCost(units, ones(PRICES)).map((line) => [line.item, line.dollars]));
    expect(cost['DynamoDB writes']).toBeCloseTo(26.05, 10);
    expect(cost['DynamoDB storage and PITR (a month)']).toBeCloseTo(2 * 3e-6, 15);
    expect(cost['CloudWatch Logs (ingested, a month stored)']).toBeCloseTo(2 * units.logGb, 15);
    expect(cost['Data transfer out']).toBeCloseTo(6e-6, 15);
    expect(cost['X-Ray traces']).toBe(2);
    // At the published prices: a million executions cost 3 dollars of API Gateway requests.
    expect(executionCost(units)[0]!.dollars * 1e6).toBeCloseTo(3, 10);
  });

  it('reads the committed bench results', () => {
    const read = (file: string) =>
      JSON.parse(readFileSync(new URL(`../../bench/results/${file}`, import.meta.url), 'utf8'));
    const committed = executionUnits(read('results.json'), read('fan-out.json'), ROLLOUT);
    expect(committed.writeUnits.requests).toBeGreaterThan(0);
    expect(total(executionCost(committed))).toBeGreaterThan(0);
  });
});

describe('idle month and AWS IoT Jobs', () => {
  it('adds up the schedules, the monitoring and the table', () => {
    const lines = Object.fromEntries(idleMonthCost(IDLE, ones(PRICES)).map((line) => [line.item, line.dollars]));
    // Two runs a minute; 30 ms at 0.5 GB and 20 ms at 1 GB.
    expect(lines['Lambda: the two schedules']).toBeCloseTo(MINUTES_PER_MONTH * (2 + 0.035), 6);
    expect(lines['DynamoDB reads: 16 shard queries a sweep, 1 for stalled work']).toBe(MINUTES_PER_MONTH * 8.5);
    expect(lines['Alarms: 14 alarm metrics']).toBe(14);
    expect(lines['Table storage and PITR (1 GB)']).toBe(2);
    expect(total(idleMonthCost())).toBeCloseTo(6.56, 2);
  });

  it('charges AWS IoT Jobs in two tiers a month', () => {
    expect(iotJobsMonthlyCost(100_000)).toBeCloseTo(300, 10);
    expect(iotJobsMonthlyCost(1_000_000)).toBeCloseTo(750 + 1125, 10);
  });
});
