import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { JOB_COUNTS_AGGREGATOR } from '../lambdas/api/routes';
import { handlerFunction } from './handler-function';

/** Concurrency set aside for the aggregator: one per stream shard it reads at once, for a table's first shards. */
export const AGGREGATOR_RESERVED_CONCURRENCY = 4;

export interface JobCountsAggregatorProps {
  table: ITable;
  /** Set aside AGGREGATOR_RESERVED_CONCURRENCY, so a flood of device requests cannot starve the counts. */
  reserveConcurrency?: boolean;
  logRetention?: RetentionDays;
}

/** The function that keeps DescribeJob's counts from the table's stream. */
export class JobCountsAggregator extends Construct {
  readonly function: NodejsFunction;

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
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        // Big batches, gathered for a moment: one write per job per batch, however many devices report.
        batchSize: 1000,
        maxBatchingWindow: Duration.seconds(2),
        // A failed batch comes back whole and unchanged (no bisecting), so its token recognises what was counted.
        bisectBatchOnError: false,
        retryAttempts: -1,
        parallelizationFactor: 1,
      }),
    );
  }
}
