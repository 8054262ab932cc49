import { describe, expect, it } from 'vitest';
import { JOB_COUNTS_AGGREGATOR } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const { apiTemplate } = synthStacks();
const { resources, ofType, statementsOf, actionsOf, functionStartingWith } = templateResources(apiTemplate);
const environmentOf = (id: string) => resources[id]!.Properties.Environment.Variables as Record<string, unknown>;
const aggregatorId = () => functionStartingWith(`JobCountsAggregator${JOB_COUNTS_AGGREGATOR.id}`);
const mapping = () => {
  // The stream's: the job worker has its own, on its queue.
  const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([id]) => id.startsWith('JobCountsAggregator'));
  expect(mappings).toHaveLength(1);
  return mappings[0]![1].Properties;
};

describe('JobCountsAggregator', () => {
  it('reads the jobs table stream from its start', () => {
    expect(JSON.stringify(mapping().EventSourceArn)).toContain('JobsTable');
    expect(mapping().StartingPosition).toBe('TRIM_HORIZON');
    expect(mapping().FunctionName).toEqual({ Ref: aggregatorId() });
  });

  it('takes big batches, gathered for two seconds, one at a time per shard', () => {
    expect(mapping()).toMatchObject({ BatchSize: 1000, MaximumBatchingWindowInSeconds: 2, ParallelizationFactor: 1 });
  });

  it('splits a failing batch in halves', () => {
    expect(mapping().BisectBatchOnFunctionError).toBe(true);
  });

  it('retries a failing batch a bounded number of times, the same bound the local runner keeps', () => {
    expect(mapping().MaximumRetryAttempts).toBe(JOB_COUNTS_AGGREGATOR.failedBatches.retryAttempts);
    expect(mapping().MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it('sends what it gives up on to its failed-batches queue', () => {
    const [queueId] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('JobCountsAggregatorFailedBatches'))!;
    expect(mapping().DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
  });

  it('keeps the failed-batches queue encrypted for 14 days', () => {
    const [, queue] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('JobCountsAggregatorFailedBatches'))!;
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('is invoked for execution and job records only, not for its own markers', () => {
    const patterns = (mapping().FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
    expect(patterns).toEqual([
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'THING#' }] } } } },
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'JOB#' }] } } } },
    ]);
  });

  it('raises an alarm when any batch was set aside', () => {
    const [, alarm] = ofType('AWS::CloudWatch::Alarm').find(([id]) =>
      id.startsWith('JobCountsAggregatorFailedBatchesAlarm'),
    )!;
    expect(alarm.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('raises an alarm when the counts fall more than a minute behind the stream for five minutes', () => {
    const [, alarm] = ofType('AWS::CloudWatch::Alarm').find(([id]) =>
      id.startsWith('JobCountsAggregatorIteratorAgeAlarm'),
    )!;
    expect(alarm.Properties).toMatchObject({
      MetricName: 'IteratorAge',
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 60_000,
      EvaluationPeriods: 5,
    });
    expect(alarm.Properties.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: aggregatorId() } }]);
  });

  it('tells the operator where the recount finds the table and the queue', () => {
    expect(Object.keys(apiTemplate.toJSON().Outputs)).toEqual(
      expect.arrayContaining(['JobsTableName', 'FailedCountBatchesQueueUrl']),
    );
  });

  it('may write job items, markers and history entries, but not delete or query', () => {
    const actions = actionsOf(statementsOf(aggregatorId())).filter(
      (a) => a.startsWith('dynamodb:') && !/Stream|GetRecords|GetShardIterator/.test(a),
    );
    expect(actions.sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it("may hand an aborted job's cancel cascade to the job work queue, and is told where it is", () => {
    const [workQueueId] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('JobWorkerQueue'))!;
    const sends = statementsOf(aggregatorId()).some(
      (s) => actionsOf([s]).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(workQueueId),
    );
    expect(sends).toBe(true);
    expect(JSON.stringify(environmentOf(aggregatorId())[ENVIRONMENT.workQueueUrl])).toContain(workQueueId);
  });
});
