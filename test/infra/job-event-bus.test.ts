import { describe, expect, it } from 'vitest';
import { JOB_COUNTS_AGGREGATOR } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const own = templateResources(synthStacks().apiTemplate);
const onDefault = templateResources(synthStacks({ eventBus: 'default' }).apiTemplate);
const aggregatorOf = (t: typeof own) => t.functionStartingWith(`JobCountsAggregator${JOB_COUNTS_AGGREGATOR.id}`);
const putEventsStatements = (t: typeof own, functionId: string) =>
  t.statementsOf(functionId).filter((s) => t.actionsOf([s]).includes('events:PutEvents'));
const busId = () => {
  const buses = own.ofType('AWS::Events::EventBus');
  expect(buses).toHaveLength(1);
  return buses[0]![0];
};

describe('JobEventBus', () => {
  it('creates a bus of the stack its own by default', () => {
    expect(busId()).toMatch(/^JobEventsBus/);
  });

  it('lets the counts aggregator, and it only, put events, on that bus only', () => {
    const statements = putEventsStatements(own, aggregatorOf(own));
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Resource).toEqual({ 'Fn::GetAtt': [busId(), 'Arn'] });
    const others = own
      .ofType('AWS::Lambda::Function')
      .map(([id]) => id)
      .filter((id) => id !== aggregatorOf(own));
    for (const id of others) expect(putEventsStatements(own, id)).toEqual([]);
  });

  it("tells the aggregator the bus's name", () => {
    const [, fn] = own.ofType('AWS::Lambda::Function').find(([id]) => id === aggregatorOf(own))!;
    expect(fn.Properties.Environment.Variables[ENVIRONMENT.eventBusName]).toEqual({ Ref: busId() });
  });

  it('puts events on the default bus when asked (-c eventBus=default), creating none', () => {
    expect(onDefault.ofType('AWS::Events::EventBus')).toEqual([]);
    const [statement] = putEventsStatements(onDefault, aggregatorOf(onDefault));
    expect(JSON.stringify(statement!.Resource)).toContain(':event-bus/default');
    const [, fn] = onDefault.ofType('AWS::Lambda::Function').find(([id]) => id === aggregatorOf(onDefault))!;
    expect(fn.Properties.Environment.Variables[ENVIRONMENT.eventBusName]).toBe('default');
  });
});
