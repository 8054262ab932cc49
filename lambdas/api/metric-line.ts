import { METRICS_NAMESPACE } from '../metrics';

/** A metric's value and its CloudWatch unit. */
export type MetricValue = [value: number, unit: 'Count' | 'Milliseconds'];

/**
 * A log line that carries metrics in CloudWatch's embedded metric format:
 * CloudWatch Logs turns it into data points of the service's namespace, so a
 * function reports its metrics without calling the metrics API. The line's
 * own fields stay as they are, for Logs Insights.
 */
export function withMetrics<T extends object>(
  line: T,
  at: number,
  metrics: Record<string, MetricValue>,
  dimensions: Record<string, string> = {},
) {
  return {
    ...line,
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.entries(metrics).map(([Name, [, Unit]]) => ({ Name, Unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(Object.entries(metrics).map(([name, [value]]) => [name, value])),
  };
}
