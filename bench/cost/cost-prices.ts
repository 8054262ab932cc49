/**
 * AWS prices in us-east-1, in US dollars, as published: gathered on
 * 2026-12-07 from the pages named beside each (where a page renders its
 * figures by script, from a dated third-party copy of them, also named).
 * Prices change: check them before relying on a total. Free tiers are left
 * out: the figures are what usage costs once past them.
 */
export const PRICES = {
  lambda: {
    /** Arm, first 7.5 billion GB-s a month. aws.amazon.com/lambda/pricing (via cloudchipr.com, 2024). */
    perGbSecond: 0.0000133334,
    /** Per request, x86 and Arm alike. aws.amazon.com/lambda/pricing */
    perRequest: 0.2 / 1e6,
  },
  /**
   * HTTP APIs, first 300 million requests a month, metered per 512 KB.
   * aws.amazon.com/api-gateway/pricing (via learnaws.org, 2021; apigatewaycost.com, 2026).
   */
  apiGatewayHttpPerRequest: 1.0 / 1e6,
  dynamoDb: {
    /**
     * On-demand, after the 50% cut of November 2024. Units as defined on
     * aws.amazon.com/dynamodb/pricing/on-demand (a write unit per 1 KB, two
     * for a transactional write; a read unit per 4 KB, half for an eventually
     * consistent read); the figures via airbyte.com's DynamoDB pricing guide (2025).
     */
    perWriteUnit: 0.625 / 1e6,
    perReadUnit: 0.125 / 1e6,
    /** Standard table class, past the free 25 GB. aws.amazon.com/dynamodb/pricing ("from $0.25 per GB-month"). */
    storagePerGbMonth: 0.25,
    /** Point-in-time recovery, on the table's size. Via finops.com.py/services/dynamodb/backups (2025). */
    pitrPerGbMonth: 0.2,
  },
  /** Standard queues, per request (64 KB chunk). aws.amazon.com/sqs/pricing (via cloudburn.io, 2026-03). */
  sqsPerRequest: 0.4 / 1e6,
  /**
   * Custom events put on a bus, per 64 KB chunk; AWS's own events, a schedule
   * rule's included, are free. aws.amazon.com/eventbridge/pricing (via cloudburn.io, 2026-03).
   */
  eventBridgeCustomEvent: 1.0 / 1e6,
  /** aws.amazon.com/cloudwatch/pricing (via factualminds.com and signoz.io, 2026). */
  cloudWatch: {
    logIngestionPerGb: 0.5,
    /** Archived (compressed) bytes; charged here on the raw bytes, an upper bound. */
    logStoragePerGbMonth: 0.03,
    /** Per metric (namespace, name, dimensions) a month, prorated by the hour; embedded-metric-format lines count. */
    customMetricMonth: 0.3,
    /** Standard resolution, per metric an alarm reads: a metric math alarm pays for each metric in it. */
    alarmMetricMonth: 0.1,
    dashboardMonth: 3.0,
  },
  /** Traces recorded. aws.amazon.com/xray/pricing (the first 100,000 a month free, always). */
  xRayPerTrace: 5.0 / 1e6,
  /** Data out to the internet, first 10 TB a month (100 GB a month free). Via apigatewaycost.com (2026). */
  transferOutPerGb: 0.09,
  /**
   * AWS IoT Jobs (AWS IoT Device Management), per remote action, that is one
   * job execution on one device: the first 250,000 a month, and beyond.
   * aws.amazon.com/iot-device-management/pricing (its worked example, via
   * api-evangelist/amazon-iot-device-management, read 2026-09-20, and FinOps
   * notes quoting the same two tiers). IoT Core messaging and connectivity
   * are charged on top.
   */
  iotJobs: { perActionFirst250k: 0.003, perActionBeyond: 0.0015 },
};

export type Prices = typeof PRICES;

export interface CostLine {
  item: string;
  dollars: number;
}

export const total = (lines: readonly CostLine[]) => lines.reduce((sum, line) => sum + line.dollars, 0);

/** What AWS IoT Jobs charges for `executions` remote actions in one month. */
export function iotJobsMonthlyCost(executions: number, prices: Prices = PRICES): number {
  const first = Math.min(executions, 250_000);
  return first * prices.iotJobs.perActionFirst250k + (executions - first) * prices.iotJobs.perActionBeyond;
}
