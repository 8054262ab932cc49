import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { TIMEOUT_SWEEPER } from '../../lambdas/api/routes';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const { apiTemplate } = synthStacks();
const { ofType, statementsOf, actionsOf, functionStartingWith } = templateResources(apiTemplate);
const sweeperId = () => functionStartingWith(`TimeoutSweeper${TIMEOUT_SWEEPER.id}`);
/** The schedules that invoke the sweeper (the job worker has its own). */
const rules = () => ofType('AWS::Events::Rule').filter(([id]) => id.startsWith('TimeoutSweeper'));

describe('TimeoutSweeper', () => {
  it('has one schedule, and its only target is the sweeper function', () => {
    expect(rules()).toHaveLength(1);
    const targets = rules()[0]![1].Properties.Targets as Array<{ Arn: unknown }>;
    expect(targets.map((t) => t.Arn)).toEqual([{ 'Fn::GetAtt': [sweeperId(), 'Arn'] }]);
  });

  it('runs every minute by default', () => {
    expect(rules()[0]![1].Properties.ScheduleExpression).toBe('rate(1 minute)');
  });

  it('takes its rate from the stack', () => {
    const { apiTemplate: slower } = synthStacks({ sweepInterval: Duration.minutes(5) });
    const sweeperRule = templateResources(slower)
      .ofType('AWS::Events::Rule')
      .find(([id]) => id.startsWith('TimeoutSweeper'))!;
    expect(sweeperRule[1].Properties.ScheduleExpression).toBe('rate(5 minutes)');
  });

  it('refuses an interval EventBridge cannot schedule', () => {
    expect(() => synthStacks({ sweepInterval: Duration.seconds(30) })).toThrow(/whole minutes/);
  });

  it('lets EventBridge, and nothing else, invoke the sweeper', () => {
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) =>
      JSON.stringify(p.Properties.FunctionName).includes(sweeperId()),
    );
    expect(permissions.map(([, p]) => p.Properties.Principal)).toEqual(['events.amazonaws.com']);
  });

  it('may only query and update: it cannot create, replace or delete an item', () => {
    expect(
      actionsOf(statementsOf(sweeperId()))
        .filter((a) => a.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem']);
  });

  it('is the only function that may read the deadline index', () => {
    for (const [id] of ofType('AWS::Lambda::Function')) {
      const readsDeadlines = JSON.stringify(statementsOf(id).map((s) => s.Resource)).includes('/index/deadlines');
      expect(readsDeadlines).toBe(id === sweeperId());
    }
  });

  it('stops within its schedule: a run lasts at most one interval', () => {
    expect(apiTemplate.toJSON().Resources[sweeperId()].Properties.Timeout).toBe(60);
  });

  it('is not retried on failure: the next scheduled run does the same work', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').filter(([id]) => id.startsWith('TimeoutSweeper'));
    expect(configs.map(([, c]) => c.Properties.MaximumRetryAttempts)).toEqual([0]);
  });
});
