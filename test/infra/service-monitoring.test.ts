import { describe, expect, it } from 'vitest';
import { ALARM_THRESHOLDS } from '../../infra/constructs/service-monitoring';
import { JOB_COUNTS_AGGREGATOR, JOB_WORKER, MEMBERSHIP_REACTOR, TIMEOUT_SWEEPER } from '../../lambdas/api/routes';
import { JOB_WORK_METRICS, REQUEST_METRICS } from '../../lambdas/metrics';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

const t = templateResources(synthStacks().apiTemplate);
const alarm = (prefix: string) => {
  const found = t.ofType('AWS::CloudWatch::Alarm').filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
};
const functionId = (prefix: string) => t.ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))![0];
/** The metric IDs and the functions' logical IDs an alarm's metrics name. */
const namedIn = (properties: Record<string, unknown>) => JSON.stringify(properties);

describe('service monitoring (infra)', () => {
  it('traces every function with X-Ray', () => {
    const functions = t.ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(30);
    for (const [id, fn] of functions) expect([id, fn.Properties.TracingConfig]).toEqual([id, { Mode: 'Active' }]);
  });

  it.each(['Device', 'Management'])(
    'alarms when over 1 percent of the %s API answers are 5xx, two 5-minute periods running',
    (api) => {
      const properties = alarm(`Monitoring${api}ServerErrorsAlarm`);
      expect(properties.Threshold).toBe(ALARM_THRESHOLDS.serverErrorPercent);
      expect(ALARM_THRESHOLDS.serverErrorPercent).toBe(1);
      expect(properties.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(properties.EvaluationPeriods).toBe(2);
      const expression = properties.Metrics.find((m: { Expression?: string }) => m.Expression);
      expect(expression.Expression).toMatch(/^100 \* \w+Errors \/ MAX\(\[\w+Requests, 1\]\)$/);
      const metricNames = properties.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat)
        .map((m: { MetricStat: { Metric: { MetricName: string } } }) => m.MetricStat.Metric.MetricName)
        .sort();
      expect(metricNames).toEqual(['5xx', 'Count']);
    },
  );

  it('alarms on any throttle of a background function: the sweeper, the aggregator, the worker and the reactor', () => {
    const properties = alarm('MonitoringBackgroundThrottlesAlarm');
    expect(properties.Threshold).toBe(ALARM_THRESHOLDS.backgroundThrottles);
    expect(properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    const throttled = properties.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat);
    expect(
      throttled.every(
        (m: { MetricStat: { Metric: { MetricName: string } } }) => m.MetricStat.Metric.MetricName === 'Throttles',
      ),
    ).toBe(true);
    // Each background function's construct (a contract) and its function's ID in it.
    for (const [construct, background] of [
      ['TimeoutSweeper', TIMEOUT_SWEEPER],
      ['JobCountsAggregator', JOB_COUNTS_AGGREGATOR],
      ['JobWorker', JOB_WORKER],
      ['MembershipReactor', MEMBERSHIP_REACTOR],
    ] as const) {
      expect(namedIn(properties)).toContain(functionId(`${construct}${background.id}`));
    }
    expect(throttled).toHaveLength(4);
  });

  it('alarms when the timeout sweeper fails in two 5-minute periods running', () => {
    const properties = alarm('MonitoringSweeperErrorsAlarm');
    expect(properties).toMatchObject({
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: ALARM_THRESHOLDS.sweeperErrors,
      EvaluationPeriods: 2,
      Statistic: 'Sum',
      Period: 300,
    });
    expect(namedIn(properties)).toContain(functionId(`TimeoutSweeper${TIMEOUT_SWEEPER.id}`));
  });

  it("draws a dashboard of requests, errors and latency by operation from the request log's metrics", () => {
    const [dashboard] = t.ofType('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard![1].Properties.DashboardBody);
    for (const metric of [
      REQUEST_METRICS.requests,
      REQUEST_METRICS.latency,
      REQUEST_METRICS.clientErrors,
      REQUEST_METRICS.serverErrors,
    ]) {
      expect(body).toContain(
        `{${REQUEST_METRICS.namespace},${REQUEST_METRICS.dimension}} MetricName=\\\\\\"${metric}\\\\\\"`,
      );
    }
    expect(body).toContain('IteratorAge');
    expect(body).toContain('ExecutionsTimedOut');
  });

  it("graphs the job worker's fan-out and cascade progress and its failed runs, per minute", () => {
    const [dashboard] = t.ofType('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard![1].Properties.DashboardBody);
    for (const metric of [JOB_WORK_METRICS.fannedOut, JOB_WORK_METRICS.cascaded, JOB_WORK_METRICS.failed]) {
      expect(body).toMatch(new RegExp(`OpenIotJobs\\\\",\\\\"${metric}\\\\"`));
    }
  });
});
