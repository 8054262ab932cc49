import { describe, expect, it } from 'vitest';
import { AGGREGATOR_RESERVED_CONCURRENCY } from '../../infra/constructs/job-counts-aggregator';
import { functionIdOf, JOB_COUNTS_AGGREGATOR, ROUTES, TIMEOUT_SWEEPER } from '../../lambdas/api/routes';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

/** API Gateway HTTP APIs give up on an integration after 30 s. */
const GATEWAY_TIMEOUT_SECONDS = 30;

const { apiTemplate } = synthStacks();
const { ofType, functionStartingWith } = templateResources(apiTemplate);
const propertiesOf = (id: string) =>
  ofType('AWS::Lambda::Function').find(([logicalId]) => logicalId === id)![1].Properties;
/** A route's function: its construct ID and CDK's 8-character hash. */
const routeFunction = (functionId: string) =>
  ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(functionId) && id.length === functionId.length + 8)![1]
    .Properties;
const sweeper = () => propertiesOf(functionStartingWith(`TimeoutSweeper${TIMEOUT_SWEEPER.id}`));
const aggregator = () => propertiesOf(functionStartingWith(`JobCountsAggregator${JOB_COUNTS_AGGREGATOR.id}`));

describe('a device flood cannot starve the background work', () => {
  it('sets one concurrent execution aside for the timeout sweeper, and some for the counts aggregator', () => {
    expect(sweeper().ReservedConcurrentExecutions).toBe(1);
    expect(aggregator().ReservedConcurrentExecutions).toBe(AGGREGATOR_RESERVED_CONCURRENCY);
  });

  it('sets none aside for the routes, which share the rest', () => {
    for (const route of ROUTES) expect(routeFunction(functionIdOf(route)).ReservedConcurrentExecutions).toBeUndefined();
  });

  it('sets none aside when the account cannot spare it (reserveBackgroundConcurrency: false)', () => {
    const small = templateResources(synthStacks({ reserveBackgroundConcurrency: false }).apiTemplate);
    expect(
      small
        .ofType('AWS::Lambda::Function')
        .filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined),
    ).toEqual([]);
  });
});

describe('function time limits', () => {
  it.each(ROUTES.map((route) => [functionIdOf(route)]))(
    '%s ends well before API Gateway gives up on it',
    (functionId) => {
      expect(routeFunction(functionId).Timeout).toBeLessThan(GATEWAY_TIMEOUT_SECONDS);
    },
  );
});
