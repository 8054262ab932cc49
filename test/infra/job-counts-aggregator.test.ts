import { describe, expect, it } from 'vitest';
import { JOB_COUNTS_AGGREGATOR } from '../../lambdas/api/routes';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const { apiTemplate } = synthStacks();
const { ofType, statementsOf, actionsOf, functionStartingWith } = templateResources(apiTemplate);
const aggregatorId = () => functionStartingWith(`JobCountsAggregator${JOB_COUNTS_AGGREGATOR.id}`);
const mapping = () => {
  const mappings = ofType('AWS::Lambda::EventSourceMapping');
  expect(mappings).toHaveLength(1);
  return mappings[0]![1].Properties;
};

describe('JobCountsAggregator', () => {
  it('reads the jobs table stream from its start', () => {
    expect(JSON.stringify(mapping().EventSourceArn)).toContain('JobsTable');
    expect(mapping().StartingPosition).toBe('TRIM_HORIZON');
    expect(mapping().FunctionName).toEqual({ Ref: aggregatorId() });
  });

  it('takes big batches and retries them whole, never split, so a batch is recognised when it comes again', () => {
    expect(mapping()).toMatchObject({ BatchSize: 1000, MaximumBatchingWindowInSeconds: 2, BisectBatchOnFunctionError: false, ParallelizationFactor: 1 });
  });

  it('may write job items and markers, but not delete, query or batch-write', () => {
    const actions = actionsOf(statementsOf(aggregatorId())).filter((a) => a.startsWith('dynamodb:') && !/Stream|GetRecords|GetShardIterator/.test(a));
    expect(actions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });
});
