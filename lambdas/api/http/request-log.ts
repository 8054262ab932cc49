import { ENVIRONMENT } from '../../environment';
import { REQUEST_METRICS } from '../../metrics';
import { withMetrics } from '../metric-line';

/** One line per request: what an operator (or a firmware developer watching a device poll) reads first. */
export interface RequestLogLine {
  /** When the request came in, ISO 8601. */
  time: string;
  level: 'info';
  operation: string;
  requestId: string;
  /** The HTTP status answered. */
  status: number;
  /** From the event to the answer, in ms (three decimals). */
  latencyMs: number;
  thingName?: string;
  jobId?: string;
}

export type RequestLogSink = (line: RequestLogLine) => void;

/**
 * In Lambda: one JSON line on stdout (CloudWatch Logs) per request, unless
 * LOG_LEVEL asks for errors only. Lambda adds nothing to a line that is
 * already JSON, so it can be queried by its fields in Logs Insights; and the
 * line is in CloudWatch's embedded metric format, so the same line is the
 * request's metrics (no metrics API call on the request path).
 */
export const lambdaRequestLog: RequestLogSink = (line) => {
  const level = process.env[ENVIRONMENT.logLevel];
  if (level === 'error' || level === 'warn') return;
  console.log(JSON.stringify(withRequestMetrics(line)));
};

/** The request log line with its metrics, per operation, in the embedded metric format. */
export const withRequestMetrics = (line: RequestLogLine) =>
  withMetrics(
    line,
    Date.parse(line.time),
    {
      [REQUEST_METRICS.requests]: [1, 'Count'],
      [REQUEST_METRICS.clientErrors]: [line.status >= 400 && line.status < 500 ? 1 : 0, 'Count'],
      [REQUEST_METRICS.serverErrors]: [line.status >= 500 ? 1 : 0, 'Count'],
      [REQUEST_METRICS.latency]: [line.latencyMs, 'Milliseconds'],
    },
    { [REQUEST_METRICS.dimension]: line.operation },
  );

/**
 * The local runner's `--log-requests`: one short line a person reads, e.g.
 * `19:20:03.020 GetPendingJobExecutions t1 200 2.9 ms`.
 */
export function humanRequestLine(line: RequestLogLine): string {
  const subject = [line.thingName, line.jobId].filter(Boolean).join(' ');
  return (
    `${line.time.slice(11, 23)} ${line.operation}${subject ? ` ${subject}` : ''}` +
    ` ${line.status} ${line.latencyMs.toFixed(1)} ms ${line.requestId}`
  );
}
