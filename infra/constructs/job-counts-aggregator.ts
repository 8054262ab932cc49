import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_COUNTS_AGGREGATOR } from '../../lambdas/api/routes';
import { COUNTED_ITEM_PREFIXES } from '../../lambdas/store/table/keys';
import { handlerFunction } from './handler-function';
import { readTableStream } from './stream-reader';

/** Concurrency set aside for the aggregator: one per stream shard it reads at once, for a table's first shards. */
export const AGGREGATOR_RESERVED_CONCURRENCY = 4;

export interface JobCountsAggregatorProps {
  table: ITable;
  /** Set aside AGGREGATOR_RESERVED_CONCURRENCY, so a flood of device requests cannot starve the counts. */
  reserveConcurrency?: boolean;
  logRetention?: RetentionDays;
}

/**
 * The function that keeps DescribeJob's counts from the table's stream. A
 * batch that keeps failing is split and retried a bounded number of times,
 * then its range goes to the failed-batches queue (for `npm run recount --
 * --failed-batches --queue-url`), and the shard goes on; two alarms say when
 * that happened, or when the counts fall behind.
 */
export class JobCountsAggregator extends Construct {
  readonly function: NodejsFunction;
  /** Lambda's on-failure destination: each message names a range of the stream whose jobs need a recount. */
  readonly failedBatches: Queue;
  /** Some batch was set aside: its jobs' counts are short until recounted. */
  readonly failedBatchesAlarm: Alarm;
  /** The counts are more than a minute behind the writes. */
  readonly iteratorAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: JobCountsAggregatorProps) {
    super(scope, id);
    this.function = handlerFunction(this, JOB_COUNTS_AGGREGATOR.id, {
      handlerFile: JOB_COUNTS_AGGREGATOR.handlerFile,
      table: props.table,
      tableActions: JOB_COUNTS_AGGREGATOR.tableActions,
      timeout: Duration.seconds(60),
      ...(props.reserveConcurrency === false ? {} : { reservedConcurrency: AGGREGATOR_RESERVED_CONCURRENCY }),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    const reading = readTableStream(this, this.function, props.table, {
      // Big batches, gathered for a moment: few writes per job per batch, however many devices report.
      batchSize: 1000,
      maxBatchingWindow: Duration.seconds(2),
      // Each change is counted once by its own marker, so a split batch, or a record met again, never counts twice.
      failedBatches: JOB_COUNTS_AGGREGATOR.failedBatches,
      // Only executions and jobs move counts; the markers' own records (and certificates) are not worth an invocation.
      filters: Object.values(COUNTED_ITEM_PREFIXES).map((prefix) =>
        FilterCriteria.filter({ dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(prefix) } } } }),
      ),
      ids: { queue: 'FailedBatches', queueAlarm: 'FailedBatchesAlarm', iteratorAgeAlarm: 'IteratorAgeAlarm' },
      queueAlarmDescription:
        'Stream batches of job count changes were set aside after failing; run `npm run recount -- --failed-batches --queue-url <FailedCountBatchesQueueUrl>`.',
      iteratorAgeAlarmDescription:
        'The job counts aggregator is more than a minute behind the table stream: DescribeJob counts and COMPLETED lag.',
    });
    this.failedBatches = reading.queue;
    this.failedBatchesAlarm = reading.queueAlarm;
    this.iteratorAgeAlarm = reading.iteratorAgeAlarm;
  }
}
