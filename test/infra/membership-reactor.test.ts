import { describe, expect, it } from 'vitest';
import { MEMBERSHIP_REACTOR } from '../../lambdas/api/routes';
import { keys } from '../../lambdas/store/table/keys';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const { apiTemplate } = synthStacks();
const { ofType, statementsOf, actionsOf, functionStartingWith } = templateResources(apiTemplate);
const reactorId = () => functionStartingWith(`MembershipReactor${MEMBERSHIP_REACTOR.id}`);
const mapping = () => {
  const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([id]) => id.startsWith('MembershipReactor'));
  expect(mappings).toHaveLength(1);
  return mappings[0]![1].Properties;
};

describe('MembershipReactor', () => {
  it('reads the jobs table stream from its start', () => {
    expect(JSON.stringify(mapping().EventSourceArn)).toContain('JobsTable');
    expect(mapping().StartingPosition).toBe('TRIM_HORIZON');
    expect(mapping().FunctionName).toEqual({ Ref: reactorId() });
  });

  it('is invoked for memberships, things, and dynamic groups whose build is under way only', () => {
    const patterns = (mapping().FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
    expect(patterns).toEqual([
      { dynamodb: { Keys: { sk: { S: [{ prefix: keys.membershipPrefix }] } } } },
      { dynamodb: { Keys: { sk: { S: [keys.thing('x').sk] } } } },
      {
        dynamodb: {
          Keys: { sk: { S: [keys.thingGroup('x').sk] } },
          NewImage: { dynamic: { M: { status: { S: ['BUILDING', 'REBUILDING'] } } } },
        },
      },
    ]);
  });

  it('splits a failing batch and retries it for as long as the stream keeps it, one batch at a time per shard', () => {
    expect(mapping()).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: MEMBERSHIP_REACTOR.failedBatches.retryAttempts,
      ParallelizationFactor: 1,
    });
  });

  it('sends what the stream no longer keeps to its own dead-letter queue, with an alarm on it', () => {
    const [queueId] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('MembershipReactorFailedChanges'))!;
    expect(mapping().DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    const [, alarm] = ofType('AWS::CloudWatch::Alarm').find(([id]) =>
      id.startsWith('MembershipReactorFailedChangesAlarm'),
    )!;
    expect(alarm.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
  });

  it('raises an alarm when it falls more than a minute behind the stream', () => {
    const [, alarm] = ofType('AWS::CloudWatch::Alarm').find(([id]) =>
      id.startsWith('MembershipReactorIteratorAgeAlarm'),
    )!;
    expect(alarm.Properties.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: reactorId() } }]);
  });

  it('may read, check, put, update and delete items (memberships of dynamic groups), never batch-write, and read the registry index only', () => {
    const statements = statementsOf(reactorId());
    const actions = actionsOf(statements).filter(
      (a) => a.startsWith('dynamodb:') && !/Stream|GetRecords|GetShardIterator/.test(a),
    );
    expect(actions.sort()).toEqual([...MEMBERSHIP_REACTOR.tableActions].sort());
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
    const table = statements.find((s) => actionsOf([s]).includes('dynamodb:Query'))!;
    expect(JSON.stringify(table.Resource).match(/\/index\/[a-zA-Z]+/g)).toEqual(['/index/registry']);
  });
});
