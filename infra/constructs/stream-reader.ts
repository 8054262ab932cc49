import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { anyMessageAlarm } from './queue-alarm';

/** A shard this far behind (its oldest unread record's age) for five minutes running is stuck, or starved. */
export const ITERATOR_AGE_ALARM_MS = 60_000;

export interface StreamReading {
  batchSize: number;
  maxBatchingWindow: Duration;
  failedBatches: { bisect: boolean; retryAttempts: number };
  filters: ReturnType<typeof FilterCriteria.filter>[];
  /** Construct IDs (a contract): the queue of what is given up, its alarm, and the lag alarm. */
  ids: { queue: string; queueAlarm: string; iteratorAgeAlarm: string };
  queueAlarmDescription: string;
  iteratorAgeAlarmDescription: string;
}

/**
 * A function fed by the jobs table's stream from its start, one batch at a
 * time per shard, with a queue for the batches it gives up on and two
 * alarms: one as soon as anything is given up, one when it falls behind.
 */
export function readTableStream(
  scope: Construct,
  fn: NodejsFunction,
  table: ITable,
  reading: StreamReading,
): { queue: Queue; queueAlarm: Alarm; iteratorAgeAlarm: Alarm } {
  const queue = new Queue(scope, reading.ids.queue, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // Longer than anyone takes to notice: the stream keeps its records 24 hours, what they touched is named for longer.
    retentionPeriod: Duration.days(14),
  });
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: reading.batchSize,
      maxBatchingWindow: reading.maxBatchingWindow,
      bisectBatchOnError: reading.failedBatches.bisect,
      retryAttempts: reading.failedBatches.retryAttempts,
      onFailure: new SqsDlq(queue),
      parallelizationFactor: 1,
      filters: reading.filters,
    }),
  );
  const queueAlarm = anyMessageAlarm(scope, reading.ids.queueAlarm, queue, reading.queueAlarmDescription);
  const iteratorAgeAlarm = new Alarm(scope, reading.ids.iteratorAgeAlarm, {
    alarmDescription: reading.iteratorAgeAlarmDescription,
    metric: fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: ITERATOR_AGE_ALARM_MS,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return { queue, queueAlarm, iteratorAgeAlarm };
}
