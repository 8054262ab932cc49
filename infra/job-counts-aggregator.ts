import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_COUNTS_AGGREGATOR } from '../lambdas/api/routes';
import { COUNTED_ITEM_PREFIXES } from '../lambdas/store/table/keys';
import { handlerFunction } from './handler-function';
import { anyMessageAlarm } from './queue-alarm';

/** Concurrency set aside for the aggregator: one per stream shard it reads at once, for a table's first shards. */
export const AGGREGATOR_RESERVED_CONCURRENCY = 4;

/** A shard this far behind (its oldest unread record's age) for five minutes running is stuck, or starved. */
export const ITERATOR_AGE_ALARM_MS = 60_000;

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
  /** The counts are more than ITERATOR_AGE_ALARM_MS behind the writes. */
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
    this.failedBatches = new Queue(this, 'FailedBatches', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than anyone takes to notice: the recount reads the records from the stream while it keeps them (24 hours), the jobs to recount after that.
      retentionPeriod: Duration.days(14),
    });
    const policy = JOB_COUNTS_AGGREGATOR.failedBatches;
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        // Big batches, gathered for a moment: few writes per job per batch, however many devices report.
        batchSize: 1000,
        maxBatchingWindow: Duration.seconds(2),
        // Each change is counted once by its own marker, so a split batch, or a record met again, never counts twice.
        bisectBatchOnError: policy.bisect,
        retryAttempts: policy.retryAttempts,
        onFailure: new SqsDlq(this.failedBatches),
        parallelizationFactor: 1,
        // Only executions and jobs move counts; the markers' own records (and certificates) are not worth an invocation.
        filters: Object.values(COUNTED_ITEM_PREFIXES).map((prefix) => FilterCriteria.filter({ dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(prefix) } } } })),
      }),
    );
    this.failedBatchesAlarm = anyMessageAlarm(
      this,
      'FailedBatchesAlarm',
      this.failedBatches,
      'Stream batches of job count changes were set aside after failing; run `npm run recount -- --failed-batches --queue-url <FailedCountBatchesQueueUrl>`.',
    );
    this.iteratorAgeAlarm = new Alarm(this, 'IteratorAgeAlarm', {
      alarmDescription: 'The job counts aggregator is more than a minute behind the table stream: DescribeJob counts and COMPLETED lag.',
      metric: this.function.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: ITERATOR_AGE_ALARM_MS,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
