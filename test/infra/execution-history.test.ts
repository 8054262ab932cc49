import { describe, expect, it } from 'vitest';
import { historyRetentionDaysFromContext } from '../../infra/app-context';
import { JOB_COUNTS_AGGREGATOR } from '../../lambdas/api/routes';
import { ENVIRONMENT } from '../../lambdas/environment';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const byDefault = templateResources(synthStacks().apiTemplate);
const sevenDays = templateResources(synthStacks({ historyRetentionDays: 7 }).apiTemplate);
const aggregatorOf = (t: typeof byDefault) => t.functionStartingWith(`JobCountsAggregator${JOB_COUNTS_AGGREGATOR.id}`);
const environmentOf = (t: typeof byDefault, id: string) =>
  t.ofType('AWS::Lambda::Function').find(([fnId]) => fnId === id)![1].Properties.Environment.Variables;

describe('execution history (infra)', () => {
  it('serves ListJobExecutionHistory on the management API at GET /history/things/{thingName}', () => {
    const routeKeys = byDefault.ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey);
    expect(routeKeys).toContain('GET /history/things/{thingName}');
  });

  it("serves ListJobCountsHistory (a job's counts over time) at GET /history/jobs/{jobId}", () => {
    const routeKeys = byDefault.ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey);
    expect(routeKeys).toContain('GET /history/jobs/{jobId}');
  });

  it('lets the counts aggregator write the entries in batches', () => {
    expect(byDefault.actionsOf(byDefault.statementsOf(aggregatorOf(byDefault)))).toContain('dynamodb:BatchWriteItem');
  });

  it('keeps the default retention unless told (-c historyRetentionDays)', () => {
    expect(environmentOf(byDefault, aggregatorOf(byDefault))[ENVIRONMENT.historyRetentionDays]).toBeUndefined();
    expect(environmentOf(sevenDays, aggregatorOf(sevenDays))[ENVIRONMENT.historyRetentionDays]).toBe('7');
  });

  it('refuses a retention that is not a whole number of days', () => {
    const read = (value: unknown) => () => value;
    expect(historyRetentionDaysFromContext(read('0'))).toBe(0);
    expect(historyRetentionDaysFromContext(read(undefined))).toBeUndefined();
    expect(() => historyRetentionDaysFromContext(read('1.5'))).toThrow(/whole number of days/);
    expect(() => historyRetentionDaysFromContext(read('-1'))).toThrow(/whole number of days/);
  });
});
