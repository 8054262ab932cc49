import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { JOB_WORK_METRICS, METRICS_NAMESPACE, REQUEST_METRICS, SWEEP_METRICS } from '../../lambdas/metrics';

/** The thresholds of the service's own alarms (infra tests read them). */
export const ALARM_THRESHOLDS = {
  /** Percent of an API's requests answered 5xx, over 5 minutes, twice in a row. */
  serverErrorPercent: 1,
  /** Throttled invocations of the background functions in 5 minutes. */
  backgroundThrottles: 1,
  /** Failed sweeps (the sweeper's invocation errors) in 5 minutes, twice in a row. */
  sweeperErrors: 1,
} as const;

export interface ServiceMonitoringProps {
  apis: Record<'device' | 'management', HttpApi>;
  /** The functions no request calls: their throttles are alarmed on (a throttled sweeper leaves timers running). */
  background: Record<string, IFunction>;
  sweeper: IFunction;
  /** The stream readers: their lag is graphed (each has its own iterator-age alarm). */
  streamReaders: Record<string, IFunction>;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * What an operator watches: alarms on 5xx answers per API, throttled
 * background functions and failing sweeps, and one dashboard of requests,
 * errors and latency per operation (from the request log's embedded
 * metrics), stream lag, the sweeper and the job worker's fan-outs and cascades.
 */
export class ServiceMonitoring extends Construct {
  readonly serverErrorAlarms: Record<'device' | 'management', Alarm>;
  readonly backgroundThrottlesAlarm: Alarm;
  readonly sweeperErrorsAlarm: Alarm;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    // Metric IDs are per API: one graph shows both.
    const serverErrorRate = (name: 'device' | 'management') =>
      new MathExpression({
        expression: `100 * ${name}Errors / MAX([${name}Requests, 1])`,
        usingMetrics: {
          [`${name}Errors`]: props.apis[name].metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
          [`${name}Requests`]: props.apis[name].metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        period: FIVE_MINUTES,
        label: `${name} 5xx %`,
      });
    const apiAlarm = (name: 'device' | 'management', alarmId: string) =>
      new Alarm(this, alarmId, {
        alarmDescription: `More than ${ALARM_THRESHOLDS.serverErrorPercent}% of the ${name} API's requests were answered 5xx for 10 minutes: see the request log (ServerErrors by Operation) and the functions' errors.`,
        metric: serverErrorRate(name),
        threshold: ALARM_THRESHOLDS.serverErrorPercent,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    this.serverErrorAlarms = {
      device: apiAlarm('device', 'DeviceServerErrorsAlarm'),
      management: apiAlarm('management', 'ManagementServerErrorsAlarm'),
    };

    const throttles = Object.fromEntries(
      Object.entries(props.background).map(([name, fn], i) => [
        `t${i}`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label: name }),
      ]),
    );
    this.backgroundThrottlesAlarm = new Alarm(this, 'BackgroundThrottlesAlarm', {
      alarmDescription:
        'A background function (timeout sweeper, counts aggregator, job worker, membership reactor) was throttled: timers, counts or fan-outs fall behind. Check its reserved concurrency and the account quota.',
      metric: new MathExpression({
        expression: Object.keys(throttles).join(' + '),
        usingMetrics: throttles,
        period: FIVE_MINUTES,
        label: 'throttles',
      }),
      threshold: ALARM_THRESHOLDS.backgroundThrottles,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.sweeperErrorsAlarm = new Alarm(this, 'SweeperErrorsAlarm', {
      alarmDescription:
        'The timeout sweeper failed for 10 minutes: executions past their deadline stay IN_PROGRESS until a device request meets them.',
      metric: props.sweeper.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: ALARM_THRESHOLDS.sweeperErrors,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const byOperation = (metric: string, statistic: string): IMetric =>
      new MathExpression({
        expression: `SEARCH('{${REQUEST_METRICS.namespace},${REQUEST_METRICS.dimension}} MetricName="${metric}"', '${statistic}', 300)`,
        usingMetrics: {},
        label: '',
        period: FIVE_MINUTES,
      });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new GraphWidget({
            title: 'Requests by operation',
            left: [byOperation(REQUEST_METRICS.requests, 'Sum')],
            width: 12,
          }),
          new GraphWidget({
            title: '5xx % by API',
            left: [serverErrorRate('device'), serverErrorRate('management')],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Latency p99 by operation (ms, in the function)',
            left: [byOperation(REQUEST_METRICS.latency, 'p99')],
            width: 12,
          }),
          new GraphWidget({
            title: 'Client and server errors by operation',
            left: [byOperation(REQUEST_METRICS.clientErrors, 'Sum')],
            right: [byOperation(REQUEST_METRICS.serverErrors, 'Sum')],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Stream readers: iterator age (ms)',
            left: Object.entries(props.streamReaders).map(
              ([name, fn]) =>
                new Metric({
                  namespace: 'AWS/Lambda',
                  metricName: 'IteratorAge',
                  dimensionsMap: { FunctionName: fn.functionName },
                  statistic: 'Maximum',
                  period: Duration.minutes(1),
                  label: name,
                }),
            ),
            width: 12,
          }),
          new GraphWidget({
            title: 'Timeout sweeper',
            left: [
              new Metric({
                namespace: METRICS_NAMESPACE,
                metricName: SWEEP_METRICS.timedOut,
                statistic: 'Sum',
                period: FIVE_MINUTES,
                label: 'executions timed out',
              }),
              props.sweeper.metricInvocations({ period: FIVE_MINUTES, statistic: 'Sum' }),
              props.sweeper.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
            ],
            right: [props.sweeper.metricDuration({ period: FIVE_MINUTES, statistic: 'Maximum' })],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Job worker: targets fanned out and cascaded',
            left: [
              new Metric({
                namespace: METRICS_NAMESPACE,
                metricName: JOB_WORK_METRICS.fannedOut,
                statistic: 'Sum',
                period: Duration.minutes(1),
                label: 'executions created',
              }),
              new Metric({
                namespace: METRICS_NAMESPACE,
                metricName: JOB_WORK_METRICS.cascaded,
                statistic: 'Sum',
                period: Duration.minutes(1),
                label: 'canceled or deleted',
              }),
            ],
            right: [
              new Metric({
                namespace: METRICS_NAMESPACE,
                metricName: JOB_WORK_METRICS.failed,
                statistic: 'Sum',
                period: Duration.minutes(1),
                label: 'failed runs',
              }),
            ],
            width: 12,
          }),
        ],
      ],
    });
  }
}
